"""Starting a placement withdraws the request's other open proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.core.db import utcnow
from carenet.proposals.models import Proposal
from tests.factories import TORINO
from tests.helpers import bearer


def proposal(session: Session, request_id: int, assistant_id: int, status: str) -> Proposal:
    now = utcnow()
    row = Proposal(
        request_id=request_id,
        assistant_id=assistant_id,
        score=0.5,
        components={},
        distance_km=1.0,
        status=status,
        family_answer="accepted" if status == "accepted" else None,
        assistant_answer="accepted" if status == "accepted" else None,
        sent_at=now,
        expires_at=now + dt.timedelta(days=14),
    )
    session.add(row)
    session.commit()
    return row


def test_the_other_open_proposals_are_withdrawn(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    operator = factories.OperatorFactory(
        organization=factories.OrganizationFactory(kind="cpi", territory_codes=[TORINO])
    )
    request = factories.CareRequestFactory(status="proposed")
    chosen, pending, draft, declined = (factories.AssistantFactory() for _ in range(4))
    accepted = proposal(db_session, request.id, chosen.id, "accepted")
    others = {
        "pending": proposal(db_session, request.id, pending.id, "pending"),
        "draft": proposal(db_session, request.id, draft.id, "draft"),
        "declined": proposal(db_session, request.id, declined.id, "declined"),
    }
    response = client.post(
        "/api/v1/placements",
        headers=bearer(db_session, operator),
        json={
            "proposal_id": accepted.id,
            "ccnl_level": "CS",
            "schedule": "lun-ven 08:00-12:00",
            "start_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201, response.get_json()
    db_session.expire_all()
    assert db_session.get(Proposal, accepted.id).status == "accepted"
    assert db_session.get(Proposal, others["pending"].id).status == "withdrawn"
    assert db_session.get(Proposal, others["draft"].id).status == "withdrawn"
    assert db_session.get(Proposal, others["declined"].id).status == "declined"
    withdrawn = db_session.scalars(
        sa.select(AuditEvent.entity_id).where(AuditEvent.action == "proposal.withdraw")
    ).all()
    assert sorted(withdrawn) == sorted([str(others["pending"].id), str(others["draft"].id)])
