"""Helpers for the page tests: compiled catalogues, a user logged into the test client."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.carenet.web.catalogues import compile_catalogues


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The pages are tested in Italian and English: make sure the .mo files exist."""
    compile_catalogues()


@pytest.fixture
def login_as(client: FlaskClient) -> Any:
    """Put ``user`` in the client's session, as flask-login does after a login."""

    def login(user: Any) -> None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    return login
