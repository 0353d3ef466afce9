"""The referrals API: consent, lifecycle, wrong transitions and actors, case visibility."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.notifications.models import Notification
from carenet.referrals.models import Referral
from tests.carenet.families.helpers import bearer, count, events
from tests.carenet.referrals.helpers import ReferralWorld, act, refer

pytestmark = pytest.mark.referral_world

URL = "/api/v1/referrals"


def _notified(db_session: Session, user_id: int, kind: str) -> list[Notification]:
    db_session.commit()
    rows = list(
        db_session.scalars(
            sa.select(Notification).where(
                Notification.user_id == user_id, Notification.kind == kind
            )
        )
    )
    db_session.commit()
    return rows


def _pending(client: FlaskClient, db_session: Session, world: ReferralWorld) -> int:
    """A pending referral of the Torino case from CPI Torino to CPI Cuneo."""
    response = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.cpi_cuneo.organization_id,
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def test_full_lifecycle_is_stored_audited_and_notified(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    response = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.cpi_cuneo.organization_id,
        request_id=world.request_torino.id,
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "pending"
    assert body["request_id"] == world.request_torino.id
    assert body["from_organization"]["id"] == world.cpi_torino.organization_id
    assert body["to_organization"]["id"] == world.cpi_cuneo.organization_id
    assert body["consent_given"] is True
    assert body["consent_recorded_by_user_id"] == world.cpi_torino.id
    stored = db_session.get(Referral, body["id"])
    assert stored is not None and stored.consent_recorded_at is not None
    created = events(db_session, "referral.create", "referral")
    assert [e.entity_id for e in created] == [str(body["id"])]
    assert created[0].actor_user_id == world.cpi_torino.id
    # Both operators of the receiving CPI are told; the sender is not.
    for user in (world.cpi_cuneo, world.cpi_cuneo_2):
        [note] = _notified(db_session, user.id, "referral.new")
        assert note.link == f"/referrals/{body['id']}"
        assert note.data["organization"] == world.cpi_torino.organization.name
    assert _notified(db_session, world.cpi_torino.id, "referral.new") == []

    referral_id = body["id"]
    accepted = act(client, db_session, world.cpi_cuneo, referral_id, "accept")
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted"
    [note] = _notified(db_session, world.cpi_torino.id, "referral.updated")
    assert note.data["status"] == "accepted"

    completed = act(client, db_session, world.cpi_cuneo_2, referral_id, "complete")
    assert completed.status_code == 200, completed.json
    assert completed.json["status"] == "completed"
    assert [e.data["to"] for e in events(db_session, "referral.accept")] == ["accepted"]
    assert [e.data["to"] for e in events(db_session, "referral.complete")] == ["completed"]
    assert len(_notified(db_session, world.cpi_torino.id, "referral.updated")) == 2

    got = client.get(f"{URL}/{referral_id}", headers=bearer(db_session, world.cpi_torino))
    assert got.status_code == 200
    assert got.json["status"] == "completed"


def test_reject_needs_a_reason_and_keeps_it(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    referral_id = _pending(client, db_session, world)
    refused = act(client, db_session, world.cpi_cuneo, referral_id, "reject")
    assert refused.status_code == 422
    assert "reason" in refused.json["details"]["fields"]
    blank = act(client, db_session, world.cpi_cuneo, referral_id, "reject", reason="   ")
    assert blank.status_code == 422
    db_session.expire_all()
    assert db_session.get(Referral, referral_id).status == "pending"  # type: ignore[union-attr]
    assert events(db_session, "referral.reject") == []

    rejected = act(
        client, db_session, world.cpi_cuneo, referral_id, "reject", reason="No capacity now."
    )
    assert rejected.status_code == 200
    assert rejected.json["status"] == "rejected"
    assert rejected.json["response_reason"] == "No capacity now."


def test_revoke_by_the_sender_while_pending_or_accepted(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    first = _pending(client, db_session, world)
    assert act(client, db_session, world.cpi_torino, first, "revoke").json["status"] == "revoked"
    second = _pending(client, db_session, world)
    assert act(client, db_session, world.cpi_cuneo, second, "accept").status_code == 200
    revoked = act(client, db_session, world.cpi_torino, second, "revoke")
    assert revoked.status_code == 200
    assert revoked.json["status"] == "revoked"
    [note] = _notified(db_session, world.cpi_cuneo.id, "referral.updated")[-1:]
    assert note.data["status"] == "revoked"


@pytest.mark.parametrize("consent", [False, None, "missing"])
def test_without_consent_nothing_is_written(
    client: FlaskClient, db_session: Session, world: ReferralWorld, consent: object
) -> None:
    before = (count(db_session, Referral), count(db_session, AuditEvent))
    body = {
        "household_id": world.household_torino.id,
        "to_organization_id": world.cpi_cuneo.organization_id,
        "reason": "Needs help.",
    }
    if consent != "missing":
        body["consent_given"] = consent
    response = client.post(URL, json=body, headers=bearer(db_session, world.cpi_torino))
    assert response.status_code == 422
    assert "consent_given" in response.json["details"]["fields"]
    if consent is False:
        assert "consent is required" in response.json["message"]
    assert (count(db_session, Referral), count(db_session, AuditEvent)) == before
    assert count(db_session, Notification) == 0


def test_bad_targets_are_refused_clearly(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    before = count(db_session, Referral)
    household = world.household_torino.id
    region = refer(client, db_session, world.cpi_torino, household, world.region.organization_id)
    assert region.status_code == 422
    assert "region" in region.json["details"]["fields"]["to_organization_id"][0]
    own = refer(client, db_session, world.cpi_torino, household, world.cpi_torino.organization_id)
    assert own.status_code == 422
    assert "own organization" in own.json["details"]["fields"]["to_organization_id"][0]
    missing = refer(client, db_session, world.cpi_torino, household, 999_999)
    assert missing.status_code == 422
    other_request = refer(
        client,
        db_session,
        world.cpi_torino,
        household,
        world.cpi_cuneo.organization_id,
        request_id=world.request_cuneo.id,
    )
    assert other_request.status_code == 422
    assert "request_id" in other_request.json["details"]["fields"]
    # A household the sender cannot see: not found.
    unseen = refer(
        client, db_session, world.cpi_torino, world.household_cuneo.id, world.agency.organization_id
    )
    assert unseen.status_code == 404
    # Families and the Region do not refer.
    family = refer(
        client, db_session, world.family_torino, household, world.cpi_cuneo.organization_id
    )
    assert family.status_code == 403
    region_staff = refer(
        client, db_session, world.region, household, world.cpi_cuneo.organization_id
    )
    assert region_staff.status_code == 404
    assert count(db_session, Referral) == before


def test_a_second_open_referral_to_the_same_organization_is_a_conflict(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    first = _pending(client, db_session, world)
    again = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.cpi_cuneo.organization_id,
    )
    assert again.status_code == 409
    assert again.json["details"]["referral_id"] == first
    assert count(db_session, Referral) == 1


@pytest.mark.parametrize(
    ("setup", "action", "status"),
    [
        ([], "complete", "pending"),
        (["accept"], "accept", "accepted"),
        (["accept"], "reject", "accepted"),
        (["accept", "complete"], "complete", "completed"),
        (["accept", "complete"], "revoke", "completed"),
        (["reject"], "accept", "rejected"),
        (["reject"], "revoke", "rejected"),
        (["revoke"], "accept", "revoked"),
        (["revoke"], "revoke", "revoked"),
    ],
)
def test_wrong_transitions_are_conflicts_naming_the_status(
    client: FlaskClient,
    db_session: Session,
    world: ReferralWorld,
    setup: list[str],
    action: str,
    status: str,
) -> None:
    referral_id = _pending(client, db_session, world)
    for step in setup:
        user = world.cpi_torino if step == "revoke" else world.cpi_cuneo
        assert act(client, db_session, user, referral_id, step, reason="x").status_code == 200
    audited = count(db_session, AuditEvent)
    user = world.cpi_torino if action == "revoke" else world.cpi_cuneo
    response = act(client, db_session, user, referral_id, action, reason="again")
    assert response.status_code == 409
    assert response.json["details"]["status"] == status
    assert status in response.json["message"]
    db_session.expire_all()
    assert db_session.get(Referral, referral_id).status == status  # type: ignore[union-attr]
    assert count(db_session, AuditEvent) == audited


def test_wrong_actors_are_refused(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    referral_id = _pending(client, db_session, world)
    # The sender may not answer; the receiver may not revoke: 403 (they know the referral).
    for action in ("accept", "reject", "complete"):
        response = act(client, db_session, world.cpi_torino, referral_id, action, reason="x")
        assert response.status_code == 403, action
    assert act(client, db_session, world.cpi_cuneo, referral_id, "revoke").status_code == 403
    # Admins see referrals but only the receiving organization accepts.
    assert act(client, db_session, world.admin, referral_id, "accept").status_code == 403
    # Not a party: 404 for reading and for acting, even if the case is in their territory.
    for user in (world.asl_torino, world.agency, world.family_torino, world.assistant):
        headers = bearer(db_session, user)
        assert client.get(f"{URL}/{referral_id}", headers=headers).status_code == 404
        assert act(client, db_session, user, referral_id, "accept").status_code == 404
    assert client.get(f"{URL}/{referral_id}").status_code == 401
    db_session.expire_all()
    assert db_session.get(Referral, referral_id).status == "pending"  # type: ignore[union-attr]
    assert events(db_session, "referral.accept") == []


def test_inbox_and_outbox_with_status_filter_and_pages(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    pending = _pending(client, db_session, world)
    to_agency = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.agency.organization_id,
    ).json["id"]
    act(client, db_session, world.agency, to_agency, "accept")
    sender = bearer(db_session, world.cpi_torino)
    outbox = client.get(f"{URL}?box=outbox", headers=sender).json
    assert [r["id"] for r in outbox["items"]] == [to_agency, pending]
    assert outbox["total"] == 2
    only_accepted = client.get(f"{URL}?box=outbox&status=accepted", headers=sender).json
    assert [r["id"] for r in only_accepted["items"]] == [to_agency]
    paged = client.get(f"{URL}?box=outbox&per_page=1&page=2", headers=sender).json
    assert [r["id"] for r in paged["items"]] == [pending]
    assert paged["total"] == 2
    assert client.get(f"{URL}?box=inbox", headers=sender).json["total"] == 0
    receiver = bearer(db_session, world.cpi_cuneo)
    inbox = client.get(URL, headers=receiver).json
    assert [r["id"] for r in inbox["items"]] == [pending]
    assert client.get(f"{URL}?box=sideways", headers=receiver).status_code == 422
    family = bearer(db_session, world.family_torino)
    assert client.get(URL, headers=family).status_code == 403


def _sees_case(client: FlaskClient, db_session: Session, world: ReferralWorld) -> bool:
    headers = bearer(db_session, world.cpi_cuneo)
    status = client.get(
        f"/api/v1/families/households/{world.household_torino.id}", headers=headers
    ).status_code
    listed = client.get("/api/v1/care-requests", headers=headers).json["items"]
    in_list = world.request_torino.id in [r["id"] for r in listed]
    assert (status == 200) == in_list
    assert status in (200, 404)
    return status == 200


def test_referral_opens_the_case_to_the_receiver_only_while_it_stands(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    assert not _sees_case(client, db_session, world)  # Torino is outside Cuneo's territory
    first = _pending(client, db_session, world)
    assert _sees_case(client, db_session, world)  # pending
    act(client, db_session, world.cpi_cuneo, first, "accept")
    assert _sees_case(client, db_session, world)  # accepted
    act(client, db_session, world.cpi_cuneo, first, "complete")
    assert _sees_case(client, db_session, world)  # completed


@pytest.mark.parametrize("ending", ["reject", "revoke"])
def test_the_receiver_loses_the_case_once_rejected_or_revoked(
    client: FlaskClient, db_session: Session, world: ReferralWorld, ending: str
) -> None:
    referral_id = _pending(client, db_session, world)
    assert _sees_case(client, db_session, world)
    user = world.cpi_cuneo if ending == "reject" else world.cpi_torino
    assert act(client, db_session, user, referral_id, ending, reason="No.").status_code == 200
    assert not _sees_case(client, db_session, world)
    # The referral itself stays readable to both organizations.
    headers = bearer(db_session, world.cpi_cuneo)
    assert client.get(f"{URL}/{referral_id}", headers=headers).status_code == 200


def test_an_agency_sees_a_case_only_by_referral(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    headers = bearer(db_session, world.agency)
    url = f"/api/v1/families/households/{world.household_torino.id}"
    assert client.get(url, headers=headers).status_code == 404
    response = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.agency.organization_id,
    )
    assert client.get(url, headers=headers).status_code == 200
    act(client, db_session, world.cpi_torino, response.json["id"], "revoke")
    assert client.get(url, headers=headers).status_code == 404


def test_an_agency_keeps_no_case_by_a_referral_it_sent_on(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    # The agency refers its case on to Cuneo and withdraws that at once; when the CPI
    # then revokes the agency's own referral, the agency must lose the case (and its
    # recipient's health data), whatever referrals it sent.
    household = world.household_torino.id
    headers = bearer(db_session, world.agency)
    urls = [
        f"/api/v1/families/households/{household}",
        f"/api/v1/families/recipients/{world.recipient_torino.id}",
        f"/api/v1/care-requests/{world.request_torino.id}/matches",
    ]
    received = refer(client, db_session, world.cpi_torino, household, world.agency.organization_id)
    sent = refer(client, db_session, world.agency, household, world.cpi_cuneo.organization_id)
    assert sent.status_code == 201, sent.json
    assert act(client, db_session, world.agency, sent.json["id"], "revoke").status_code == 200
    assert [client.get(url, headers=headers).status_code for url in urls] == [200, 200, 200]

    revoked = act(client, db_session, world.cpi_torino, received.json["id"], "revoke")
    assert revoked.status_code == 200
    assert [client.get(url, headers=headers).status_code for url in urls] == [404, 404, 404]


def test_the_sender_follows_a_case_outside_its_territory_only_while_its_own_referral_stands(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    # Cuneo's CPI, holding Torino's case by referral, refers it on to the agency. The
    # agency's refusal leaves Cuneo's CPI its case; once the referral Cuneo's CPI received
    # is revoked, the one it sent on is revoked too (see test_cascade.py), and neither
    # organization keeps the case by the other.
    household = world.household_torino.id
    url = f"/api/v1/families/households/{household}"
    headers = bearer(db_session, world.cpi_cuneo)
    agency = bearer(db_session, world.agency)
    received = _pending(client, db_session, world)
    refused = refer(client, db_session, world.cpi_cuneo, household, world.agency.organization_id)
    assert refused.status_code == 201, refused.json
    rejected = act(client, db_session, world.agency, refused.json["id"], "reject", reason="No.")
    assert rejected.status_code == 200, rejected.json
    assert client.get(url, headers=headers).status_code == 200  # by the referral it received
    assert client.get(url, headers=agency).status_code == 404

    sent = refer(client, db_session, world.cpi_cuneo, household, world.agency.organization_id)
    assert sent.status_code == 201, sent.json
    assert act(client, db_session, world.cpi_torino, received, "revoke").status_code == 200
    assert client.get(url, headers=headers).status_code == 404
    assert client.get(url, headers=agency).status_code == 404
