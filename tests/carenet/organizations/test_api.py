"""Organizations through the API and the admin page: who sees which."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import new_token, token_digest
from tests.factories import MONCALIERI, TORINO


def _client_for(app: Flask, session: Session, user: User) -> FlaskClient:
    """A client authenticated with a fresh bearer token of ``user``."""
    token = new_token()
    session.add(
        ApiToken(user_id=user.id, name="test", prefix=token[:12], token_hash=token_digest(token))
    )
    session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def network(factories: Any) -> dict[str, Any]:
    """Two organizations, an operator of the first, an admin and a family."""
    torino = factories.OrganizationFactory(
        code="cpi-torino", name="CPI Torino", territory_codes=[TORINO, MONCALIERI]
    )
    cuneo = factories.OrganizationFactory(code="asl-cn1", kind="health_authority")
    return {
        "torino": torino,
        "cuneo": cuneo,
        "operator": factories.OperatorFactory(organization=torino),
        "admin": factories.UserFactory(role="admin"),
        "family": factories.UserFactory(role="family"),
    }


def test_admin_lists_every_organization(
    app: Flask, db_session: Session, network: dict[str, Any]
) -> None:
    response = _client_for(app, db_session, network["admin"]).get("/api/v1/organizations")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 2
    sizes = {item["code"]: item["territory_size"] for item in body["items"]}
    assert sizes == {"cpi-torino": 2, "asl-cn1": 1}


def test_operator_sees_only_their_own(
    app: Flask, db_session: Session, network: dict[str, Any]
) -> None:
    client = _client_for(app, db_session, network["operator"])
    items = client.get("/api/v1/organizations").get_json()["items"]
    assert [item["code"] for item in items] == ["cpi-torino"]

    own = client.get(f"/api/v1/organizations/{network['torino'].id}")
    assert own.status_code == 200
    detail = own.get_json()
    assert [m["istat"] for m in detail["territory"]] == [MONCALIERI, TORINO]
    assert detail["territory"][1]["name"] == "Torino"

    other = client.get(f"/api/v1/organizations/{network['cuneo'].id}")
    assert other.status_code == 404
    assert client.get("/api/v1/organizations/999999").status_code == 404


def test_families_may_not_list_organizations(
    app: Flask, db_session: Session, network: dict[str, Any]
) -> None:
    response = _client_for(app, db_session, network["family"]).get("/api/v1/organizations")
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_anonymous_callers_get_401(client: FlaskClient) -> None:
    assert client.get("/api/v1/organizations").status_code == 401


def test_admin_page_lists_organizations(
    app: Flask, db_session: Session, network: dict[str, Any]
) -> None:
    client = app.test_client()
    client.post("/login", data={"email": network["admin"].email, "password": _password()})
    page = client.get("/organizations/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "cpi-torino" in html and "asl-cn1" in html

    operator = app.test_client()
    operator.post("/login", data={"email": network["operator"].email, "password": _password()})
    assert operator.get("/organizations/").status_code == 403


def _password() -> str:
    from tests.factories import PASSWORD

    return PASSWORD
