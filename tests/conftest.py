"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL when
``CARENET_TEST_DATABASE_URL`` is set), the app, its test client and CLI runner.

Do not keep an application context pushed while using ``client``: Flask would reuse it
for the request, sharing ``g`` and the database session with the test. Use
``db_session`` (a plain session outside Flask) to arrange and inspect data, and
``app_ctx`` only around direct service calls.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from carenet import create_app
from carenet.core import migrate
from carenet.core.config import configured_test_database_url
from carenet.models import metadata

# Rows of these tables are reference data loaded once per run; tests never delete them.
REFERENCE_TABLES = {"municipality", "qualification", "alembic_version"}


def _reset_database(url: str) -> None:
    """Drop everything so the run starts from an empty schema."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            schema = _pg_schema(url)
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        else:
            metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


def _pg_schema(url: str) -> str:
    options = str(sa.make_url(url).query.get("options", ""))
    return options.split("search_path=")[-1] if "search_path=" in options else "public"


def _isolated_pg_url(base: str) -> str:
    """The same PostgreSQL database, in a schema of this run's own.

    Several runs (developers, CI) may share one server and database; each gets its own
    schema through ``search_path``, so they never drop each other's tables.
    """
    schema = f"carenet_test_{os.getpid()}"
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database every test of this run uses."""
    base = configured_test_database_url()
    if base is None:
        path: Path = tmp_path_factory.mktemp("db") / "carenet-test.db"
        yield f"sqlite:///{path}"
        return
    url = _isolated_pg_url(base)
    yield url
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{_pg_schema(url)}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database at ``head`` with the municipalities loaded."""
    _reset_database(database_url)
    migrate.upgrade(database_url)
    app = create_app(_test_config(database_url, tmp_path_factory.mktemp("instance")))
    from carenet.catalogue.services import sync_municipalities
    from carenet.core.db import db

    with app.app_context():
        sync_municipalities(db.session)
        db.session.commit()
    return database_url


GENEROUS_RATE_LIMITS = {
    "RATE_LIMIT_LOGIN_PER_CLIENT": "10000 per minute",
    "RATE_LIMIT_LOGIN_FAILURES": "10000 per minute",
    "RATE_LIMIT_REGISTER_PER_CLIENT": "10000 per minute",
    "RATE_LIMIT_PASSWORD_PER_CLIENT": "10000 per minute",
    "RATE_LIMIT_PASSWORD_FAILURES": "10000 per minute",
}


def _test_config(database_url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "IGNORE_ENVIRON": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        # Hashing strength is not under test; the cheapest argon2 keeps the suite fast.
        "ARGON2_PROFILE": "CHEAPEST",
        "LOG_LEVEL": os.environ.get("CARENET_TEST_LOG_LEVEL", "WARNING"),
        "SERVER_NAME": None,
        # Each app queues its jobs in its own instance folder, never the repository's.
        "JOB_QUEUE_URL": f"sqlite:///{instance / 'jobs.sqlite'}",
        # Every request comes from one address here: limits that no ordinary test reaches.
        # tests/carenet/auth/test_rate_limits.py sets real, low ones.
        **GENEROUS_RATE_LIMITS,
    }


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(
    migrated_database: str, tmp_path: Path, config_overrides: dict[str, Any]
) -> Iterator[Flask]:
    """A fresh application on the migrated database; tables are emptied afterwards."""
    config = _test_config(migrated_database, tmp_path)
    config.update(config_overrides)
    application = create_app(config)
    yield application
    _empty_tables(migrated_database)


def _empty_tables(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        names = [t.name for t in metadata.sorted_tables if t.name not in REFERENCE_TABLES]
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(names):
                conn.execute(sa.text(f"DELETE FROM {name}"))
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A plain SQLAlchemy session on the test database, outside any Flask context."""
    engine = sa.create_engine(app.config["DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An application and request context, for calling services directly."""
    with app.test_request_context():
        yield app


@pytest.fixture
def factories(db_session: Session) -> Iterator[Any]:
    """The factories module, bound to this test's ``db_session``."""
    from tests import factories as module

    module.BaseFactory._meta.sqlalchemy_session = db_session
    for factory_class in module.ALL:
        factory_class._meta.sqlalchemy_session = db_session
    yield module
    for factory_class in module.ALL:
        factory_class._meta.sqlalchemy_session = None
