"""How flask-login finds the acting user: a session cookie or a bearer token."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, Request, g, request
from flask_babel import gettext
from sqlalchemy.orm import joinedload

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import token_digest
from carenet.core.db import db, utcnow
from carenet.core.errors import Unauthorized
from carenet.core.extensions import login_manager


def load_session_user(identity: str) -> User | None:
    """Resolve ``"<id>:<session token>"``; a rotated token logs the session out.

    A request that carries a bearer token is that token's user, whatever cookie it also
    carries: the session is ignored so the explicit credential decides.
    """
    if request.headers.get("Authorization", "").lower().startswith("bearer"):
        return None
    user_id, _, session_token = identity.partition(":")
    if not user_id.isdigit() or not session_token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_token != session_token:
        return None
    g.log_user_id = user.id
    return user


def load_bearer_user(request: Request) -> User | None:
    """Resolve an ``Authorization: Bearer`` token to its user, or fail with a 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    if not token:
        raise Unauthorized("The bearer token is empty.")
    now = utcnow()
    row = db.session.scalar(
        sa.select(ApiToken)
        .options(joinedload(ApiToken.user).joinedload(User.organization))
        .where(ApiToken.token_hash == token_digest(token))
    )
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        raise Unauthorized("The bearer token is unknown, expired or revoked.")
    if not row.user.is_enabled:
        raise Unauthorized("The account behind this token is disabled.")
    g.log_user_id = row.user_id
    g.auth_via_token = True
    g.api_token_id = row.id  # lets DELETE /api/v1/auth/tokens/current find it
    # Record use at most once a minute to keep reads cheap.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        db.session.execute(
            sa.update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now)
        )
    return row.user


def init_login(app: Flask) -> None:
    """Bind flask-login with carenet's loaders."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # flask-login flashes this when a page needs a login; translated when shown.
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_bearer_user)
