"""Helpers shared by the families and care-requests tests: tokens, logins, a small world."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from tests.factories import World, build_world
from tests.helpers import bearer, log_in

__all__ = [
    "CUNEO",
    "MONCALIERI",
    "TORINO",
    "World",
    "bearer",
    "build_world",
    "count",
    "events",
    "login",
]

TORINO, MONCALIERI, CUNEO = "001272", "001156", "004078"

# The shared helpers, under the names these tests use.
login = log_in


def count(db_session: Session, model: Any) -> int:
    """Rows of ``model`` as committed right now (a new transaction, so no stale snapshot)."""
    db_session.commit()
    value = db_session.scalar(sa.select(sa.func.count()).select_from(model))
    db_session.commit()
    return int(value or 0)


def events(db_session: Session, action: str, entity_type: str | None = None) -> list[AuditEvent]:
    """Audit events with ``action`` (and entity type), oldest first."""
    db_session.commit()
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    rows = list(db_session.scalars(stmt.order_by(AuditEvent.id)))
    db_session.commit()
    return rows
