"""One error hierarchy, turned into an HTML page or a JSON body in one place."""

from __future__ import annotations

from typing import Any

import structlog
from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = structlog.get_logger(__name__)


class CarenetError(Exception):
    """Base of the errors services raise; each maps to one HTTP status."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(CarenetError):
    """The thing asked for does not exist, or the actor may not know it exists."""

    status = 404
    code = "not_found"


class Forbidden(CarenetError):
    """The actor is known but may not do this."""

    status = 403
    code = "forbidden"


class Unauthorized(CarenetError):
    """The actor must log in first."""

    status = 401
    code = "unauthorized"


class Invalid(CarenetError):
    """The input is well-formed but breaks a rule; ``details`` says which field."""

    status = 422
    code = "invalid"


class BadRequest(CarenetError):
    """The input could not be read at all."""

    status = 400
    code = "bad_request"


class Conflict(CarenetError):
    """The change collides with the current state (a duplicate, a double booking)."""

    status = 409
    code = "conflict"


def wants_json() -> bool:
    """Whether the current request should get a JSON error rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, code: str, message: str, details: dict[str, Any]) -> Response:
    """Render one error as JSON or HTML depending on the client."""
    if wants_json():
        response = jsonify({"error": code, "message": message, "details": details})
    else:
        html = render_template(
            "error.html", status=status, code=code, message=message, details=details
        )
        response = Response(html, mimetype="text/html")
    response.status_code = status
    return response


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


def _http_message(exc: HTTPException) -> str:
    """A translated, human sentence for a plain HTTP error."""
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in to continue."),
        403: _("You are not allowed to do this."),
        404: _("The page or record you asked for does not exist."),
        405: _("This method is not allowed here."),
        413: _("The request is too large (the limit is %(limit)s).", limit="1 MiB"),
        415: _("The request body must be JSON."),
        422: _("Some fields are not valid."),
        429: _("Too many requests: please wait a moment and try again."),
    }
    return messages.get(exc.code or 500, exc.description or exc.name)


def handle_carenet_error(exc: CarenetError) -> Response:
    """Map a service error to its response."""
    return error_response(exc.status, exc.code, exc.message, exc.details)


def handle_http_exception(exc: HTTPException) -> Response:
    """Map Werkzeug's HTTP errors (404, 405, 413, webargs' 422...) to the same shape."""
    if exc.code is None or exc.code < 400:
        return exc.get_response()  # type: ignore[return-value]
    details: dict[str, Any] = {}
    data = getattr(exc, "data", None)
    if isinstance(data, dict) and "messages" in data:
        # webargs/marshmallow validation errors: {"json": {"field": ["msg"]}}
        messages = data["messages"]
        if isinstance(messages, dict) and len(messages) == 1:
            messages = next(iter(messages.values()))
        details = {"fields": messages}
    code = _HTTP_CODES.get(exc.code, "error")
    message = _http_message(exc)
    if details.get("fields") and isinstance(details["fields"], dict):
        names = ", ".join(sorted(str(k) for k in details["fields"]))
        message = _("Some fields are not valid: %(names)s.", names=names)
    response = error_response(exc.code, code, message, details)
    if exc.code == 405:
        allowed = exc.get_response().headers.get("Allow")
        if allowed:
            response.headers["Allow"] = allowed
    return response


def handle_csrf_error(exc: CSRFError) -> Response:
    """A missing or stale CSRF token: say so, and how to recover."""
    return error_response(
        400,
        "csrf_failed",
        _(
            "The form has expired or was not sent from this site (CSRF token %(problem)s): "
            "reload the page and try again.",
            problem=_("missing") if "missing" in (exc.description or "") else _("invalid"),
        ),
        {},
    )


def handle_unexpected(exc: Exception) -> Response:
    """Log an unexpected failure and answer with a 500 that leaks nothing."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    log.exception("unhandled_error", error_type=type(exc).__name__)
    return error_response(
        500, "server_error", _("Something went wrong on our side; it has been logged."), {}
    )


def register_error_handlers(app: Flask) -> None:
    """Install the error handlers on the application."""
    app.register_error_handler(CarenetError, handle_carenet_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
