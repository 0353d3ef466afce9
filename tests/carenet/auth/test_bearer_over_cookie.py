"""A request carrying a bearer token acts as the token's user, even with a session cookie."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.helpers import bearer, log_in


def test_the_bearer_token_decides_who_acts(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    family = factories.UserFactory(role="family")
    operator = factories.OperatorFactory()
    log_in(client, family)  # the browser session of someone else
    me = client.get("/api/v1/auth/me", headers=bearer(db_session, operator))
    assert me.status_code == 200
    assert me.get_json()["id"] == operator.id
    assert client.get("/api/v1/auth/me").get_json()["id"] == family.id
