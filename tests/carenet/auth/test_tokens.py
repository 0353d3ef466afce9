"""Personal bearer tokens: issued once for email and password, checked, revoked, expired."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import token_digest
from carenet.core.db import utcnow
from tests.carenet.auth.conftest import count_tokens
from tests.factories import PASSWORD


def _issue(client: FlaskClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/api/v1/auth/tokens", json={"email": email, "password": password, **extra})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_issued_once_and_stored_only_as_a_digest(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    response = _issue(client, family.email, name="my script", expires_in_days=7)
    assert response.status_code == 201
    body = response.get_json()
    token = body["token"]
    assert token.startswith("cn_") and body["prefix"] == token[:12]
    assert body["name"] == "my script"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=6, hours=23) < expires - utcnow() <= dt.timedelta(days=7)
    row = db_session.scalar(sa.select(ApiToken))
    assert row is not None
    assert row.token_hash == token_digest(token) and token not in row.token_hash
    # The issuing response set no session: the token is the credential.
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_valid_token_authenticates_api_requests(
    client: FlaskClient, app_client_factory: Any, family: User
) -> None:
    token = _issue(client, family.email).get_json()["token"]
    response = app_client_factory().get("/api/v1/auth/me", headers=_bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["email"], body["role"], body["organization"]) == (family.email, "family", None)


def test_revoked_token_is_rejected(client: FlaskClient, family: User, db_session: Session) -> None:
    token = _issue(client, family.email).get_json()["token"]
    response = client.delete("/api/v1/auth/tokens/current", headers=_bearer(token))
    assert response.status_code == 204
    db_session.expire_all()
    assert db_session.scalar(sa.select(ApiToken.revoked_at)) is not None
    response = client.get("/api/v1/auth/me", headers=_bearer(token))
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_revoking_needs_a_token_not_a_session(client: FlaskClient, family: User) -> None:
    client.post("/login", data={"email": family.email, "password": PASSWORD})
    response = client.delete("/api/v1/auth/tokens/current")
    assert response.status_code == 400
    assert "bearer token" in response.get_json()["message"]


def test_expired_token_is_rejected(client: FlaskClient, family: User, db_session: Session) -> None:
    token = _issue(client, family.email).get_json()["token"]
    row = db_session.scalar(sa.select(ApiToken))
    assert row is not None
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    db_session.commit()
    response = client.get("/api/v1/auth/me", headers=_bearer(token))
    assert response.status_code == 401
    assert response.get_json()["message"] == "The bearer token is unknown, expired or revoked."


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer cn_" + "x" * 43, "Bearer "])
def test_garbage_tokens_get_a_401_json(client: FlaskClient, header: str) -> None:
    response = client.get("/api/v1/auth/me", headers={"Authorization": header})
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == "unauthorized"


@pytest.mark.parametrize(
    ("email", "password"),
    [("maria.rossi@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_credentials_get_the_generic_401(
    client: FlaskClient, family: User, db_session: Session, email: str, password: str
) -> None:
    response = _issue(client, email, password)
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "invalid_credentials"
    assert body["message"] == "The email or password is not correct."
    assert count_tokens(db_session) == 0


def test_me_shows_an_operators_organization(client: FlaskClient, factories: Any) -> None:
    operator = factories.OperatorFactory(organization__code="cpi-torino")
    token = _issue(client, operator.email).get_json()["token"]
    body = client.get("/api/v1/auth/me", headers=_bearer(token)).get_json()
    assert body["role"] == "operator"
    assert body["organization"]["code"] == "cpi-torino"


def test_me_needs_credentials(client: FlaskClient) -> None:
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
