"""Both sides accept a proposal at the same moment, through a real gunicorn server.

Each answer reads the other side's under the proposal row's lock, so whichever commits
second sees the first and the proposal ends accepted; without the lock both could read
"no answer yet" and leave it pending forever, with nobody able to answer again.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, bearer
from tests.servers import gunicorn, post_json

pytestmark = pytest.mark.race

ROUNDS = 20


@pytest.fixture
def server(migrated_database: str, tmp_path: Path) -> Any:
    with gunicorn(migrated_database, tmp_path, workers=2, threads=2) as url:
        yield url


def test_both_sides_accepting_at_once_always_ends_accepted(
    server: str, db_session: Session, factories: Any, world: World
) -> None:
    assistant: Assistant = factories.AssistantFactory(user_id=world.assistant.id)
    proposals = []
    for _ in range(ROUNDS):
        request: CareRequest = factories.CareRequestFactory(recipient=world.recipient_torino)
        proposals.append(
            factories.ProposalFactory(request_id=request.id, assistant_id=assistant.id)
        )
    family = bearer(db_session, world.family_torino)
    her = bearer(db_session, world.assistant)
    barrier = threading.Barrier(2)

    def accept(proposal_id: int, headers: dict[str, str], side: str) -> int:
        barrier.wait(timeout=60)
        body = {"side": side, "answer": "accepted"}
        status, _answer = post_json(
            f"{server}/api/v1/proposals/{proposal_id}/answer", headers, body
        )
        return status

    with ThreadPoolExecutor(max_workers=2) as pool:
        for proposal in proposals:
            futures = [
                pool.submit(accept, proposal.id, family, "family"),
                pool.submit(accept, proposal.id, her, "assistant"),
            ]
            assert Counter(f.result() for f in futures) == Counter({200: 2})

    db_session.commit()
    ids = [p.id for p in proposals]
    rows = db_session.execute(
        sa.select(Proposal.status, Proposal.family_answer, Proposal.assistant_answer).where(
            Proposal.id.in_(ids)
        )
    ).all()
    assert Counter(rows) == Counter({("accepted", "accepted", "accepted"): ROUNDS})
