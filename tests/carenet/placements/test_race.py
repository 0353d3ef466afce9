"""Acceptance (issue 4): no double-booking, ever, under real concurrency.

Each round, 16 threads released at once by a barrier ask a real gunicorn server
(4 workers x 4 threads, so 16 requests in flight) to place the same assistant in
overlapping hours, each from an accepted proposal of a different request. Exactly one
may win (201); every other must get a 409 naming the hours; nothing may be a 5xx.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.placements.models import Placement, PlacementSlot
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, bearer
from tests.factories import FULL_WEEK, TORINO, weekday_hours
from tests.servers import gunicorn, post_json

pytestmark = pytest.mark.race

ROUNDS = 50
CONTENDERS = 16
START = dt.date.today() + dt.timedelta(days=30)


def arrange(db_session: Session, world: World) -> list[list[Proposal]]:
    """Per round: a new assistant and 16 accepted proposals of 16 different requests."""
    rounds = []
    for _round in range(ROUNDS):
        assistant = Assistant(
            display_name="Contesa",
            gender="f",
            birth_year=1980,
            nationality="RO",
            municipality_id=TORINO,
            travel_radius_km=20.0,
            accepts_hourly=True,
            availability=FULL_WEEK,
            available_from=dt.date(2026, 1, 1),
            status="verified",
        )
        requests = [
            CareRequest(
                recipient_id=world.recipient_torino.id,
                arrangement="hourly",
                schedule=weekday_hours(8, 12),
                weekly_hours=20,
                start_date=START,
                max_distance_km=25.0,
                ccnl_level="CS",
                status="open",
            )
            for _ in range(CONTENDERS)
        ]
        db_session.add(assistant)
        db_session.add_all(requests)
        db_session.flush()
        proposals = [
            Proposal(
                request_id=r.id,
                assistant_id=assistant.id,
                score=0.5,
                distance_km=1.0,
                status="accepted",
                family_answer="accepted",
                assistant_answer="accepted",
            )
            for r in requests
        ]
        db_session.add_all(proposals)
        rounds.append(proposals)
    db_session.commit()
    return rounds


@pytest.fixture
def server(migrated_database: str, tmp_path: Path) -> Any:
    with gunicorn(migrated_database, tmp_path, workers=4, threads=4) as url:
        yield url


def test_sixteen_concurrent_placements_of_one_assistant_exactly_one_wins(
    server: str, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    rounds = arrange(db_session, world)
    url = server + "/api/v1/placements"
    barrier = threading.Barrier(CONTENDERS)

    def attempt(index: int, proposal_id: int) -> tuple[int, dict[str, Any]]:
        # Pairwise overlapping hours: 4 hours starting between 06:00 and 09:00.
        start = 6 + index % 4
        body = {
            "proposal_id": proposal_id,
            "ccnl_level": "CS",
            "schedule": f"lun-ven {start:02d}:00-{start + 4:02d}:00",
            "start_date": START.isoformat(),
        }
        barrier.wait(timeout=60)
        return post_json(url, headers, body)

    began = time.monotonic()
    outcomes: list[Counter[int]] = []
    with ThreadPoolExecutor(max_workers=CONTENDERS) as pool:
        for number, proposals in enumerate(rounds):
            futures = [pool.submit(attempt, i, p.id) for i, p in enumerate(proposals)]
            results = [f.result() for f in futures]
            statuses = Counter(status for status, _body in results)
            outcomes.append(statuses)
            assert statuses == Counter({201: 1, 409: CONTENDERS - 1}), (number, results)
            for status, body in results:
                if status == 409:
                    assert body["error"] == "conflict"
                    assert "already placed" in body["message"], body
    elapsed = time.monotonic() - began

    # The database agrees: one active placement per assistant, holding exactly its hours.
    db_session.commit()
    assistant_ids = {proposals[0].assistant_id for proposals in rounds}
    placed = db_session.execute(
        sa.select(Placement.assistant_id, sa.func.count())
        .where(Placement.assistant_id.in_(assistant_ids))
        .group_by(Placement.assistant_id)
    ).all()
    assert sorted(n for _id, n in placed) == [1] * ROUNDS
    slots = db_session.scalar(
        sa.select(sa.func.count())
        .select_from(PlacementSlot)
        .where(PlacementSlot.assistant_id.in_(assistant_ids))
    )
    assert slots == 20 * ROUNDS
    placed_requests = db_session.scalar(
        sa.select(sa.func.count()).select_from(CareRequest).where(CareRequest.status == "placed")
    )
    assert placed_requests == ROUNDS
    assert all(5 not in {s // 100 for s in c} for c in outcomes)
    assert elapsed < 60, f"{ROUNDS} rounds took {elapsed:.1f} s"
