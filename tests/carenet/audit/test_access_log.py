"""Who viewed this case: every read of health information is logged and listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.families.models import Assessment
from tests.carenet.families.helpers import bearer, events, login
from tests.carenet.referrals.helpers import ReferralWorld, act, refer

pytestmark = pytest.mark.referral_world


def _url(household_id: int) -> str:
    return f"/api/v1/households/{household_id}/access-log"


def _reads(db_session: Session) -> list[Any]:
    return events(db_session, "health.read", "care_recipient")


def _assess(db_session: Session, world: ReferralWorld) -> None:
    db_session.add(
        Assessment(
            recipient_id=world.recipient_torino.id,
            organization_id=world.asl_torino.organization_id,
            assessed_by_user_id=world.asl_torino.id,
            assessed_on=dt.date(2026, 1, 10),
            self_sufficiency="non_self_sufficient",
            score=35,
            notes="Needs help with every meal.",
        )
    )
    db_session.commit()


def test_the_log_lists_each_read_with_actor_organization_and_request_id(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    _assess(db_session, world)
    recipient = world.recipient_torino.id
    cpi = client.get(
        f"/api/v1/families/recipients/{recipient}", headers=bearer(db_session, world.cpi_torino)
    )
    assert cpi.status_code == 200 and "conditions" in cpi.json
    asl = client.get(
        f"/api/v1/families/recipients/{recipient}/assessments",
        headers=bearer(db_session, world.asl_torino),
    )
    assert asl.status_code == 200 and asl.json["items"]
    # The municipality may not read health information: nothing is returned, nothing logged.
    comune = client.get(
        f"/api/v1/families/recipients/{recipient}", headers=bearer(db_session, world.comune_torino)
    )
    assert comune.status_code == 200 and "conditions" not in comune.json

    response = client.get(
        _url(world.household_torino.id), headers=bearer(db_session, world.family_torino)
    )
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [(e["actor"]["id"], e["what"]) for e in items] == [
        (world.asl_torino.id, ["assessments"]),
        (world.cpi_torino.id, ["self_sufficiency", "conditions"]),
    ]
    assert items[0]["organization"]["name"] == world.asl_torino.organization.name
    assert items[1]["organization"]["kind"] == "cpi"
    assert items[1]["actor"]["name"] == world.cpi_torino.full_name
    assert items[1]["recipient_id"] == recipient
    assert items[1]["request_id"] == cpi.headers["X-Request-ID"]
    assert items[0]["request_id"] == asl.headers["X-Request-ID"]
    assert response.json["total"] == 2
    # What was read is named, never its content.
    text = response.get_data(as_text=True)
    assert "non_self_sufficient" not in text and "every meal" not in text


def test_the_log_is_for_this_household_only(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    client.get(
        f"/api/v1/families/recipients/{world.recipient_cuneo.id}",
        headers=bearer(db_session, world.cpi_cuneo),
    )
    admin = bearer(db_session, world.admin)
    assert client.get(_url(world.household_torino.id), headers=admin).json["total"] == 0
    assert client.get(_url(world.household_cuneo.id), headers=admin).json["total"] == 1


def test_who_may_see_the_log(
    client: FlaskClient, db_session: Session, world: ReferralWorld, factories: Any
) -> None:
    url = _url(world.household_torino.id)

    def status(user: User) -> int:
        return client.get(url, headers=bearer(db_session, user)).status_code

    ente_cuneo = factories.OperatorFactory(
        organization=factories.OrganizationFactory(
            kind="social_services", territory_codes=["004078"]
        )
    )
    for user in (world.family_torino, world.admin, world.asl_torino):
        assert status(user) == 200
    # Operators of other kinds, outside the territory, other families: not found.
    for user in (
        world.cpi_torino,
        world.comune_torino,
        world.region,
        world.agency,
        world.family_cuneo,
        world.assistant,
        ente_cuneo,
    ):
        assert status(user) == 404
    assert client.get(url).status_code == 401
    # An assessor organization sees it while the case is referred to it, not after.
    referral = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        ente_cuneo.organization_id,
    ).json["id"]
    assert status(ente_cuneo) == 200
    act(client, db_session, ente_cuneo, referral, "reject", reason="Not ours.")
    assert status(ente_cuneo) == 404


def test_the_log_page(client: FlaskClient, db_session: Session, world: ReferralWorld) -> None:
    client.get(
        f"/api/v1/families/recipients/{world.recipient_torino.id}",
        headers=bearer(db_session, world.cpi_torino),
    )
    login(client, world.family_torino)
    response = client.get(f"/audit/households/{world.household_torino.id}/access-log")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert str(escape(world.cpi_torino.full_name)) in html
    assert str(escape(world.cpi_torino.organization.name)) in html
    assert world.recipient_torino.first_name in html
    login(client, world.cpi_torino)
    assert (
        client.get(f"/audit/households/{world.household_torino.id}/access-log").status_code == 404
    )


# -- every path that returns health information to someone writes a read event ---------


def _api_get(path: str) -> Any:
    def call(client: FlaskClient, db_session: Session, world: ReferralWorld, user: User) -> int:
        url = path.format(
            h=world.household_torino.id, r=world.recipient_torino.id, q=world.request_torino.id
        )
        return client.get(url, headers=bearer(db_session, user)).status_code

    return call


def _api_patch_recipient(
    client: FlaskClient, db_session: Session, world: ReferralWorld, user: User
) -> int:
    return client.patch(
        f"/api/v1/families/recipients/{world.recipient_torino.id}",
        json={"first_name": "Teresa"},
        headers=bearer(db_session, user),
    ).status_code


def _page(path: str) -> Any:
    def call(client: FlaskClient, db_session: Session, world: ReferralWorld, user: User) -> int:
        login(client, user)
        url = path.format(
            h=world.household_torino.id, r=world.recipient_torino.id, q=world.request_torino.id
        )
        return client.get(url).status_code

    return call


PATHS = {
    "api household": (_api_get("/api/v1/families/households/{h}"), 1),
    "api recipient": (_api_get("/api/v1/families/recipients/{r}"), 1),
    "api recipient change": (_api_patch_recipient, 1),
    "api assessments": (_api_get("/api/v1/families/recipients/{r}/assessments"), 1),
    # The household page shows health fields and, to assessors, the assessments.
    "household page": (_page("/families/households/{h}"), 2),
    "recipient form": (_page("/families/recipients/{r}/edit"), 1),
    # A request's CCNL level, Buono eligibility and qualifications reveal health too.
    "api request": (_api_get("/api/v1/care-requests/{q}"), 1),
    "api request list": (_api_get("/api/v1/care-requests"), 1),
    "request page": (_page("/care-requests/{q}"), 1),
    "request list page": (_page("/care-requests"), 1),
    "request form": (_page("/care-requests/{q}/edit"), 1),
}


@pytest.mark.parametrize("name", sorted(PATHS))
def test_every_health_read_is_logged(
    client: FlaskClient, db_session: Session, world: ReferralWorld, name: str
) -> None:
    _assess(db_session, world)
    call, expected = PATHS[name]
    assert call(client, db_session, world, world.asl_torino) == 200
    reads = _reads(db_session)
    assert len(reads) == expected
    assert {r.actor_user_id for r in reads} == {world.asl_torino.id}
    assert {r.entity_id for r in reads} == {str(world.recipient_torino.id)}
    assert all(r.request_id for r in reads)
    # Health data never goes into the event itself: field names, the path and the
    # request's id only.
    assert all(set(r.data) - {"care_request_id"} == {"fields", "via"} for r in reads)


@pytest.mark.parametrize(
    "name",
    ["api household", "api recipient", "household page", "api request", "request page"],
)
def test_no_health_returned_no_read_logged(
    client: FlaskClient, db_session: Session, world: ReferralWorld, name: str
) -> None:
    call, _expected = PATHS[name]
    assert call(client, db_session, world, world.comune_torino) == 200
    assert _reads(db_session) == []


def test_the_household_list_carries_no_health_information_and_logs_no_read(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    response = client.get(
        "/api/v1/families/households", headers=bearer(db_session, world.asl_torino)
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "self_sufficiency" not in text and "conditions" not in text
    assert _reads(db_session) == []


def test_every_health_read_goes_through_the_one_audited_read() -> None:
    """Issue 10, item 5: no module writes a ``health.read`` event by hand, so every path
    that reads health information (pages, API, bulk runs, jobs) writes the same event,
    which "who viewed this case" lists."""
    import carenet

    root = Path(carenet.__file__).parent
    by_hand = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if '"health.read"' in path.read_text() and path != root / "audit" / "services.py"
    ]
    assert by_hand == []
