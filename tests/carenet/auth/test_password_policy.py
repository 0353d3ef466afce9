"""Passwords and identities (issue 10, item 8): common and breached passwords are refused
everywhere a password is set, and e-mails are folded (NFKC, case) before uniqueness and
lookup, so one person cannot hold two accounts under look-alike addresses."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.auth import services
from tests.carenet.auth.conftest import count_users, fetch_user, login
from tests.factories import PASSWORD

WEAK = ["password12", "1234567890", " " * 10, "qwertyuiop", "Password123!", "aaaaaaaaaaaa"]


def _register(client: FlaskClient, email: str, password: str) -> Any:
    return client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "full_name": "Maria Rossi", "role": "family"},
    )


@pytest.mark.parametrize("password", WEAK)
def test_the_api_refuses_common_passwords_and_says_why(
    client: FlaskClient, db_session: Session, password: str
) -> None:
    response = _register(client, "new.family@example.org", password)
    assert response.status_code == 422
    body = response.get_json()
    message = body["details"]["fields"]["password"][0]
    assert "too common" in message or "too easy to guess" in message
    assert count_users(db_session) == 0


@pytest.mark.parametrize("password", ["password12", "1234567890", "iloveyou12"])
def test_breached_list_passwords_are_named_as_such(client: FlaskClient, password: str) -> None:
    message = _register(client, "new.family@example.org", password).get_json()["message"]
    assert "too common" in message and "data breaches" in message


def test_a_password_close_to_the_name_or_email_is_refused(client: FlaskClient) -> None:
    response = _register(client, "maria.rossi@example.org", "rossimaria1")
    assert response.status_code == 422
    assert "too easy to guess" in response.get_json()["message"]


@pytest.mark.parametrize("password", [PASSWORD, "a much longer new passphrase", "famiglia2024"])
def test_uncommon_passwords_are_accepted(client: FlaskClient, password: str) -> None:
    assert _register(client, "new.family@example.org", password).status_code == 201


def test_the_register_page_refuses_a_common_password(
    client: FlaskClient, db_session: Session
) -> None:
    response = client.post(
        "/register",
        data={
            "role": "family",
            "full_name": "Maria Rossi",
            "email": "new.family@example.org",
            "password": "1234567890",
            "confirm": "1234567890",
            "locale": "en",
        },
    )
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
    assert count_users(db_session) == 0


def test_a_password_change_refuses_a_common_password(
    client: FlaskClient, family: Any, db_session: Session
) -> None:
    login(client, family.email)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "password12", "confirm": "password12"},
    )
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
    assert login(FlaskClient(client.application), family.email).status_code == 302


def test_staff_creation_refuses_a_common_password(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["user", "create-admin", "--email", "boss@example.org", "--password", "password12"]
    )
    assert result.exit_code != 0
    assert "too common" in result.output


# -- e-mails ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "folded"),
    [
        ("Famiglia@Example.org", "famiglia@example.org"),
        ("\uff46amiglia@example.org", "famiglia@example.org"),  # fullwidth f
        ("FAMIGLIA@EXAMPLE.ORG", "famiglia@example.org"),
        ("stra\u00dfe@example.org", "strasse@example.org"),
        ("  maria@example.org ", "maria@example.org"),
    ],
)
def test_fold_email(app_ctx: Any, given: str, folded: str) -> None:
    assert services.fold_email(given) == folded


@pytest.mark.parametrize(
    "twin", ["\uff46amiglia@example.org", "FAMIGLIA@example.org", "\uff26AMIGLIA@EXAMPLE.ORG"]
)
def test_a_look_alike_email_cannot_become_a_second_account(
    client: FlaskClient, db_session: Session, twin: str
) -> None:
    assert _register(client, "famiglia@example.org", PASSWORD).status_code == 201
    client.post("/logout")
    response = _register(client, twin, PASSWORD)
    assert response.status_code == 409
    assert count_users(db_session) == 1


def test_the_stored_email_is_the_folded_one(client: FlaskClient, db_session: Session) -> None:
    assert _register(client, "\uff46amiglia@Example.org", PASSWORD).status_code == 201
    assert fetch_user(db_session, "famiglia@example.org") is not None


def test_login_and_tokens_find_the_account_by_its_folded_email(
    client: FlaskClient, factories: Any, app_client_factory: Any
) -> None:
    factories.UserFactory(email="famiglia@example.org", role="family")
    assert login(client, "\uff46AMIGLIA@example.org").status_code == 302
    response = app_client_factory().post(
        "/api/v1/auth/tokens", json={"email": "\uff46amiglia@EXAMPLE.org", "password": PASSWORD}
    )
    assert response.status_code == 201


def test_staff_creation_folds_the_email_too(
    runner: FlaskCliRunner, factories: Any, db_session: Session
) -> None:
    factories.UserFactory(email="famiglia@example.org", role="family")
    result = runner.invoke(
        args=[
            "user",
            "create-admin",
            "--email",
            "\uff46amiglia@example.org",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert count_users(db_session) == 1
