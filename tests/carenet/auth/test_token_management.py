"""Personal tokens (issue 10, item 7): a shorter default life and a cap; their owner lists
and revokes them (pages and API); a password change and a deactivation revoke them all;
an administrator revokes anyone's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from carenet.core.db import utcnow
from tests.carenet.auth.conftest import NEW_PASSWORD, login
from tests.factories import PASSWORD


def _issue(client: FlaskClient, email: str, **extra: Any) -> Any:
    return client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD, **extra})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _active(db_session: Session, user: User) -> list[ApiToken]:
    db_session.expire_all()
    return list(
        db_session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
    )


def test_the_default_life_is_two_weeks(client: FlaskClient, family: User) -> None:
    body = _issue(client, family.email).get_json()
    life = dt.datetime.fromisoformat(body["expires_at"]) - utcnow()
    assert dt.timedelta(days=13, hours=23) < life <= dt.timedelta(days=14)


@pytest.mark.parametrize("days", [91, 365])
def test_a_life_past_the_cap_is_refused(client: FlaskClient, family: User, days: int) -> None:
    response = _issue(client, family.email, expires_in_days=days)
    assert response.status_code == 422
    assert "90" in response.get_json()["message"]


def test_the_owner_lists_and_revokes_their_tokens_through_the_api(
    client: FlaskClient, family: User, app_client_factory: Any
) -> None:
    first = _issue(client, family.email, name="laptop script").get_json()
    second = _issue(client, family.email, name="backup job").get_json()
    script = app_client_factory()
    listed = script.get("/api/v1/auth/tokens", headers=_bearer(first["token"]))
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert {(t["id"], t["name"], t["prefix"]) for t in items} == {
        (first["id"], "laptop script", first["prefix"]),
        (second["id"], "backup job", second["prefix"]),
    }
    assert all("token" not in t and "token_hash" not in t for t in items)
    response = script.delete(f"/api/v1/auth/tokens/{second['id']}", headers=_bearer(first["token"]))
    assert response.status_code == 204
    assert script.get("/api/v1/auth/me", headers=_bearer(second["token"])).status_code == 401
    listed = script.get("/api/v1/auth/tokens", headers=_bearer(first["token"])).get_json()
    assert [t["id"] for t in listed["items"]] == [first["id"]]


def test_nobody_else_sees_or_revokes_a_token(
    client: FlaskClient, family: User, factories: Any, app_client_factory: Any
) -> None:
    mine = _issue(client, family.email).get_json()
    other = factories.UserFactory(role="family", email="other@example.org")
    theirs = _issue(app_client_factory(), other.email).get_json()
    listed = client.get("/api/v1/auth/tokens", headers=_bearer(theirs["token"])).get_json()
    assert [t["id"] for t in listed["items"]] == [theirs["id"]]
    response = client.delete(f"/api/v1/auth/tokens/{mine['id']}", headers=_bearer(theirs["token"]))
    assert response.status_code == 404
    assert client.get("/api/v1/auth/me", headers=_bearer(mine["token"])).status_code == 200
    response = client.get(
        f"/api/v1/auth/tokens?user_id={family.id}", headers=_bearer(theirs["token"])
    )
    assert response.status_code == 403


def test_an_administrator_lists_and_revokes_anyones_token(
    client: FlaskClient, family: User, factories: Any, app_client_factory: Any
) -> None:
    mine = _issue(client, family.email).get_json()
    admin = factories.UserFactory(role="admin", email="admin@example.org")
    admin_token = _issue(app_client_factory(), admin.email).get_json()["token"]
    listed = client.get(f"/api/v1/auth/tokens?user_id={family.id}", headers=_bearer(admin_token))
    assert [t["id"] for t in listed.get_json()["items"]] == [mine["id"]]
    response = client.delete(f"/api/v1/auth/tokens/{mine['id']}", headers=_bearer(admin_token))
    assert response.status_code == 204
    assert client.get("/api/v1/auth/me", headers=_bearer(mine["token"])).status_code == 401


def test_the_account_page_lists_and_revokes_tokens(
    client: FlaskClient, family: User, app_client_factory: Any
) -> None:
    token = _issue(app_client_factory(), family.email, name="my backup script").get_json()
    login(client, family.email)
    page = client.get("/account").get_data(as_text=True)
    assert "my backup script" in page and token["prefix"] in page
    assert token["token"] not in page
    response = client.post(f"/account/tokens/{token['id']}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/auth/me", headers=_bearer(token["token"])).status_code == 401
    assert "no longer works" in client.get("/account").get_data(as_text=True)  # the flash
    assert "my backup script" not in client.get("/account").get_data(as_text=True)


def test_a_password_change_revokes_every_token(
    client: FlaskClient, family: User, db_session: Session, app_client_factory: Any
) -> None:
    tokens = [_issue(app_client_factory(), family.email).get_json()["token"] for _ in range(2)]
    login(client, family.email)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    for token in tokens:
        assert client.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401
    assert _active(db_session, family) == []


def test_deactivating_an_account_revokes_its_tokens_and_sessions(
    runner: FlaskCliRunner, family: User, db_session: Session, app_client_factory: Any
) -> None:
    token = _issue(app_client_factory(), family.email).get_json()["token"]
    browser = app_client_factory()
    login(browser, family.email)
    result = runner.invoke(args=["user", "deactivate", "--email", family.email])
    assert result.exit_code == 0, result.output
    assert _active(db_session, family) == []
    assert browser.get("/api/v1/auth/me").status_code == 401
    assert browser.get("/api/v1/auth/me", headers=_bearer(token)).status_code == 401
    db_session.expire_all()
    user = db_session.get(User, family.id)
    assert user is not None and not user.is_enabled


def test_token_use_is_recorded_after_the_request(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    token = _issue(client, family.email).get_json()["token"]
    assert _active(db_session, family)[0].last_used_at is None
    # A request with the token that also checks a password (and so counts a rate limit on
    # a connection of its own) must not wait for its own write (SQLite: one writer).
    response = client.post(
        "/api/v1/auth/tokens",
        json={"email": family.email, "password": PASSWORD},
        headers=_bearer(token),
    )
    assert response.status_code == 201
    used = _active(db_session, family)
    assert [t.last_used_at is not None for t in used] == [True, False]
