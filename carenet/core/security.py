"""Password hashing, security headers and CSRF enforcement."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, current_app, g, has_app_context, request

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


def has_bearer_token() -> bool:
    """Whether the request authenticates with an ``Authorization: Bearer`` header."""
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def init_security(app: Flask) -> None:
    """Install CSRF checks for cookie-authenticated writes and the security headers."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
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
    def _check_csrf() -> None:
        if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            return
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        # Bearer-token clients send no cookies, so they cannot be forged cross-site.
        if request.path.startswith("/api/") and has_bearer_token():
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
