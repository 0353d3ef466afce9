"""The request lifecycle: one commit per request, errors in one shape, headers, ids."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet.core.db import db
from carenet.core.errors import Conflict, Invalid
from carenet.organizations.models import Organization


@pytest.fixture
def probe_app(app: Flask) -> Flask:
    """The app with a few probe routes that write, then succeed or fail."""

    def write(code: str) -> None:
        db.session.add(Organization(code=code, kind="cpi", name=code))
        db.session.flush()

    @app.post("/api/v1/probe/ok")
    def probe_ok() -> dict[str, str]:
        write("probe-ok")
        return {"status": "written"}

    @app.post("/api/v1/probe/invalid")
    def probe_invalid() -> dict[str, str]:
        write("probe-invalid")
        raise Invalid("weekly hours 60 exceed the limit of 40", {"fields": {"hours": ["> 40"]}})

    @app.post("/api/v1/probe/conflict")
    def probe_conflict() -> dict[str, str]:
        write("probe-conflict")
        raise Conflict("already booked")

    @app.post("/api/v1/probe/crash")
    def probe_crash() -> dict[str, str]:
        write("probe-crash")
        raise RuntimeError("secret internal detail")

    @app.get("/probe/page-invalid")
    def probe_page_invalid() -> str:
        raise Invalid("the comune 'Moncaleri' is unknown", {"suggestions": ["Moncalieri (TO)"]})

    return app


def _codes(session: Session) -> set[str]:
    session.expire_all()
    return set(session.scalars(sa.select(Organization.code)))


def test_a_successful_request_commits_its_writes(probe_app: Flask, db_session: Session) -> None:
    response = probe_app.test_client().post("/api/v1/probe/ok")
    assert response.status_code == 200
    assert _codes(db_session) == {"probe-ok"}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/probe/invalid", 422, "invalid"),
        ("/api/v1/probe/conflict", 409, "conflict"),
        ("/api/v1/probe/crash", 500, "server_error"),
    ],
)
def test_a_failed_request_writes_nothing(
    probe_app: Flask, db_session: Session, path: str, status: int, code: str
) -> None:
    response = probe_app.test_client().post(path)
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == code
    assert _codes(db_session) == set()


def test_validation_errors_say_what_was_wrong(probe_app: Flask) -> None:
    body = probe_app.test_client().post("/api/v1/probe/invalid").get_json()
    assert body["message"] == "weekly hours 60 exceed the limit of 40"
    assert body["details"] == {"fields": {"hours": ["> 40"]}}


def test_server_errors_leak_no_internal_detail(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/api/v1/probe/crash")
    assert b"secret internal detail" not in response.data
    assert b"RuntimeError" not in response.data


def test_pages_get_an_html_error_with_suggestions(probe_app: Flask) -> None:
    response = probe_app.test_client().get("/probe/page-invalid")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "Moncaleri" in text
    assert "Moncalieri (TO)" in text


def test_unknown_api_route_is_a_json_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_unknown_page_is_an_html_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_wrong_method_is_a_405_with_allow(probe_app: Flask) -> None:
    response = probe_app.test_client().get("/api/v1/probe/ok")
    assert response.status_code == 405
    assert response.get_json()["error"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_a_10_mb_body_gets_413_and_writes_nothing(probe_app: Flask, db_session: Session) -> None:
    response = probe_app.test_client().post(
        "/api/v1/probe/ok",
        data=b"x" * (10 * 1024 * 1024),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"
    assert _codes(db_session) == set()


def test_security_headers_are_set(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_every_response_carries_a_request_id(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/").headers["X-Request-ID"]
    second = client.get("/").headers["X-Request-ID"]
    assert first and second and first != second


def test_a_well_formed_incoming_request_id_is_kept(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"X-Request-ID": "abc12345-from-proxy"})
    assert response.headers["X-Request-ID"] == "abc12345-from-proxy"


def test_a_malformed_incoming_request_id_is_replaced(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"X-Request-ID": "<script>"})
    assert response.headers["X-Request-ID"] != "<script>"


def test_the_request_log_line_carries_the_request_id(
    client, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="carenet.request"):
        response = client.get("/", headers={"X-Request-ID": "trace-0000001"})
    events = [r.msg for r in caplog.records if r.name == "carenet.request"]
    assert response.status_code == 200
    assert any(
        isinstance(e, dict) and e.get("request_id") == "trace-0000001" and e.get("status") == 200
        for e in events
    )


def test_an_id_beyond_the_database_range_is_a_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/organizations/3255293923186557583360")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_the_id_bound_is_documented(client) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/api/openapi.json").get_json()
    parameters = document["paths"]["/api/v1/organizations/{organization_id}"]["parameters"]
    assert parameters[0]["schema"]["maximum"] == 2**31 - 1
