"""The answers agree with the OpenAPI document (issue 10, item 12), case by case: each
test is one disagreement schemathesis found, kept as a plain, fast regression test."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tests.helpers import bearer
from tests.servers import gunicorn


def conforms(app: Flask, method: str, path: str, response: TestResponse) -> None:
    """Fail unless ``response`` is one the served document allows for the operation."""
    document = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    document[path][method].validate_response(response)


@pytest.fixture
def operator_headers(factories: Any, db_session: Session) -> dict[str, str]:
    """A CPI Torino operator's bearer token."""
    return bearer(db_session, factories.OperatorFactory())


def test_the_explanation_of_an_ineligible_assistant_has_null_components(
    app: Flask, client: FlaskClient, factories: Any, operator_headers: dict[str, str]
) -> None:
    care_request = factories.CareRequestFactory()
    pending = factories.AssistantFactory(status="pending")

    response = client.get(
        f"/api/v1/care-requests/{care_request.id}/matches/{pending.id}", headers=operator_headers
    )

    assert response.status_code == 200
    body = response.get_json()
    assert body["eligible"] is False and body["components"] is None and body["score"] is None
    conforms(app, "GET", "/api/v1/care-requests/{request_id}/matches/{assistant_id}", response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/care-requests/2147483648"),
        ("PATCH", "/api/v1/care-requests/2147483648"),
        ("POST", "/api/v1/care-requests/2147483648/proposals"),
        ("GET", "/api/v1/families/recipients/99999999999/assessments"),
    ],
)
def test_an_id_beyond_the_database_range_is_not_found_whatever_the_method(
    client: FlaskClient, operator_headers: dict[str, str], method: str, path: str
) -> None:
    response = client.open(path, method=method, headers=operator_headers, json={})

    assert response.status_code == 404, response.get_json()
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 415),  # no body, no content type
        ({"data": "display_name=x", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"data": "", "content_type": "application/json"}, 400),
    ],
    ids=["missing", "form", "empty-json"],
)
def test_an_operation_with_a_json_body_refuses_a_request_without_one(
    app: Flask,
    client: FlaskClient,
    factories: Any,
    operator_headers: dict[str, str],
    body: dict[str, str],
    status: int,
) -> None:
    assistant = factories.AssistantFactory()

    response = client.patch(f"/api/v1/assistants/{assistant.id}", headers=operator_headers, **body)

    assert response.status_code == status, response.get_json()
    conforms(app, "PATCH", "/api/v1/assistants/{assistant_id}", response)


def _raw(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to a served app: status, headers (lower-case names) and body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.commits  # gunicorn reads the database on its own connections
def test_gunicorn_s_own_answers_are_carenet_json_errors(
    app: Flask, migrated_database: str, tmp_path: Path
) -> None:
    import json

    with gunicorn(migrated_database, tmp_path) as url:
        # Up to 8190 bytes the request line reaches the app, which answers in its JSON.
        long_path = "/api/v1/" + "a" * 6000
        status, headers, body = _raw(url, f"GET {long_path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert status == 404 and headers["content-type"] == "application/json"
        assert json.loads(body)["error"] == "not_found"

        too_long = "/api/v1/" + "a" * 9000
        status, headers, body = _raw(url, f"GET {too_long} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert status == 414 and headers["content-type"] == "application/json"
        assert set(json.loads(body)) == {"error", "message", "details"}
        assert json.loads(body)["error"] == "uri_too_long"

        status, headers, body = _raw(url, b"GET /api/v1/auth/me HTTP/9\r\nHost: x\r\n\r\n")
        assert status == 400 and headers["content-type"] == "application/json"
        assert json.loads(body)["error"] == "bad_request"


def test_a_bulk_run_with_no_request_waiting_is_a_conflict_not_bad_input(
    app: Flask, client: FlaskClient, operator_headers: dict[str, str]
) -> None:
    # The request has no body to be wrong: the organization's cases are in a state where
    # there is nothing to assign, which is what 409 means across the API.
    response = client.post("/api/v1/bulk-assignments", headers=operator_headers, json={})

    assert response.status_code == 409, response.get_json()
    conforms(app, "POST", "/api/v1/bulk-assignments", response)
