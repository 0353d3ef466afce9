"""The JSON API: flask-smorest wired to carenet's single error format."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import marshmallow as ma
from flask import Flask
from flask_smorest import Api as _SmorestApi
from flask_smorest import Blueprint as _SmorestBlueprint
from webargs.flaskparser import FlaskParser

from carenet.core.sanitize import clean_mapping


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


class Blueprint(_SmorestBlueprint):
    """Every API blueprint: flask-smorest's, with carenet's argument parser."""

    ARGUMENTS_PARSER = CarenetParser()


class Api(_SmorestApi):
    """flask-smorest's Api, leaving error handling to ``carenet.core.errors``."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Errors are rendered by the application-wide handlers instead."""


API_DESCRIPTION = (
    "carenet's JSON API, version 1. Authenticate with `Authorization: Bearer <token>` "
    "(tokens from POST /api/v1/auth/tokens or issued to an organization's system), or with "
    "the session cookie of the pages plus an X-CSRFToken header for writes."
)


def init_api(app: Flask, blueprints: list[Blueprint]) -> Api:
    """Create the application's API, declare its security schemes, register blueprints."""
    api = Api(app, spec_kwargs={"info": {"description": API_DESCRIPTION}})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "opaque token"}
    )
    api.spec.components.security_scheme(
        "cookieAuth", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    return api


SECURED: list[dict[str, list[Any]]] = [{"bearerAuth": []}, {"cookieAuth": []}]

F = TypeVar("F", bound=Callable[..., Any])

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


class PageQuery(ma.Schema):
    """Pagination parameters shared by the list endpoints."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


def page_envelope(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    """The list response shape: items plus counts."""
    return {"items": items, "total": total, "page": page, "per_page": per_page}
