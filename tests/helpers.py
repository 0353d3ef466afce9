"""Helpers every feature's tests may use: API tokens, page logins, row counts."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import token_digest


def bearer(db_session: Session, user: User) -> dict[str, str]:
    """Authorization headers with a fresh API token of ``user``."""
    token = "cn_" + secrets.token_urlsafe(24)
    db_session.add(
        ApiToken(user_id=user.id, name="test", prefix=token[:8], token_hash=token_digest(token))
    )
    db_session.commit()
    return {"Authorization": f"Bearer {token}"}


def log_in(client: FlaskClient, user: User) -> FlaskClient:
    """Log ``user`` into the pages through the session cookie."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def count(db_session: Session, model: type) -> int:
    """Rows of ``model``'s table now (ends any snapshot first)."""
    db_session.commit()
    return db_session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
