"""Password change: the current password is required, and other sessions end."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.core.security import verify_password
from tests.carenet.auth.conftest import NEW_PASSWORD, fetch_user, login
from tests.factories import PASSWORD


def _change(client: FlaskClient, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def test_password_change_keeps_this_session_and_ends_the_others(
    app: Flask, client: FlaskClient, family: User, db_session: Session
) -> None:
    other_device = app.test_client()
    login(client, family.email)
    login(other_device, family.email)
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None

    response = _change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302

    assert client.get("/account").status_code == 200
    assert other_device.get("/api/v1/auth/me").status_code == 401
    replay = app.test_client()
    replay.set_cookie("session", old_cookie.value)
    assert replay.get("/api/v1/auth/me").status_code == 401

    user = fetch_user(db_session, family.email)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert login(app.test_client(), family.email, PASSWORD).status_code == 401
    assert login(app.test_client(), family.email, NEW_PASSWORD).status_code == 302


def test_password_change_requires_the_current_password(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    login(client, family.email)
    before = fetch_user(db_session, family.email)
    response = _change(client, "not my password", NEW_PASSWORD)
    assert response.status_code == 422
    assert "The current password is not correct." in response.get_data(as_text=True)
    after = fetch_user(db_session, family.email)
    assert (after.password_hash, after.session_token) == (
        before.password_hash,
        before.session_token,
    )


def test_password_change_enforces_the_minimum_length(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    login(client, family.email)
    before = fetch_user(db_session, family.email).password_hash
    response = _change(client, PASSWORD, "short")
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert fetch_user(db_session, family.email).password_hash == before


def test_password_change_needs_a_login(client: FlaskClient) -> None:
    response = _change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_language_preference_is_stored(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    login(client, family.email)
    assert client.post("/account/preferences", data={"locale": "en"}).status_code == 302
    assert fetch_user(db_session, family.email).locale == "en"
    page = client.get("/account")
    assert page.status_code == 200
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert client.post("/account/preferences", data={"locale": "de"}).status_code == 422
    assert fetch_user(db_session, family.email).locale == "en"


def test_language_change_is_audited_alike_from_the_account_page_and_a_link(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    # One setter for both ways in: the account page once audited {"locale": ...}, the
    # ?lang= link {"from": ..., "to": ...}; both now record the language before and after.
    login(client, family.email)
    assert family.locale == "en"
    client.post("/account/preferences", data={"locale": "it"})
    client.post("/account/preferences", data={"locale": "it"})  # no change, no event
    client.get("/?lang=en")
    events = db_session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "user.locale_changed")
        .order_by(AuditEvent.id)
    ).all()
    assert [e.data for e in events] == [{"from": "en", "to": "it"}, {"from": "it", "to": "en"}]
