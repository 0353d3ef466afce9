"""``carenet user ...``: staff accounts, system tokens and unlocking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken
from carenet.core.db import utcnow
from carenet.core.security import verify_password
from tests.carenet.auth.conftest import count_users, fetch_user

STAFF_PASSWORD = "operator passphrase"


def test_create_operator_with_prompted_password(
    runner: FlaskCliRunner, factories: Any, db_session: Session
) -> None:
    factories.OrganizationFactory(code="cpi-torino")
    result = runner.invoke(
        args=[
            "user",
            "create-operator",
            "--email",
            "Op@CPI.example",
            "--organization",
            "cpi-torino",
        ],
        input=f"{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    user = fetch_user(db_session, "op@cpi.example")
    assert user is not None
    assert user.role == "operator" and user.organization.code == "cpi-torino"
    assert verify_password(user.password_hash, STAFF_PASSWORD)


def test_create_operator_of_an_unknown_organization_fails(
    runner: FlaskCliRunner, db_session: Session
) -> None:
    result = runner.invoke(
        args=[
            "user",
            "create-operator",
            "--email",
            "op@cpi.example",
            "--organization",
            "cpi-nowhere",
            "--password",
            STAFF_PASSWORD,
        ]
    )
    assert result.exit_code != 0
    assert "No organization has the code cpi-nowhere." in result.output
    assert count_users(db_session) == 0


def test_create_admin_and_refuse_a_duplicate_email(
    runner: FlaskCliRunner, db_session: Session
) -> None:
    args = ["user", "create-admin", "--email", "admin@regione.example", "--password"]
    assert runner.invoke(args=[*args, STAFF_PASSWORD]).exit_code == 0
    user = fetch_user(db_session, "admin@regione.example")
    assert user is not None and user.role == "admin" and user.organization_id is None

    result = runner.invoke(args=[*args, STAFF_PASSWORD])
    assert result.exit_code != 0
    assert "An account with this email already exists." in result.output
    assert count_users(db_session) == 1


def test_create_admin_refuses_a_short_password(runner: FlaskCliRunner, db_session: Session) -> None:
    result = runner.invoke(
        args=["user", "create-admin", "--email", "admin@regione.example", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert count_users(db_session) == 0


def test_token_command_prints_a_working_token_once(
    runner: FlaskCliRunner, client: FlaskClient, factories: Any, db_session: Session
) -> None:
    operator = factories.OperatorFactory()
    result = runner.invoke(
        args=["user", "token", "--email", operator.email, "--name", "gestionale CPI"]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("cn_")
    row = db_session.scalar(sa.select(ApiToken))
    assert row is not None and row.name == "gestionale CPI" and row.user_id == operator.id
    assert row.expires_at is not None
    assert row.expires_at - utcnow() > dt.timedelta(days=364)
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["id"] == operator.id


def test_token_command_for_an_unknown_email_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["user", "token", "--email", "ghost@example.org", "--name", "x"])
    assert result.exit_code != 0
    assert "No account has the email ghost@example.org." in result.output
