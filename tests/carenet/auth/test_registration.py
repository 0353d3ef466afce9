"""Self-registration of families and assistants, through the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.core.security import verify_password
from tests.carenet.auth.conftest import count_users, fetch_user

GOOD_PASSWORD = "una password lunga"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "role": "assistant",
        "full_name": "Ioana Popescu",
        "email": "  Ioana.Popescu@Example.ORG ",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "locale": "en",
    }
    data.update(overrides)
    return data


def test_register_page_creates_a_hashed_account_and_logs_in(
    client: FlaskClient, db_session: Session
) -> None:
    assert client.get("/register").status_code == 200
    response = client.post("/register", data=_form())
    assert response.status_code == 302
    user = fetch_user(db_session, "ioana.popescu@example.org")
    assert user is not None
    assert (user.role, user.locale, user.full_name) == ("assistant", "en", "Ioana Popescu")
    assert user.password_hash != GOOD_PASSWORD
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, GOOD_PASSWORD)
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.get_json()["email"] == "ioana.popescu@example.org"


def test_register_page_rejects_a_short_password_with_the_limit(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post("/register", data=_form(password="short", confirm="short"))
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert count_users(db_session) == 0


def test_register_page_rejects_a_duplicate_email(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    factories.UserFactory(email="ioana.popescu@example.org")
    response = client.post("/register", data=_form())
    assert response.status_code == 409
    assert "an account with this email already exists" in response.get_data(as_text=True).lower()
    assert count_users(db_session) == 1
    assert client.get("/api/v1/auth/me").status_code == 401


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_register_page_never_creates_staff(
    client: FlaskClient, db_session: Session, role: str
) -> None:
    response = client.post("/register", data=_form(role=role))
    assert response.status_code == 422
    assert count_users(db_session) == 0


def test_register_page_rejects_mismatched_confirmation(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post("/register", data=_form(confirm="something else entirely"))
    assert response.status_code == 422
    assert "The passwords differ." in response.get_data(as_text=True)
    assert count_users(db_session) == 0


def _json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": "Luca.Bianchi@Example.org",
        "password": GOOD_PASSWORD,
        "full_name": "Luca Bianchi",
        "role": "family",
        "locale": "it",
    }
    data.update(overrides)
    return data


def test_register_api_creates_the_account_and_logs_in(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post("/api/v1/auth/register", json=_json())
    assert response.status_code == 201
    body = response.get_json()
    assert body["email"] == "luca.bianchi@example.org"
    assert body["role"] == "family"
    assert body["organization"] is None
    assert "password" not in body
    assert client.get("/api/v1/auth/me").get_json()["id"] == body["id"]
    assert fetch_user(db_session, "luca.bianchi@example.org") is not None


def test_register_api_duplicate_email_is_a_409(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    factories.UserFactory(email="luca.bianchi@example.org")
    response = client.post("/api/v1/auth/register", json=_json())
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "conflict"
    assert body["message"] == "An account with this email already exists."
    assert count_users(db_session) == 1


def test_register_api_weak_password_names_the_minimum(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post("/api/v1/auth/register", json=_json(password="abc"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["details"]["fields"]["password"] == [
        "The password must be at least 10 characters long (it has 3)."
    ]
    assert count_users(db_session) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("role", "admin"), ("locale", "fr"), ("full_name", "")],
)
def test_register_api_rejects_bad_fields_and_writes_nothing(
    client: FlaskClient, db_session: Session, field: str, value: str
) -> None:
    response = client.post("/api/v1/auth/register", json=_json(**{field: value}))
    assert response.status_code == 422
    assert field in response.get_json()["details"]["fields"]
    assert count_users(db_session) == 0
