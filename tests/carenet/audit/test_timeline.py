"""The case timeline: what it gathers, its order, what it never shows, who may see it."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.core.db import utcnow
from tests.carenet.families.helpers import bearer, login
from tests.carenet.referrals.helpers import ReferralWorld, act, refer

pytestmark = pytest.mark.referral_world


def _url(household_id: int) -> str:
    return f"/api/v1/households/{household_id}/timeline"


def _plant(db_session: Session, **values: object) -> AuditEvent:
    """An event written by another feature (proposals, placements) straight into the log."""
    event = AuditEvent(**values)
    db_session.add(event)
    db_session.commit()
    return event


def _proposal(db_session: Session, factories: Any, world: ReferralWorld, sent: bool) -> int:
    """A proposal of the Torino request: sent to both sides, or a draft (never sent)."""
    proposal = factories.ProposalFactory(
        request_id=world.request_torino.id,
        assistant_id=factories.AssistantFactory().id,
        status="pending" if sent else "draft",
        sent_at=utcnow() if sent else None,
    )
    return int(proposal.id)


def _build_case(
    client: FlaskClient, db_session: Session, factories: Any, world: ReferralWorld
) -> int:
    """A Torino case with events of every kind; returns the referral id."""
    cpi = bearer(db_session, world.cpi_torino)
    household = world.household_torino.id
    patched = client.patch(
        f"/api/v1/families/households/{household}", json={"phone": "011 555 1234"}, headers=cpi
    )
    assert patched.status_code == 200, patched.json
    family = bearer(db_session, world.family_torino)
    recipient = client.patch(
        f"/api/v1/families/recipients/{world.recipient_torino.id}",
        json={"conditions": ["dementia"]},
        headers=family,
    )
    assert recipient.status_code == 200, recipient.json
    closed = client.post(f"/api/v1/care-requests/{world.request_torino.id}/close", headers=cpi)
    assert closed.status_code == 200, closed.json
    referral = refer(
        client, db_session, world.cpi_torino, household, world.cpi_cuneo.organization_id
    ).json["id"]
    assert act(client, db_session, world.cpi_cuneo, referral, "accept").status_code == 200
    request_id = world.request_torino.id
    sent, draft = (_proposal(db_session, factories, world, sent=flag) for flag in (True, False))
    for proposal_id in (sent, draft):
        _plant(
            db_session,
            actor_user_id=world.cpi_torino.id,
            organization_id=world.cpi_torino.organization_id,
            action="proposal.create",
            entity_type="proposal",
            entity_id=str(proposal_id),
            data={"request_id": request_id, "assistant_id": 1},
        )
    _plant(
        db_session,
        actor_user_id=world.cpi_torino.id,
        organization_id=world.cpi_torino.organization_id,
        action="placement.start",
        entity_type="placement",
        entity_id="9002",
        data={"request_id": request_id, "conditions": ["dementia"]},
    )
    # Another case's events, and a stray health detail, must not leak into this timeline.
    _plant(
        db_session,
        action="proposal.create",
        entity_type="proposal",
        entity_id="9003",
        data={"request_id": world.request_cuneo.id},
    )
    _plant(
        db_session,
        action="household.update",
        entity_type="household",
        entity_id=str(world.household_cuneo.id),
        data={},
    )
    world.proposals = {"sent": sent, "draft": draft}  # type: ignore[attr-defined]
    return int(referral)


def test_the_timeline_gathers_the_case_newest_first(
    client: FlaskClient, db_session: Session, factories: Any, world: ReferralWorld
) -> None:
    referral = _build_case(client, db_session, factories, world)
    # A read of health information: it belongs to the access log, not to the timeline.
    asl = bearer(db_session, world.asl_torino)
    client.get(f"/api/v1/families/recipients/{world.recipient_torino.id}", headers=asl)

    response = client.get(_url(world.household_torino.id), headers=asl)
    assert response.status_code == 200, response.json
    body = response.json
    rows = [(e["action"], e["entity_type"], e["entity_id"]) for e in body["items"]]
    proposals = world.proposals  # type: ignore[attr-defined]
    # The draft, never sent, is the brokers' working material: the ASL does not see it.
    assert rows == [
        ("placement.start", "placement", "9002"),
        ("proposal.create", "proposal", str(proposals["sent"])),
        ("referral.accept", "referral", str(referral)),
        ("referral.create", "referral", str(referral)),
        ("care_request.close", "care_request", str(world.request_torino.id)),
        ("care_recipient.update", "care_recipient", str(world.recipient_torino.id)),
        ("household.update", "household", str(world.household_torino.id)),
    ]
    assert body["total"] == 7
    assert [e["id"] for e in body["items"]] == sorted(
        (e["id"] for e in body["items"]), reverse=True
    )
    accept = body["items"][2]
    assert accept["actor"] == {"id": world.cpi_cuneo.id, "name": world.cpi_cuneo.full_name}
    assert accept["organization"]["id"] == world.cpi_cuneo.organization_id
    assert accept["organization"]["name"] == world.cpi_cuneo.organization.name
    assert accept["changes"] == {"from": "pending", "to": "accepted"}
    # Never a health detail: the conditions written and planted above do not appear.
    assert "dementia" not in response.get_data(as_text=True)
    assert "health.read" not in response.get_data(as_text=True)

    paged = client.get(f"{_url(world.household_torino.id)}?per_page=2&page=2", headers=asl).json
    assert [e["action"] for e in paged["items"]] == ["referral.accept", "referral.create"]

    # The brokering CPI sees its draft too.
    cpi = client.get(_url(world.household_torino.id), headers=bearer(db_session, world.cpi_torino))
    shown = {(e["action"], e["entity_id"]) for e in cpi.json["items"]}
    assert ("proposal.create", str(proposals["draft"])) in shown
    assert cpi.json["total"] == 8


def test_the_timeline_page(
    client: FlaskClient, db_session: Session, factories: Any, world: ReferralWorld
) -> None:
    _build_case(client, db_session, factories, world)
    login(client, world.family_torino)
    response = client.get(f"/audit/households/{world.household_torino.id}/timeline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-action="referral.accept"' in html
    assert str(escape(world.cpi_cuneo.full_name)) in html
    assert str(escape(world.cpi_cuneo.organization.name)) in html
    assert "dementia" not in html
    assert 'data-testid="access-log-link"' in html  # the family may see who viewed
    login(client, world.cpi_torino)
    html = client.get(f"/audit/households/{world.household_torino.id}/timeline").get_data(
        as_text=True
    )
    assert 'data-testid="access-log-link"' not in html
    login(client, world.family_cuneo)
    assert client.get(f"/audit/households/{world.household_torino.id}/timeline").status_code == 404


def test_who_may_see_the_timeline(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    url = _url(world.household_torino.id)

    def status(user: object) -> int:
        return client.get(url, headers=bearer(db_session, user)).status_code  # type: ignore[arg-type]

    for user in (world.family_torino, world.cpi_torino, world.asl_torino, world.comune_torino):
        assert status(user) == 200
    assert status(world.admin) == 200
    for user in (world.family_cuneo, world.cpi_cuneo, world.agency, world.region, world.assistant):
        assert status(user) == 404
    assert client.get(url).status_code == 401
    assert client.get(_url(999_999), headers=bearer(db_session, world.admin)).status_code == 404

    # Referred to Cuneo: visible while pending, not once revoked.
    referral = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.cpi_cuneo.organization_id,
    ).json["id"]
    assert status(world.cpi_cuneo) == 200
    act(client, db_session, world.cpi_torino, referral, "revoke")
    assert status(world.cpi_cuneo) == 404


def test_the_timeline_counts_only_this_case(
    client: FlaskClient, db_session: Session, factories: Any, world: ReferralWorld
) -> None:
    _build_case(client, db_session, factories, world)
    admin = bearer(db_session, world.admin)
    other = client.get(_url(world.household_cuneo.id), headers=admin).json
    assert [(e["action"], e["entity_id"]) for e in other["items"]] == [
        ("household.update", str(world.household_cuneo.id)),
        ("proposal.create", "9003"),
    ]
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count(AuditEvent.id))) > other["total"]
