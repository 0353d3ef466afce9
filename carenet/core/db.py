"""Database plumbing: the declarative base, the Flask extension and shared column types."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, g
from flask_sqlalchemy_lite import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores naive values)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Refuse naive datetimes and store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        """Mark stored values as UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base for every carenet model, with the constraint naming convention."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class TimestampMixin:
    """``created_at`` and ``updated_at`` columns kept by the ORM."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# Where ``g`` keeps the sessions handed out in the current application context.
CONTEXT_SESSIONS = "carenet_sessions"


class CarenetSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy-Lite that remembers the sessions it hands out in the context.

    The extension keeps its own list private; the request transaction needs to know which
    sessions the request opened, without opening one for requests that use none.
    """

    def get_session(self, name: str = "default") -> Session:
        """The context's session called ``name`` (see the extension), remembered."""
        sessions: dict[str, Session] | None = g.get(CONTEXT_SESSIONS)
        if sessions is None:
            sessions = g.setdefault(CONTEXT_SESSIONS, {})
        elif name in sessions:
            return sessions[name]
        session = sessions[name] = super().get_session(name)
        return session


db = CarenetSQLAlchemy()


def context_sessions() -> list[Session]:
    """The sessions opened through ``db`` in the current application context."""
    sessions: dict[str, Session] = g.get(CONTEXT_SESSIONS) or {}
    return list(sessions.values())


def init_db(app: Flask) -> None:
    """Bind ``db`` to ``app``, without the extension's async session cleanup.

    carenet has no async engine, and Flask would run that coroutine through asgiref (a
    thread and an event loop) at the end of every request (measured: 0.3 ms of CPU per
    request; see docs/benchmarks.md).
    """
    before = list(app.teardown_appcontext_funcs)
    db.init_app(app)
    app.teardown_appcontext_funcs[:] = before + [
        f
        for f in app.teardown_appcontext_funcs[len(before) :]
        if not inspect.iscoroutinefunction(f)
    ]
    listen_once(Engine, "connect", _sqlite_pragmas)


def listen_once(target: Any, identifier: str, fn: Callable[..., Any]) -> None:
    """``event.listen`` unless ``fn`` already listens (``create_app`` runs many times)."""
    if not event.contains(target, identifier, fn):
        event.listen(target, identifier, fn)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Enforce foreign keys and use WAL on SQLite, so readers never block the writer."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_options(url: str) -> dict[str, Any]:
    """Engine keyword arguments suited to the backend of ``url``."""
    options: dict[str, Any] = {"url": url}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 30}
    else:
        options["pool_pre_ping"] = True
    return options


def lock_row(session: Any, instance: Any) -> None:
    """Lock ``instance``'s row until the transaction ends, then reload it.

    A check made after this sees what concurrent transactions committed, and they wait
    for this one: a read-check-write on one row (answering a proposal, ending a
    placement) cannot interleave with another. PostgreSQL takes the row lock with
    ``SELECT ... FOR UPDATE``; SQLite has no row locks, so a no-op write takes the
    database's write lock (or waits for it, up to ``busy_timeout``) before the reload.
    Call it before changing ``instance``: the reload discards unflushed changes.
    """
    state = sa.inspect(instance)
    table = state.mapper.local_table
    where = [c == v for c, v in zip(table.primary_key, state.identity, strict=True)]
    first = next(iter(table.primary_key))
    if session.get_bind().dialect.name == "sqlite":
        # Every column set to itself, so that no ``onupdate`` (updated_at) fires either.
        same = {first.name: first} | {c.name: c for c in table.columns if c.onupdate is not None}
        session.execute(sa.update(table).where(*where).values(same))
    else:
        # The lock on the row alone: a refresh "FOR UPDATE" would lock the eagerly
        # joined rows too, which PostgreSQL refuses on the nullable side of an outer join.
        session.execute(sa.select(first).where(*where).with_for_update())
    # READ COMMITTED: this statement sees what was committed before the lock was ours.
    session.refresh(instance)
