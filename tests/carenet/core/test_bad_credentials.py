"""Bad credentials and unreadable bodies are client errors, never a 500 (issue 10, item 3).

Under ``/api/`` a malformed, empty or unknown bearer token is a 401 whatever the route
(a real one, an unknown path, a wrong method); pages treat it as anonymous. A JSON body
nested too deeply is a 400. An API write with no credentials at all is a 401, not a CSRF
400: there is no cookie-held authority for CSRF to protect.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.helpers import bearer

BAD_HEADERS = ["Bearer junk", "Bearer ", "Bearer", "bearer cn_" + "x" * 43, "Bearer a b c"]


@pytest.mark.parametrize("header", BAD_HEADERS)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/auth/me"),
        ("GET", "/api/v1/vocabularies"),  # public: a bad token is still refused
        ("GET", "/api/v1/no-such-thing"),
        ("DELETE", "/api/v1/vocabularies"),  # 405 without a token
        ("POST", "/api/v1/families/households"),
    ],
)
def test_api_requests_with_a_bad_bearer_token_get_a_401_json(
    client: FlaskClient, header: str, method: str, path: str
) -> None:
    response = client.open(path, method=method, headers={"Authorization": header}, json={})
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == "unauthorized"


@pytest.mark.parametrize("header", BAD_HEADERS)
@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/account"])
def test_pages_treat_a_bad_bearer_token_as_anonymous(
    client: FlaskClient, header: str, path: str
) -> None:
    response = client.get(path, headers={"Authorization": header})
    assert response.status_code < 500
    if path == "/account":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    if path in ("/", "/login"):
        assert response.status_code == 200


def test_a_bad_bearer_token_does_not_borrow_the_session(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    from tests.helpers import log_in

    log_in(client, factories.UserFactory(role="family"))
    assert client.get("/api/v1/auth/me").status_code == 200
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer junk"})
    assert response.status_code == 401


def test_a_good_bearer_token_still_works_on_pages_and_api(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    headers = bearer(db_session, factories.UserFactory(role="family"))
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.get("/api/v1/no-such-thing", headers=headers).status_code == 404


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_a_400(client: FlaskClient, depth: int) -> None:
    body = "[" * depth + "]" * depth
    for path in ("/api/v1/auth/register", "/api/v1/auth/tokens"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, response.get_data(as_text=True)
        assert response.get_json()["error"] == "bad_request"


def test_moderately_nested_json_still_reaches_the_view(client: FlaskClient) -> None:
    nested: Any = "x"
    for _ in range(20):
        nested = [nested]
    response = client.post("/api/v1/auth/tokens", json={"email": nested, "password": "p"})
    assert response.status_code == 422  # the schema's answer, not the guard's


class TestWithCsrf:
    """CSRF on, as in production."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "/api/v1/families/households"),
            ("DELETE", "/api/v1/auth/tokens/current"),
            ("PATCH", "/api/v1/care-requests/1"),
        ],
    )
    def test_an_anonymous_api_write_is_a_401(
        self, client: FlaskClient, method: str, path: str
    ) -> None:
        response = client.open(path, method=method, json={})
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"

    def test_a_logged_in_api_write_without_the_token_is_still_a_csrf_400(
        self, client: FlaskClient, factories: Any
    ) -> None:
        from tests.helpers import log_in

        log_in(client, factories.UserFactory(role="family"))
        response = client.post("/api/v1/families/households", json={})
        assert response.status_code == 400
        assert response.get_json()["error"] == "csrf_failed"

    def test_an_anonymous_page_form_still_needs_the_csrf_token(self, client: FlaskClient) -> None:
        response = client.post("/login", data={"email": "a@b.it", "password": "x" * 12})
        assert response.status_code == 400
