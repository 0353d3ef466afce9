"""Login, logout, safe redirects, session invalidation and the per-account lockout."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from tests.carenet.auth.conftest import fetch_user, login
from tests.factories import PASSWORD

GENERIC = "The email or password is not correct."


def test_login_and_logout(client: FlaskClient, family: User, db_session: Session) -> None:
    assert client.get("/login").status_code == 200
    response = login(client, "Maria.Rossi@example.org")
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert fetch_user(db_session, family.email).last_login_at is not None

    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert client.get("/api/v1/auth/me").status_code == 401
    db_session.expire_all()
    actions = db_session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.actor_user_id == family.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["user.logged_in", "user.sessions_ended"]


def test_account_page_redirects_anonymous_users_to_login(client: FlaskClient) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_logout_is_post_only(client: FlaskClient, family: User) -> None:
    login(client, family.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/api/v1/auth/me").status_code == 200


@pytest.mark.parametrize(
    ("email", "password"),
    [("maria.rossi@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, family: User, email: str, password: str
) -> None:
    response = login(client, email, password)
    assert response.status_code == 401
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_login_failures_are_logged_without_password_or_full_email(
    client: FlaskClient, family: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    login(client, family.email, "my secret guess")
    login(client, "stranger@example.org", "another secret")
    login(client, family.email)
    events = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    failures = [e for e in events if e["event"] == "login_failed"]
    assert [(e["reason"], e.get("user_id")) for e in failures] == [
        ("wrong_password", family.id),
        ("unknown_email", None),
    ]
    assert [e["user_id"] for e in events if e["event"] == "login_succeeded"] == [family.id]
    text = caplog.text
    assert "my secret guess" not in text and "another secret" not in text
    assert family.email not in text and "stranger@example.org" not in text


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account", "/account"),
        ("/account?tab=password", "/account?tab=password"),
        ("http://localhost/account", "/account"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_redirects_only_to_local_next_urls(
    client: FlaskClient, family: User, next_url: str, expected: str
) -> None:
    response = login(client, family.email, next=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_remember_me_cookie_is_set_only_when_asked(client: FlaskClient, family: User) -> None:
    login(client, family.email)
    assert client.get_cookie("remember_token") is None
    client.post("/logout")
    login(client, family.email, remember="y")
    assert client.get_cookie("remember_token") is not None


def _session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _with_cookie(app: Flask, value: str) -> FlaskClient:
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_logout_invalidates_the_old_cookie_and_every_other_session(
    app: Flask, client: FlaskClient, family: User
) -> None:
    other_device = app.test_client()
    login(client, family.email)
    login(other_device, family.email)
    old_cookie = _session_cookie(client)
    assert _with_cookie(app, old_cookie).get("/api/v1/auth/me").status_code == 200

    client.post("/logout")

    assert _with_cookie(app, old_cookie).get("/api/v1/auth/me").status_code == 401
    assert other_device.get("/api/v1/auth/me").status_code == 401


def test_logout_invalidates_remember_me_cookies(
    app: Flask, client: FlaskClient, family: User
) -> None:
    login(client, family.email, remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/api/v1/auth/me").status_code == 200
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/api/v1/auth/me").status_code == 401


def test_unknown_emails_are_never_reported_as_locked(client: FlaskClient) -> None:
    for _attempt in range(5):
        response = login(client, "nobody@example.org", "wrong password!")
        assert response.status_code == 401
        assert GENERIC in response.get_data(as_text=True)


def test_disabled_accounts_get_the_generic_message(client: FlaskClient, factories: Any) -> None:
    user = factories.UserFactory(is_enabled=False)
    response = login(client, user.email)
    assert response.status_code == 401
    assert GENERIC in response.get_data(as_text=True)


def test_an_invalid_login_form_is_a_422(client: FlaskClient) -> None:
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
