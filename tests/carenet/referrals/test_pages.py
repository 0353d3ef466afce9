"""The referral pages: inbox/outbox, the referral with its buttons, the referral form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.referrals.models import Referral
from tests.carenet.families.helpers import count, events, login
from tests.carenet.referrals.helpers import ReferralWorld, refer

pytestmark = pytest.mark.referral_world


def _form(world: ReferralWorld, **changes: Any) -> dict[str, Any]:
    data = {
        "household_id": str(world.household_torino.id),
        "to_organization_id": str(world.cpi_cuneo.organization_id),
        "request_id": "",
        "reason": "Please find an assistant in Cuneo.",
        "consent_given": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _options(html: str, name: str) -> set[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return set(re.findall(r'<option[^>]*value="(\d*)"', select.group(1)))


def test_the_form_lists_suitable_organizations_and_shows_the_consent_text(
    client: FlaskClient, world: ReferralWorld
) -> None:
    login(client, world.cpi_torino)
    response = client.get(f"/referrals/new?household_id={world.household_torino.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    options = _options(html, "to_organization_id")
    assert str(world.cpi_cuneo.organization_id) in options
    assert str(world.agency.organization_id) in options
    assert str(world.region.organization_id) not in options  # no region
    assert str(world.cpi_torino.organization_id) not in options  # not our own
    assert _options(html, "request_id") == {"", str(world.request_torino.id)}
    assert "agreed" in html and 'name="consent_given"' in html


def test_referring_from_the_form(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    login(client, world.cpi_torino)
    response = client.post(
        "/referrals/new", data=_form(world, request_id=str(world.request_torino.id))
    )
    assert response.status_code == 302
    [referral] = db_session.query(Referral).all()
    assert response.headers["Location"].endswith(f"/referrals/{referral.id}")
    assert referral.request_id == world.request_torino.id
    assert referral.consent_recorded_by_user_id == world.cpi_torino.id


def test_the_form_without_consent_writes_nothing(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    login(client, world.cpi_torino)
    response = client.post("/referrals/new", data=_form(world, consent_given=None))
    assert response.status_code == 422
    assert "consent is required" in response.get_data(as_text=True)
    assert count(db_session, Referral) == 0
    assert events(db_session, "referral.create") == []


def test_the_form_is_refused_to_those_who_may_not_refer(
    client: FlaskClient, world: ReferralWorld
) -> None:
    login(client, world.cpi_cuneo)  # cannot see the Torino household
    assert client.get(f"/referrals/new?household_id={world.household_torino.id}").status_code == 404
    login(client, world.family_torino)
    assert client.get(f"/referrals/new?household_id={world.household_torino.id}").status_code == 403


def test_inbox_outbox_and_the_buttons(
    client: FlaskClient, db_session: Session, world: ReferralWorld
) -> None:
    referral_id = refer(
        client,
        db_session,
        world.cpi_torino,
        world.household_torino.id,
        world.cpi_cuneo.organization_id,
    ).json["id"]
    login(client, world.cpi_cuneo)
    inbox = client.get("/referrals").get_data(as_text=True)
    assert f'data-referral-id="{referral_id}"' in inbox
    assert f'data-referral-id="{referral_id}"' not in client.get("/referrals?box=outbox").get_data(
        as_text=True
    )
    assert f'data-referral-id="{referral_id}"' not in client.get(
        "/referrals?status=accepted"
    ).get_data(as_text=True)
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert set(re.findall(r'data-action="(\w+)"', page)) == {"accept", "reject"}

    # Rejecting without a reason: the page again, with the error; nothing changed.
    response = client.post(f"/referrals/{referral_id}/reject", data={"reason": ""})
    assert response.status_code == 422
    db_session.expire_all()
    assert db_session.get(Referral, referral_id).status == "pending"  # type: ignore[union-attr]

    response = client.post(f"/referrals/{referral_id}/accept")
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Referral, referral_id).status == "accepted"  # type: ignore[union-attr]
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert set(re.findall(r'data-action="(\w+)"', page)) == {"complete"}
    assert client.post(f"/referrals/{referral_id}/accept").status_code == 409

    login(client, world.cpi_torino)
    outbox = client.get("/referrals?box=outbox").get_data(as_text=True)
    assert f'data-referral-id="{referral_id}"' in outbox
    page = client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    assert set(re.findall(r'data-action="(\w+)"', page)) == {"revoke"}
    assert client.post(f"/referrals/{referral_id}/complete").status_code == 403

    login(client, world.asl_torino)
    assert client.get(f"/referrals/{referral_id}").status_code == 404
    login(client, world.family_torino)
    assert client.get("/referrals").status_code == 403


class TestWithCsrf:
    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_posts_need_the_token(
        self, client: FlaskClient, db_session: Session, world: ReferralWorld
    ) -> None:
        login(client, world.cpi_torino)
        assert client.post("/referrals/new", data=_form(world)).status_code == 400
        assert count(db_session, Referral) == 0
        html = client.get(f"/referrals/new?household_id={world.household_torino.id}").get_data(
            as_text=True
        )
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert token is not None
        response = client.post("/referrals/new", data=_form(world, csrf_token=token.group(1)))
        assert response.status_code == 302
        [referral] = db_session.query(Referral).all()
        assert client.post(f"/referrals/{referral.id}/revoke").status_code == 400
        page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        revoked = client.post(
            f"/referrals/{referral.id}/revoke", data={"csrf_token": token.group(1)}
        )
        assert revoked.status_code == 302
        db_session.expire_all()
        assert db_session.get(Referral, referral.id).status == "revoked"  # type: ignore[union-attr]
