"""schemathesis over every operation of the OpenAPI document, in-process.

Each operation gets at least 100 generated examples (valid and invalid inputs), sent with
an operator's bearer token; the run fails on any 5xx, any undocumented status code or
content type, and any response body that breaks its documented schema.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken
from carenet.auth.tokens import new_token, token_digest

EXAMPLES = int(os.environ.get("CARENET_SCHEMATHESIS_EXAMPLES", "100"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(app: Flask) -> Any:
    """The application's OpenAPI document, loaded through its own WSGI interface."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.fixture
def operator_headers(factories: Any, db_session: Session) -> dict[str, str]:
    """A CPI Torino operator's bearer token, with some records to find in the territory."""
    operator = factories.OperatorFactory()
    token = new_token()
    db_session.add(
        ApiToken(
            user_id=operator.id,
            name="schemathesis",
            prefix=token[:8],
            token_hash=token_digest(token),
        )
    )
    db_session.commit()
    for _ in range(3):
        factories.AssistantFactory()
        factories.CareRequestFactory()
    return {"Authorization": f"Bearer {token}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_conforms_to_its_schema(
    case: Any, operator_headers: dict[str, str]
) -> None:
    case.call_and_validate(headers=operator_headers, checks=CHECKS)
