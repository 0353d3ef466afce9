"""With CSRF on, a cookie-authenticated write without a token is refused with a clear 400."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import log_in


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """CSRF protection on, as in production."""
    return {"WTF_CSRF_ENABLED": True}


def test_a_form_post_without_token_says_what_is_wrong(client: FlaskClient) -> None:
    response = client.post("/login?lang=en", data={"email": "a@b.it", "password": "x" * 12})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "CSRF token missing" in text
    assert "reload the page" in text


def test_an_api_write_with_cookie_and_no_token_gets_json(
    client: FlaskClient, factories: Any
) -> None:
    # A logged-in session: without one there is no authority to protect, and the answer
    # is the view's 401 (tests/carenet/core/test_bad_credentials.py).
    log_in(client, factories.UserFactory(role="family"))
    response = client.post("/api/v1/families/households?lang=en", json={})
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "csrf_failed"
    assert "CSRF token missing" in body["message"]
