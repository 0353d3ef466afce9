"""The test database: one transaction per test, rolled back at its end.

The pattern of Indico and Warehouse: the test holds one connection with an outer
transaction; the app's sessions and the test's ``db_session`` are bound to it with
``join_transaction_mode="create_savepoint"``, so each ``commit()`` releases a savepoint
and nothing outlives the test. Code that writes "in a transaction of its own" on the
app's engine (the rate limiter, job progress, token use) gets a savepoint on the same
connection (``JoinedEngine``).

Tests that need real commits (other processes or threads read the database: gunicorn,
races, browsers, job consumers; migrations; a second app) are marked ``commits``: they
get the app's own engine, and the tables are emptied after them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Connection, Engine

from carenet.core.db import db, engine_options
from carenet.models import metadata

# Rows of these tables are reference data loaded once per run; tests never delete them.
REFERENCE_TABLES = {"municipality", "qualification", "alembic_version"}


def savepoint_engine(url: str) -> Engine:
    """An engine whose connections can hold an outer transaction with savepoints inside.

    pysqlite begins transactions itself, late, and a SAVEPOINT outside them would start
    (and its RELEASE commit) a transaction of its own: the driver's autocommit is turned
    off and BEGIN emitted by SQLAlchemy instead (the SQLAlchemy documentation's recipe).
    """
    engine = sa.create_engine(**engine_options(url))
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _no_driver_transactions(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.isolation_level = None

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

    return engine


class JoinedEngine:
    """Stands in for the app's engine: the test's connection, each ``begin()`` a savepoint."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self.url = connection.engine.url

    @contextlib.contextmanager
    def begin(self) -> Iterator[Connection]:
        """A savepoint, released when the block ends (rolled back if it raises)."""
        with self.connection.begin_nested():
            yield self.connection

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """The test's connection, left open (and in its transaction) after the block."""
        yield self.connection


def join_transaction(app: Flask, connection: Connection) -> None:
    """Bind ``app``'s sessions and engine to ``connection``'s transaction."""
    with app.app_context():
        db.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
        db.engines["default"] = JoinedEngine(connection)  # type: ignore[assignment]


def empty_tables(url: str) -> None:
    """Delete every row a committing test left (reference data stays)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = [t.name for t in metadata.sorted_tables if t.name not in REFERENCE_TABLES]
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(names):
                conn.execute(sa.text(f"DELETE FROM {name}"))
    engine.dispose()
