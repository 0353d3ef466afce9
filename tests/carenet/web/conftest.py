"""Helpers for the page tests: log a user into the test client's session."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    """Put ``user`` in the client's session, as flask-login does after a login."""

    def login(user: Any) -> None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    return login
