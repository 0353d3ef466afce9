"""CSRF with protection on: forms need the token, bearer-token API writes do not."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import new_token, token_digest
from tests.carenet.auth.conftest import count_users, fetch_user
from tests.factories import PASSWORD


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Turn CSRF protection on, as in production."""
    return {"WTF_CSRF_ENABLED": True}


def _csrf_token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


REGISTRATION = {
    "role": "family",
    "full_name": "Anna Verdi",
    "email": "anna.verdi@example.org",
    "password": "una password lunga",
    "confirm": "una password lunga",
    "locale": "it",
}


def test_register_form_without_token_is_refused_and_writes_nothing(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 400
    assert count_users(db_session) == 0


def test_register_form_with_token_works(client: FlaskClient, db_session: Session) -> None:
    token = _csrf_token(client, "/register")
    response = client.post("/register", data={**REGISTRATION, "csrf_token": token})
    assert response.status_code == 302
    assert count_users(db_session) == 1


def test_login_and_logout_forms_need_the_token(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    credentials = {"email": family.email, "password": PASSWORD}
    assert client.post("/login", data=credentials).status_code == 400
    assert client.get("/api/v1/auth/me").status_code == 401

    token = _csrf_token(client, "/login")
    assert client.post("/login", data={**credentials, "csrf_token": token}).status_code == 302
    session_token = fetch_user(db_session, family.email).session_token

    assert client.post("/logout").status_code == 400
    assert client.get("/api/v1/auth/me").status_code == 200
    assert fetch_user(db_session, family.email).session_token == session_token

    token = _csrf_token(client, "/account")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/api/v1/auth/me").status_code == 401


def test_password_change_without_token_changes_nothing(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    token = _csrf_token(client, "/login")
    client.post("/login", data={"email": family.email, "password": PASSWORD, "csrf_token": token})
    before = fetch_user(db_session, family.email).password_hash
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code == 400
    assert fetch_user(db_session, family.email).password_hash == before


def _stored_token(session: Session, user: User) -> str:
    token = new_token()
    session.add(
        ApiToken(user_id=user.id, name="test", prefix=token[:12], token_hash=token_digest(token))
    )
    session.commit()
    return token


def test_bearer_token_api_writes_need_no_csrf_token(
    app: Flask, family: User, db_session: Session
) -> None:
    token = _stored_token(db_session, family)
    response = app.test_client().delete(
        "/api/v1/auth/tokens/current", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 204


def test_cookie_api_writes_need_the_csrf_header(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    token = _csrf_token(client, "/login")
    client.post("/login", data={"email": family.email, "password": PASSWORD, "csrf_token": token})
    refused = client.delete("/api/v1/auth/tokens/current")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "csrf_failed"
    response = client.delete(
        "/api/v1/auth/tokens/current", headers={"X-CSRFToken": _csrf_token(client, "/account")}
    )
    # Past the CSRF check; refused only because a session has no token to revoke.
    assert response.status_code == 400
    assert "bearer token" in response.get_json()["message"]


def test_scripts_get_a_token_without_a_csrf_token(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    response = client.post(
        "/api/v1/auth/tokens", json={"email": family.email, "password": PASSWORD}
    )
    assert response.status_code == 201
