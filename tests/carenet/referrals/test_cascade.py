"""Ending a referral ends the onward referrals it enabled (issue 10, item 10): revoked by
cascade, transitively, each written to the case's timeline; an onward referral whose
sender still sees the case on its own (its territory, another live referral) stands."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.referrals.models import Referral
from tests.carenet.families.helpers import bearer, events, login
from tests.carenet.referrals.helpers import ReferralWorld, act, refer

pytestmark = pytest.mark.referral_world


def _refer(client: FlaskClient, db_session: Session, sender: Any, world: Any, to: Any) -> int:
    response = refer(client, db_session, sender, world.household_torino.id, to.organization_id)
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _status(db_session: Session, referral_id: int) -> str:
    db_session.expire_all()
    return str(db_session.scalar(sa.select(Referral.status).where(Referral.id == referral_id)))


def _sees(client: FlaskClient, db_session: Session, user: Any, world: Any) -> list[int]:
    """Status codes of the case's household, its person (health summary) and request."""
    headers = bearer(db_session, user)
    urls = [
        f"/api/v1/families/households/{world.household_torino.id}",
        f"/api/v1/families/recipients/{world.recipient_torino.id}",
        f"/api/v1/care-requests/{world.request_torino.id}",
    ]
    return [client.get(url, headers=headers).status_code for url in urls]


@pytest.mark.parametrize("ending", ["revoke", "reject"])
def test_ending_a_referral_ends_the_referrals_it_enabled_transitively(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    world: ReferralWorld,
    ending: str,
) -> None:
    # Torino's ASL -> the agency -> Cuneo's CPI -> a second agency: past the first, no
    # organization sees Torino's case but by the referral it received.
    second_agency = factories.OperatorFactory(
        organization=factories.OrganizationFactory(kind="agency", territory_codes=[])
    )
    first = _refer(client, db_session, world.asl_torino, world, world.agency)
    onward = _refer(client, db_session, world.agency, world, world.cpi_cuneo)
    act(client, db_session, world.cpi_cuneo, onward, "accept")
    further = _refer(client, db_session, world.cpi_cuneo, world, second_agency)
    assert _sees(client, db_session, world.cpi_cuneo, world) == [200, 200, 200]
    assert _sees(client, db_session, second_agency, world) == [200, 200, 200]

    user = world.asl_torino if ending == "revoke" else world.agency
    response = act(client, db_session, user, first, ending, reason="Not ours.")
    assert response.status_code == 200, response.json

    assert [_status(db_session, r) for r in (onward, further)] == ["revoked", "revoked"]
    for organization in (world.agency, world.cpi_cuneo, second_agency):
        assert _sees(client, db_session, organization, world) == [404, 404, 404]
    cascaded = [e for e in events(db_session, "referral.revoke") if e.data.get("cascade_of")]
    assert sorted((int(e.entity_id), e.data["cascade_of"]) for e in cascaded) == sorted(
        [(onward, first), (further, onward)]
    )
    assert all(e.actor_user_id == user.id for e in cascaded)

    # The case's timeline says so, in the API and on the page.
    timeline = client.get(
        f"/api/v1/households/{world.household_torino.id}/timeline",
        headers=bearer(db_session, world.family_torino),
    ).json["items"]
    shown = {
        (int(i["entity_id"]), i["changes"].get("cascade_of"))
        for i in timeline
        if i["action"] == "referral.revoke"
    }
    assert {(onward, str(first)), (further, str(onward))} <= shown
    login(client, world.family_torino)
    page = client.get(f"/audit/households/{world.household_torino.id}/timeline?lang=en").text
    assert f"revoked because referral {first} ended" in page


def test_an_onward_referral_whose_sender_sees_the_case_on_its_own_stands(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    # The ASL refers Torino's case to Torino's CPI (whose territory holds it anyway),
    # which refers it on to the agency: revoking the first leaves the second.
    first = _refer(client, db_session, world.asl_torino, world, world.cpi_torino)
    onward = _refer(client, db_session, world.cpi_torino, world, world.agency)
    assert act(client, db_session, world.asl_torino, first, "revoke").status_code == 200
    assert _status(db_session, onward) == "pending"
    assert _sees(client, db_session, world.agency, world) == [200, 200, 200]


def test_an_onward_referral_stands_while_another_referral_still_enables_it(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    # Cuneo's CPI holds the case by two referrals: a completed one from Torino's CPI
    # (completed referrals still show the case) and a new one from the ASL.
    completed = _refer(client, db_session, world.cpi_torino, world, world.cpi_cuneo)
    act(client, db_session, world.cpi_cuneo, completed, "accept")
    act(client, db_session, world.cpi_cuneo, completed, "complete")
    second = _refer(client, db_session, world.asl_torino, world, world.cpi_cuneo)
    onward = _refer(client, db_session, world.cpi_cuneo, world, world.agency)
    assert act(client, db_session, world.asl_torino, second, "revoke").status_code == 200
    assert _status(db_session, onward) == "pending"
    assert _sees(client, db_session, world.agency, world) == [200, 200, 200]


def test_a_completed_onward_referral_is_revoked_too(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    # A completed referral still shows the case to its receiver, so it must end as well.
    first = _refer(client, db_session, world.asl_torino, world, world.cpi_cuneo)
    onward = _refer(client, db_session, world.cpi_cuneo, world, world.agency)
    act(client, db_session, world.agency, onward, "accept")
    act(client, db_session, world.agency, onward, "complete")
    assert act(client, db_session, world.asl_torino, first, "revoke").status_code == 200
    assert _status(db_session, onward) == "revoked"
    assert _sees(client, db_session, world.agency, world) == [404, 404, 404]
