"""Password hashing, security headers and CSRF enforcement."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Request, Response, abort, current_app, g, has_app_context, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from carenet.core.errors import BadRequest
from carenet.core.extensions import csrf

_DEFAULT_HASHER = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
HASHER_EXTENSION = "carenet.password_hasher"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def _hasher() -> PasswordHasher:
    """The application's argon2 hasher (configurable profile), or the default one."""
    if has_app_context():
        hasher = current_app.extensions.get(HASHER_EXTENSION)
        if hasher is not None:
            return hasher  # type: ignore[no-any-return]
    return _DEFAULT_HASHER


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash, never raising for a mismatch."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


# Deeper JSON is refused with a 400 before any view parses it: no form or record of
# carenet nests more than a few levels, and Python's parser fails at about 1,000.
MAX_JSON_DEPTH = 32


def bearer_token(req: Request) -> str | None:
    """The credential of an ``Authorization: Bearer`` header: None without such a header,
    the empty string when the header names the scheme but carries no token."""
    scheme, _sep, token = req.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def has_bearer_token() -> bool:
    """Whether the request carries an ``Authorization: Bearer`` header, good or bad."""
    return bearer_token(request) is not None


def is_api_request() -> bool:
    """Whether the request is for the JSON API (errors and credentials differ there)."""
    return request.path.startswith("/api/")


def json_depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests lists and objects, counting no further than ``limit + 1``.

    Iterative, so that a deep document cannot exhaust the interpreter's stack here.
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep() -> BadRequest:
    return BadRequest(
        _(
            "The JSON body is nested too deeply: at most %(max)d levels are accepted.",
            max=MAX_JSON_DEPTH,
        ),
        {"max_depth": MAX_JSON_DEPTH},
    )


def init_security(app: Flask) -> None:
    """Install CSRF checks for cookie-authenticated writes and the security headers."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # The client's address (rate limits, logs) from X-Forwarded-For, as set by the
        # trusted proxies only; without them the header is anyone's to forge.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    profile = getattr(profiles, app.config["ARGON2_PROFILE"])
    app.extensions[HASHER_EXTENSION] = PasswordHasher.from_parameters(profile)

    @app.before_request
    def _refuse_large_bodies() -> None:
        # Werkzeug enforces MAX_CONTENT_LENGTH only when a view reads the body; refusing
        # up front keeps the rule for every route, before any work is done.
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length is not None and request.content_length > limit:
            abort(413)

    @app.before_request
    def _refuse_deep_json() -> None:
        # Every JSON reader (webargs, get_json) recurses; one check here covers them all.
        if not request.is_json:  # a chunked body has no Content-Length: check it too
            return
        try:
            data = request.get_json(silent=True)
        except RecursionError:
            raise _too_deep() from None
        if data is not None and json_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise _too_deep()

    @app.before_request
    def _check_csrf() -> None:
        if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            return
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        # CSRF abuses credentials the browser attaches by itself: the session cookie.
        # Bearer-token clients send none, and an API call without a logged-in session
        # carries no authority to abuse: it gets the view's 401 instead of a 400.
        if is_api_request() and (has_bearer_token() or not current_user.is_authenticated):
            return
        csrf.protect(apply_exemptions=True)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        headers.setdefault("Content-Security-Policy", g.get("csp", CONTENT_SECURITY_POLICY))
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
