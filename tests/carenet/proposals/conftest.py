"""Fixtures of the proposals tests: a small world, eligible assistants, a request."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from carenet.assistants.models import Assistant
from carenet.audit.models import AuditEvent
from carenet.care_requests.models import CareRequest
from carenet.notifications.models import Notification
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, bearer, count


@pytest.fixture
def world(world: World) -> World:
    """The shared world (tests/conftest.py), the Torino household with a phone number."""
    world.household_torino.phone = "+39 011 555 0101"
    return world


@pytest.fixture
def assistant(factories: Any, world: World) -> Assistant:
    """A verified hourly assistant in Torino with an account (the world's assistant user)."""
    return factories.AssistantFactory(  # type: ignore[no-any-return]
        user_id=world.assistant.id, display_name="Irina", phone="+39 333 000 1111"
    )


@pytest.fixture
def other_assistant(factories: Any) -> Assistant:
    """A second eligible assistant in Torino, without an account."""
    return factories.AssistantFactory(display_name="Olena")  # type: ignore[no-any-return]


@pytest.fixture
def live_in_only(factories: Any) -> Assistant:
    """An assistant who accepts live-in work only: not eligible for hourly requests."""
    return factories.AssistantFactory(  # type: ignore[no-any-return]
        display_name="Maria", accepts_hourly=False, accepts_live_in=True
    )


@pytest.fixture
def care_request(factories: Any, world: World) -> CareRequest:
    """An open hourly request (weekday mornings) of the Torino family."""
    return factories.CareRequestFactory(recipient=world.recipient_torino)  # type: ignore[no-any-return]


@pytest.fixture
def cpi(db_session: Session, world: World) -> dict[str, str]:
    """Headers of the Torino CPI operator (brokers Torino's cases)."""
    return bearer(db_session, world.cpi_torino)


@pytest.fixture
def family(db_session: Session, world: World) -> dict[str, str]:
    """Headers of the Torino family."""
    return bearer(db_session, world.family_torino)


@pytest.fixture
def assistant_headers(db_session: Session, world: World) -> dict[str, str]:
    """Headers of the assistant's user."""
    return bearer(db_session, world.assistant)


def answer_proposal(
    client: FlaskClient,
    proposal_id: Any,
    headers: dict[str, str],
    side: str,
    answer: str,
    **extra: str,
) -> TestResponse:
    """``POST /api/v1/proposals/<id>/answer`` as ``headers``' user, for ``side``."""
    return client.post(
        f"/api/v1/proposals/{proposal_id}/answer",
        json={"side": side, "answer": answer, **extra},
        headers=headers,
    )


def rows(db_session: Session) -> tuple[int, int, int]:
    """Proposals, audit events and notifications, as committed now."""
    return (
        count(db_session, Proposal),
        count(db_session, AuditEvent),
        count(db_session, Notification),
    )


def request_status(db_session: Session, request_id: int) -> str:
    """The request's status as committed now."""
    db_session.commit()
    status = db_session.scalar(sa.select(CareRequest.status).where(CareRequest.id == request_id))
    db_session.commit()
    return str(status)


def notified(db_session: Session, kind: str) -> set[int]:
    """The users notified with ``kind``."""
    db_session.commit()
    users = set(
        db_session.scalars(sa.select(Notification.user_id).where(Notification.kind == kind))
    )
    db_session.commit()
    return users
