"""The JSON API: flask-smorest wired to carenet's single error format."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import flask_smorest
import marshmallow as ma
from apispec import APISpec, BasePlugin
from flask import Flask, abort, request
from flask_smorest import Api as _SmorestApi
from marshmallow import validate
from webargs.flaskparser import FlaskParser

from carenet.core.routing import MAX_ID
from carenet.core.sanitize import MULTILINE, clean_mapping


class ErrorSchema(ma.Schema):
    """Every API error: a machine code, a human message and structured details."""

    error = ma.fields.String(required=True, metadata={"description": "Machine-readable code"})
    message = ma.fields.String(required=True, metadata={"description": "What was wrong"})
    details = ma.fields.Dict(
        required=True, metadata={"description": "Per-field messages, suggestions..."}
    )


class CarenetParser(FlaskParser):
    """webargs' Flask parser, passing every text of the body and the query string through
    the one sanitiser (``carenet.core.sanitize``) before the schema loads it."""

    def pre_load(
        self, location_data: Mapping[str, Any], *, schema: ma.Schema, req: Any, location: str
    ) -> Any:
        """Clean the texts as ``schema``'s fields take them; a refusal is a 422 naming them."""
        data = super().pre_load(location_data, schema=schema, req=req, location=location)
        if not isinstance(data, Mapping):
            return data  # not an object: the schema refuses it
        return clean_mapping(data, schema)


