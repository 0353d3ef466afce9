"""Fixtures of the placements tests: a small world, accepted proposals, requests to place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.proposals.models import Proposal
from tests.factories import World

TODAY = dt.date.today()
NEXT_MONTH = TODAY + dt.timedelta(days=30)
# Monday to Friday 08:00-12:00: 20 hours, within every contract limit.
MORNINGS = "lun-ven 08:00-12:00"


@pytest.fixture
def assistant(factories: Any, world: World) -> Assistant:
    """An assistant in Torino with an account (the world's assistant user)."""
    return factories.AssistantFactory(user_id=world.assistant.id, display_name="Irina")  # type: ignore[no-any-return]


def accepted_proposal(
    db_session: Session, care_request: CareRequest, assistant: Assistant, status: str = "accepted"
) -> Proposal:
    """A proposal both sides accepted (created directly: the proposals service is elsewhere)."""
    proposal = Proposal(
        request_id=care_request.id,
        assistant_id=assistant.id,
        score=0.8,
        distance_km=3.0,
        status=status,
        family_answer="accepted" if status == "accepted" else None,
        assistant_answer="accepted" if status == "accepted" else None,
    )
    db_session.add(proposal)
    db_session.commit()
    return proposal


@pytest.fixture
def make_request(factories: Any, world: World) -> Callable[..., CareRequest]:
    """A new open hourly request (20 h, level CS) of the Torino family; keywords override."""

    def make(**kwargs: Any) -> CareRequest:
        kwargs.setdefault("recipient", world.recipient_torino)
        return factories.CareRequestFactory(**kwargs)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def proposal(
    db_session: Session, make_request: Callable[..., CareRequest], assistant: Assistant
) -> Proposal:
    """An accepted proposal of ``assistant`` for a new Torino request."""
    return accepted_proposal(db_session, make_request(), assistant)


def terms(proposal: Proposal, **overrides: Any) -> dict[str, Any]:
    """A valid POST /api/v1/placements body for ``proposal``."""
    body: dict[str, Any] = {
        "proposal_id": proposal.id,
        "ccnl_level": "CS",
        "schedule": MORNINGS,
        "start_date": NEXT_MONTH.isoformat(),
    }
    body.update(overrides)
    return body
