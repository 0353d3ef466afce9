"""The served OpenAPI document: what ``ContractPlugin`` (carenet/core/api.py) adds to every
operation, and the links schemathesis' stateful phase follows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from carenet import create_app

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def served() -> tuple[Flask, dict[str, Any]]:
    """An app that needs no database, and its document."""
    app = create_app({"IGNORE_ENVIRON": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    return app, app.test_client().get("/api/openapi.json").get_json()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every documented operation."""
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_lists_the_api(served: tuple[Flask, dict[str, Any]]) -> None:
    _, document = served
    found = operations(document)
    assert len(found) >= 60
    assert all(path.startswith("/api/v1/") for _, path, _ in found)


def test_every_operation_lists_the_statuses_it_can_answer(
    served: tuple[Flask, dict[str, Any]],
) -> None:
    _, document = served
    for method, path, operation in operations(document):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        assert "default" not in responses, label
        expected = {"400", "401", "413", "414", "431"}
        if "requestBody" in operation:
            expected.add("415")
            assert operation["requestBody"]["required"] in (True, False), label
        assert expected <= set(responses), (label, expected - set(responses))
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                content = response.get("content") or document["components"]["responses"][
                    response["$ref"].rsplit("/", 1)[1]
                ].get("content")
                assert content["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }, (label, code)


def test_operation_ids_are_the_flask_endpoints(served: tuple[Flask, dict[str, Any]]) -> None:
    app, document = served
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for method, path, operation in operations(document):
        rule = next(app.url_map.iter_rules(operation["operationId"]))
        assert re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) == path
        assert method.upper() in (rule.methods or set())


def test_every_link_names_an_operation_and_fills_its_path(
    served: tuple[Flask, dict[str, Any]],
) -> None:
    _, document = served
    by_id = {op["operationId"]: path for _, path, op in operations(document)}
    links = 0
    for _, path, operation in operations(document):
        own = set(re.findall(r"{(\w+)}", path))
        for response in operation["responses"].values():
            for link in response.get("links", {}).values():
                links += 1
                target = by_id[link["operationId"]]
                assert set(link["parameters"]) == set(re.findall(r"{(\w+)}", target))
                for value in link["parameters"].values():
                    assert value.startswith("$response.body#/") or (
                        value.startswith("$request.path.") and value.split(".")[-1] in own
                    )
    assert links >= 50


@pytest.mark.parametrize(
    ("creator", "status", "reader"),
    [
        ("assistants_api.create_assistant", "201", "assistants_api.get_assistant"),
        ("assistants_api.create_assistant", "201", "assistants_api.update_assistant"),
        ("assistants_api.add_qualification", "201", "assistants_api.remove_qualification"),
        ("families_api.create_household", "201", "families_api.get_household"),
        ("families_api.create_recipient", "201", "families_api.update_recipient"),
        ("care_requests_api.create_request", "201", "care_requests_api.update_request"),
        ("care_requests_api.create_request", "201", "matchmaking_api.list_matches"),
        ("proposals_api.create_proposals", "201", "proposals_api.answer_proposal"),
        ("placements_api.start_placement", "201", "placements_api.end_placement"),
        ("referrals_api.create_referral", "201", "referrals_api.accept_referral"),
        ("matchmaking_api.start_bulk", "202", "jobs_api.get_job"),
        ("care_requests_api.list_requests", "200", "care_requests_api.get_request"),
    ],
)
def test_what_is_created_or_listed_links_to_what_reads_and_changes_it(
    served: tuple[Flask, dict[str, Any]], creator: str, status: str, reader: str
) -> None:
    _, document = served
    operation = next(op for _, _, op in operations(document) if op["operationId"] == creator)
    assert reader in operation["responses"][status]["links"]


def test_request_language_lists_name_their_vocabulary(
    served: tuple[Flask, dict[str, Any]],
) -> None:
    from carenet.core.vocab import LANGUAGES

    _, document = served
    for name in ("CareRequestCreate", "CareRequestUpdate"):
        schema = document["components"]["schemas"][name]["properties"]
        for field in ("required_languages", "preferred_languages"):
            assert schema[field]["items"]["enum"] == list(LANGUAGES)


def _input_strings(
    document: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    """(place, schema) of every free-text string a client can send inside ``schema``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return []
        return _input_strings(
            document, document["components"]["schemas"][name], where, seen | {name}
        )
    found: list[tuple[str, dict[str, Any]]] = []
    if schema.get("readOnly"):
        return found
    is_string = schema.get("type") == "string" or "string" in (schema.get("type") or [])
    if is_string and not ({"enum", "format"} & set(schema)) and not schema.get("writeOnly"):
        found.append((where, schema))
    for key, inner in (schema.get("properties") or {}).items():
        found += _input_strings(document, inner, f"{where}.{key}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _input_strings(document, schema[key], f"{where}[]", seen)
    for key in ("allOf", "anyOf", "oneOf"):
        for inner in schema.get(key) or []:
            found += _input_strings(document, inner, where, seen)
    return found


def test_every_text_a_client_sends_states_the_sanitisers_rule(
    served: tuple[Flask, dict[str, Any]],
) -> None:
    """The sanitiser (carenet/core/sanitize.py) refuses control characters in every text; the
    document must say so (a pattern), or clients, schemathesis among them, send text the API
    then refuses. Passwords (write-only) are taken as typed."""
    _, document = served
    unstated = []
    for method, path, operation in operations(document):
        label = f"{method.upper()} {path}"
        sources = [
            (f"{label} {p['in']} {p['name']}", p.get("schema", {}))
            for p in operation.get("parameters", [])
            if p["in"] in ("query", "path")
        ]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            sources.append((f"{label} body", body["schema"]))
        for where, schema in sources:
            unstated += [
                where
                for where, string in _input_strings(document, schema, where, set())
                if "pattern" not in string
            ]
    assert not unstated, "\n".join(sorted(set(unstated)))
