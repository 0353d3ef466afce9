"""Fixtures of the assistants tests: operators of two territories, logins, row counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantDocument,
    AssistantLanguage,
    AssistantQualification,
)
from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.core.db import db
from tests.helpers import bearer as bearer
from tests.helpers import log_in as log_in

CUNEO, MONCALIERI, TORINO = "004078", "001156", "001272"

PROFILE: dict[str, Any] = {
    "display_name": "Ana Popescu",
    "gender": "f",
    "birth_year": 1978,
    "nationality": "RO",
    "phone": "+39 333 1234567",
    "languages": [{"language": "ro", "level": "native"}, {"language": "it", "level": "B2"}],
    "municipality": "Moncalieri",
    "province": "TO",
    "travel_radius_km": 15,
    "arrangements": ["hourly", "night"],
    "availability": "lun-ven 08:00-12:00, sab 09:00-11:00",
    "available_from": "2026-12-01",
    "years_experience": 6,
    "conditions": ["dementia"],
    "bio": "Assisto anziani da sei anni.",
}

COUNTED = (
    Assistant,
    AssistantLanguage,
    AssistantCondition,
    AssistantQualification,
    AssistantDocument,
    AuditEvent,
)


def row_counts(db_session: Session) -> dict[str, int]:
    """How many rows each table of the register (and the audit log) holds now."""
    db_session.commit()  # end any snapshot so the counts are current
    return {
        model.__tablename__: db_session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in COUNTED
    }


REGISTER_ACTIONS = ("assistant.", "qualification.", "document.")


def audit_actions(db_session: Session) -> list[str]:
    """The register's actions in the audit log, oldest first (other features' left out)."""
    db_session.commit()
    actions = db_session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))
    return [action for action in actions if action.startswith(REGISTER_ACTIONS)]


@pytest.fixture
def assistant_user(factories: Any) -> User:
    """An assistant's account, without a profile yet."""
    return factories.UserFactory(role="assistant", locale="en")


ASSISTANT_DEFAULTS: dict[str, Any] = {
    "display_name": "Maria",
    "gender": "f",
    "birth_year": 1975,
    "nationality": "RO",
    "municipality_id": TORINO,
    "travel_radius_km": 20.0,
    "accepts_hourly": True,
    "availability": b"\xff" * 21,
    "available_from": dt.date(2026, 1, 1),
    "years_experience": 5,
    "status": "verified",
}


@pytest.fixture
def make_assistant(db_session: Session) -> Callable[..., Assistant]:
    """Build and commit an assistant row (``tests.factories.AssistantFactory`` passes a
    ``user`` keyword the model does not have)."""

    def make(
        languages: dict[str, str] | None = None,
        conditions: list[str] | None = None,
        **values: Any,
    ) -> Assistant:
        assistant = Assistant(**{**ASSISTANT_DEFAULTS, **values})
        assistant.languages = [
            AssistantLanguage(language=code, level=level)
            for code, level in (languages or {}).items()
        ]
        assistant.conditions = [AssistantCondition(condition=c) for c in conditions or []]
        db_session.add(assistant)
        db_session.commit()
        return assistant

    return make


@pytest.fixture
def query_counter(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs while the test runs."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    # In a rolled-back test the app's engine stands for the test's connection.
    engine = getattr(engine, "connection", engine)
    sa.event.listen(engine, "before_cursor_execute", count)
    yield statements
    sa.event.remove(engine, "before_cursor_execute", count)
