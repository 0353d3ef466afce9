"""``carenet backup`` and ``carenet restore``: a backup of a database with data, restored
into an empty database, holds the same rows in every table (SQLite, and PostgreSQL when
``CARENET_TEST_DATABASE_URL`` points at it)."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet import create_app
from carenet.catalogue.services import sync_municipalities
from carenet.core import migrate
from carenet.core.db import db
from tests import factories

FILLED_TABLES = ("organization", "user_account", "household", "care_request", "assistant")


def _app(url: str, instance: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "IGNORE_ENVIRON": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "operations-test-secret",
            "JOB_QUEUE_URL": f"sqlite:///{instance / 'jobs.sqlite'}",
        }
    )


def _filled(url: str, instance: Path) -> Flask:
    """Migrate the database at ``url`` and give it data; the app on it."""
    migrate.upgrade(url)
    app = _app(url, instance)
    with app.app_context():
        sync_municipalities(db.session)
        db.session.commit()
    engine = sa.create_engine(url)
    with Session(engine) as session, factories.using(session):
        factories.CareRequestFactory.create_batch(3)
        factories.OperatorFactory.create_batch(2)
        factories.AssistantFactory.create_batch(2)
        session.commit()
    engine.dispose()
    return app


def _rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = sa.create_engine(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        rows = {
            table.name: [
                tuple(row)
                for row in conn.execute(
                    sa.select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in tables.sorted_tables
        }
    engine.dispose()
    return rows


def test_a_backup_restored_into_an_empty_database_has_the_same_rows(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    source, target = new_database(), new_database()
    app = _filled(source, tmp_path)
    path = tmp_path / "carenet.backup"

    saved = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert saved.exit_code == 0, saved.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = app.test_cli_runner().invoke(args=["restore", str(path), "--database-url", target])
    assert loaded.exit_code == 0, loaded.output

    original = _rows(source)
    assert all(original[name] for name in (*FILLED_TABLES, "municipality", "alembic_version"))
    assert _rows(target) == original


def test_restore_refuses_a_database_with_tables_unless_told_to_replace_them(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    source = new_database()
    app = _filled(source, tmp_path)
    path = tmp_path / "carenet.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    original = _rows(source)
    engine = sa.create_engine(source)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM assistant"))
    engine.dispose()

    refused = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert refused.exit_code != 0
    assert "already has tables" in refused.output
    assert _rows(source)["assistant"] == []

    replaced = app.test_cli_runner().invoke(args=["restore", str(path), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert _rows(source) == original
