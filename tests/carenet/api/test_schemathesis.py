"""schemathesis over every operation of the OpenAPI document, in-process.

Each operation is one test with at least 100 generated examples (schema-valid and
schema-violating inputs), sent with an operator's bearer token; it fails on any 5xx, any
undocumented status code or content type, and any response body that breaks its
documented schema.

The operations are listed at collection time from the document of an app that needs no
database; each test then drives the real app on the test database. (schemathesis'
pytest plugin is not used: its fixture loader does not work with pytest 9.)
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from carenet import create_app
from carenet.auth.models import ApiToken
from carenet.auth.tokens import new_token, token_digest
from tests.carenet.api.placement_examples import add_placement_examples
from tests.carenet.api.proposal_examples import add_proposal_examples
from tests.carenet.api.referral_examples import add_referral_examples

EXAMPLES = int(os.environ.get("CARENET_SCHEMATHESIS_EXAMPLES", "100"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation."""
    app = create_app({"IGNORE_ENVIRON": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    document = app.test_client().get("/api/openapi.json").get_json()
    return sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


OPERATIONS = _operations()


def test_the_document_lists_the_api() -> None:
    paths = {path for _, path in OPERATIONS}
    assert len(OPERATIONS) >= 20
    assert all(path.startswith("/api/v1/") for path in paths)


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
    add_placement_examples(factories, db_session)
    add_referral_examples(factories, db_session, operator)
    add_proposal_examples(factories, db_session)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_its_schema(
    app: Flask, operator_headers: dict[str, str], method: str, path: str
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema[path][method]
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(headers=operator_headers, checks=CHECKS)

    check()
