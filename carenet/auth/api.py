"""JSON API of the auth feature: registration, bearer tokens and the current user."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_login import login_user

from carenet.auth import services
from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.auth.presenters import present_new_token, present_token, present_user
from carenet.auth.ratelimit import note_rejected_credentials
from carenet.auth.schemas import (
    CredentialsSchema,
    RegisterSchema,
    TokenListQuery,
    TokenListSchema,
    TokenSchema,
    UserSchema,
)
from carenet.core.api import SECURED, Blueprint, ErrorSchema, document_errors
from carenet.core.db import db
from carenet.core.errors import BadRequest
from carenet.core.extensions import csrf
from carenet.core.settings import current_settings

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1/auth", description="auth")


# These two take no cookie-held authority (JSON body, no session yet), so a cross-site
# form cannot forge them; scripts must be able to call them without a CSRF token.
@csrf.exempt
@blp.route("/register", methods=["POST"])
@blp.arguments(RegisterSchema)
@blp.response(201, UserSchema)
@blp.alt_response(409, schema=ErrorSchema, description="An account with this email exists")
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid")
@blp.alt_response(429, schema=ErrorSchema, description="Too many attempts; see Retry-After")
def register(data: dict[str, Any]) -> Any:
    """Register a family or assistant account; the response also logs the client in."""
    user = services.register_user(
        db.session, **data, password_min_length=current_settings().password_min_length
    )
    login_user(user)
    return present_user(user)


@csrf.exempt
@blp.route("/tokens", methods=["POST"])
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Wrong email or password")
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid (e.g. the life)")
@blp.alt_response(429, schema=ErrorSchema, description="Too many attempts; see Retry-After")
def create_token(data: dict[str, Any]) -> Any:
    """Exchange email and password for a personal bearer token, shown only in this answer."""
    try:
        user = services.authenticate(db.session, data["email"], data["password"])
    except services.LoginFailed:
        note_rejected_credentials()
        raise
    settings = current_settings()
    expires_at = services.personal_token_expiry(
        data["expires_in_days"],
        default_days=settings.token_default_days,
        max_days=settings.token_max_days,
    )
    row, token = services.issue_token(
        db.session, user, user, name=data["name"], expires_at=expires_at
    )
    return present_new_token(row, token)


@blp.route("/tokens/current", methods=["DELETE"])
@blp.doc(security=SECURED)
@blp.response(204)
@blp.alt_response(400, schema=ErrorSchema, description="Not authenticated with a token")
@blp.alt_response(401, schema=ErrorSchema, description="Missing or invalid credentials")
@login_required
def revoke_current_token() -> None:
    """Revoke the bearer token this request is authenticated with."""
    token_id = g.get("api_token_id")
    if token_id is None:
        raise BadRequest(
            _("This request is not authenticated with a bearer token; there is none to revoke.")
        )
    services.revoke_token(db.session, current_actor(), token_id)


@blp.route("/tokens", methods=["GET"])
@blp.arguments(TokenListQuery, location="query")
@blp.response(200, TokenListSchema)
@document_errors(blp, 401, 403)
@login_required
def list_tokens(query: dict[str, Any]) -> Any:
    """The caller's tokens that still work (administrators: anyone's, with ``user_id``)."""
    actor = current_actor()
    rows = services.list_tokens(db.session, actor, query["user_id"])
    return {"items": [present_token(row) for row in rows]}


@blp.route("/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
@document_errors(blp, 401, 404)
@login_required
def revoke_token(token_id: int) -> None:
    """Revoke one of the caller's tokens (administrators: anyone's)."""
    services.revoke_token(db.session, current_actor(), token_id)


@blp.route("/me", methods=["GET"])
@blp.doc(security=SECURED)
@blp.response(200, UserSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Missing or invalid credentials")
@login_required
def me() -> Any:
    """The current account: role, language and organization."""
    return present_user(current_actor())