class Api(_SmorestApi):
    """flask-smorest's Api, leaving error handling to ``carenet.core.errors``.

    No catch-all ``default`` response: each operation lists the statuses it can answer
    (its own in the route, the shared ones added by :class:`ContractPlugin`), so a
    client, and schemathesis' status_code_conformance check, can rely on the list.
    """

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Errors are rendered by the application-wide handlers instead."""


F = TypeVar("F", bound=Callable[..., Any])


def require_json_body(required: bool) -> None:
    """Refuse a body that is not JSON (415), and a missing one where it is required (415,
    or 400 for an empty body sent as JSON). webargs alone reads either as ``{}``."""
    if not request.get_data(cache=True):
        if required:
            abort(400 if request.is_json else 415)
    elif not request.is_json:
        abort(415)


class Blueprint(flask_smorest.Blueprint):
    """Every API blueprint: flask-smorest's, with carenet's argument parser (the one input
    sanitiser), and JSON bodies that are what the document says: JSON, and present when
    ``required`` (the default)."""

    ARGUMENTS_PARSER = CarenetParser()

    def arguments(  # type: ignore[no-untyped-def]
        self, schema, *, location="json", required=True, **kwargs
    ) -> Callable[[F], F]:
        """``flask_smorest.Blueprint.arguments``, checking the body first for ``json``."""
        parse = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json":
            return parse  # type: ignore[no-any-return]

        def decorator(view: F) -> F:
            parsing = parse(view)

            @functools.wraps(parsing)
            def checked(*args: Any, **view_kwargs: Any) -> Any:
                require_json_body(required)
                return parsing(*args, **view_kwargs)

            return checked  # type: ignore[return-value]

        return decorator


API_DESCRIPTION = (
    "carenet's JSON API, version 1. Authenticate with `Authorization: Bearer <token>` "
    "(tokens from POST /api/v1/auth/tokens or issued to an organization's system), or with "
    "the session cookie of the pages plus an X-CSRFToken header for writes."
)


def init_api(app: Flask, blueprints: list[Blueprint]) -> Api:
    """Create the application's API, declare its security schemes, register blueprints."""
    contract = ContractPlugin()
    api = Api(
        app,
        spec_kwargs={"info": {"description": API_DESCRIPTION}, "extra_plugins": [contract]},
    )
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "opaque token"}
    )
    api.spec.components.security_scheme(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    contract.add_links()
    return api


SECURED: list[dict[str, list[Any]]] = [{"bearerAuth": []}, {"cookieAuth": []}]

ERROR_DESCRIPTIONS: Mapping[int, str] = {
    400: "The body could not be read",
    401: "Not logged in",
    403: "Not allowed for this role or organization",
    404: "Not found, or outside the caller's territory",
    409: "Not possible in the record's current state",
    413: "The body is larger than the limit",
    422: "Invalid input; details.fields says which field and why",
    429: "Too many attempts",
}


def document_errors(
    blp: Blueprint,
    *codes: int,
    secured: bool = True,
    descriptions: Mapping[int, str] | None = None,
) -> Callable[[F], F]:
    """Document a route's error responses (all in ``ErrorSchema``) and its security."""
    texts = {**ERROR_DESCRIPTIONS, **(descriptions or {})}

    def decorator(view: F) -> F:
        for code in codes:
            view = blp.alt_response(code, schema=ErrorSchema, description=texts[code])(view)
        return blp.doc(security=SECURED)(view) if secured else view

    return decorator


# No control characters (PostgreSQL cannot even store NUL); tab, CR and LF are fine.
# A pattern rather than a function, so the OpenAPI document states the rule too and
# clients (schemathesis among them) can know which strings the API takes.
# The sanitiser (``carenet.core.sanitize``) refuses control characters before a schema
# loads; the patterns state the same rule in the OpenAPI document.
_ONE_LINE = validate.Regexp(
    r"^[^\x00-\x1f\x7f-\x9f]*$",
    error="Control characters, tabs and line breaks are not allowed.",
)
_LINES = validate.Regexp(
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$", error="Control characters are not allowed."
)


def text(
    max_length: int, min_length: int = 0, *, multiline: bool = False, **kwargs: Any
) -> ma.fields.String:
    """A string field with length limits and no control characters; tabs and line breaks
    only when ``multiline`` (or the metadata's ``MULTILINE``)."""
    metadata = dict(kwargs.pop("metadata", {}))
    metadata.setdefault(MULTILINE, multiline)
    rule = _LINES if metadata[MULTILINE] else _ONE_LINE
    return ma.fields.String(
        validate=[validate.Length(min=min_length, max=max_length), rule],
        metadata=metadata,
        **kwargs,
    )


def identifier(**kwargs: Any) -> ma.fields.Integer:
    """A database id (a positive 32-bit integer)."""
    return ma.fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


#: The last page a list (API or page) can ask for.
MAX_PAGE = 100_000


class PageQuery(ma.Schema):
    """Pagination parameters shared by the list endpoints."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


def page_envelope(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    """The list response shape: items plus counts."""
    return {"items": items, "total": total, "page": page, "per_page": per_page}


# Statuses any operation can answer, whatever it does: they come from the HTTP layer
# (gunicorn, Werkzeug, core/security.py) before a view runs. Each is described once,
# under components/responses, and referenced from every operation.
SHARED_RESPONSES: Mapping[int, tuple[str, str]] = {
    400: (
        "BadRequest",
        "The request could not be read: malformed JSON, request line or headers, or a "
        "cookie-authenticated write without its X-CSRFToken header",
    ),
    413: ("PayloadTooLarge", "The body is larger than MAX_CONTENT_LENGTH (1 MiB by default)"),
    414: ("UriTooLong", "The request line is longer than 8190 bytes"),
    431: ("HeadersTooLarge", "More than 100 headers, or one longer than 8190 bytes"),
}
UNAUTHORIZED = ("Unauthorized", "Not logged in: no session, or a missing or invalid token")
# Public operations need no credentials, but a bearer token that is sent is checked.
BAD_TOKEN = ("BadToken", "A bearer token was sent and it is unknown, expired or revoked")
NOT_JSON = (
    "UnsupportedMediaType",
    "The body is missing or not JSON (Content-Type: application/json)",
)

_PATH_PARAMETER = re.compile(r"{([^}]+)}")
_METHODS = {"get", "put", "post", "patch", "delete"}


@dataclass
class _Operation:
    """One documented operation, as the plugin saw it while the document was built."""

    path: str
    method: str
    doc: dict[str, Any]
    provides: Mapping[int, Mapping[str, str]]

    @property
    def parameters(self) -> set[str]:
        """Names of the path parameters."""
        return set(_PATH_PARAMETER.findall(self.path))


class ContractPlugin(BasePlugin):
    """Completes each operation of the document: its ``operationId`` (the Flask
    endpoint name, what ``url_for`` takes), the shared error responses, and OpenAPI
    links from the responses that hold ids (see :func:`provides`) to the operations
    that take them, which schemathesis follows in its stateful phase."""

    def __init__(self) -> None:
        self.operations: list[_Operation] = []

    def init_spec(self, spec: APISpec) -> None:
        """Register the shared responses once, as components."""
        super().init_spec(spec)
        for name, description in [*SHARED_RESPONSES.values(), UNAUTHORIZED, BAD_TOKEN, NOT_JSON]:
            spec.components.response(
                name,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ErrorSchema}},
                },
                lazy=True,
            )

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """Fill in what every operation of ``path`` needs (called once per path)."""
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            if method not in _METHODS:
                continue
            if rule is not None:
                operation.setdefault("operationId", rule.endpoint)
            responses = operation.setdefault("responses", {})
            documented = {str(code) for code in responses}
            shared = dict(SHARED_RESPONSES)
            shared[401] = UNAUTHORIZED if operation.get("security") else BAD_TOKEN
            if "requestBody" in operation:
                shared[415] = NOT_JSON
            for code, (name, _description) in shared.items():
                if str(code) not in documented:
                    responses[code] = name
            provided = operation.pop("x-provides", {})
            self.operations.append(_Operation(str(path), method, operation, provided))

    def add_links(self) -> None:
        """Link each response that provides ids to every operation whose path parameters
        it (with the request's own path parameters) can fill, using at least one of its
        ids. Called once, after every blueprint is registered."""
        for source in self.operations:
            for status, pointers in source.provides.items():
                values = {name: f"$request.path.{name}" for name in source.parameters}
                values.update({name: f"$response.body#{ptr}" for name, ptr in pointers.items()})
                links = {}
                for target in self.operations:
                    needed = target.parameters
                    if (
                        target is source
                        or not needed & pointers.keys()
                        or not needed <= values.keys()
                    ):
                        continue
                    operation_id = target.doc["operationId"]
                    links[operation_id] = {
                        "operationId": operation_id,
                        "parameters": {name: values[name] for name in sorted(needed)},
                    }
                if links:
                    source.doc["responses"][str(status)]["links"] = links


def provides(blp: Blueprint, status: int, **pointers: str) -> Callable[[F], F]:
    """Declare which ids a response holds, as ``parameter="/json/pointer"``: the document
    then links it to every operation that takes that path parameter (OpenAPI links)."""
    return blp.doc(**{"x-provides": {status: pointers}})  # type: ignore[no-any-return]
