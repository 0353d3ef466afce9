"""Shared fixtures: a migrated database (SQLite file, or PostgreSQL when
``CARENET_TEST_DATABASE_URL`` is set), the app, its test client and CLI runner.

Each test runs in one transaction rolled back at its end (``tests/database.py``);
a test marked ``commits`` commits for real and the tables are emptied after it.

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
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from carenet import create_app
from carenet.auth.models import User
from carenet.core import migrate
from carenet.core.config import configured_test_database_url
from carenet.models import metadata
from tests import factories as factories_module
from tests.database import empty_tables, join_transaction, savepoint_engine
from tests.factories import CUNEO, MONCALIERI, TORINO, ReferralWorld, World

# Tests using these fixtures are served by other processes or threads: they commit.
COMMITTING_FIXTURES = {"live_server", "start_consumer"}
COMMITTING_MARKERS = {"race", "browser", "schemathesis"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``commits`` the tests that need real commits by their fixtures or markers."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        markers = {marker.name for marker in item.iter_markers()}
        if names & COMMITTING_FIXTURES or markers & COMMITTING_MARKERS:
            item.add_marker(pytest.mark.commits)


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


def _commits(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("commits") is not None


@pytest.fixture(scope="session")
def test_engine(migrated_database: str) -> Iterator[sa.Engine]:
    """The engine of the tests' own connections (one per test)."""
    engine = savepoint_engine(migrated_database)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(
    request: pytest.FixtureRequest, test_engine: sa.Engine, migrated_database: str
) -> Iterator[Connection | None]:
    """The test's connection in a transaction rolled back at the end.

    None for a test marked ``commits``: its app uses its own engine, and the tables are
    emptied after it.
    """
    if _commits(request):
        yield None
        empty_tables(migrated_database)
        return
    with test_engine.connect() as conn:
        transaction = conn.begin()
        yield conn
        transaction.rollback()


@pytest.fixture
def app(
    migrated_database: str,
    tmp_path: Path,
    config_overrides: dict[str, Any],
    connection: Connection | None,
) -> Flask:
    """A fresh application on the migrated database, in the test's transaction."""
    config = _test_config(migrated_database, tmp_path)
    config.update(config_overrides)
    application = create_app(config)
    if connection is not None:
        join_transaction(application, connection)
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def db_session(app: Flask, connection: Connection | None) -> Iterator[Session]:
    """A plain SQLAlchemy session on the test database, outside any Flask context."""
    if connection is not None:
        with Session(
            connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as session:
            yield session
        return
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
    """The factories module, creating its objects in this test's ``db_session``."""
    with factories_module.using(db_session):
        yield factories_module


# -- the actors and worlds the tests share ---------------------------------------------------


@pytest.fixture
def cpi_torino(factories: Any) -> User:
    """An operator of the CPI of Torino (territory Torino and Moncalieri), in English."""
    org = factories.OrganizationFactory(kind="cpi", territory_codes=[TORINO, MONCALIERI])
    return factories.OperatorFactory(organization=org, locale="en")  # type: ignore[no-any-return]


@pytest.fixture
def cpi_cuneo(factories: Any) -> User:
    """An operator of the CPI of Cuneo, in English."""
    org = factories.OrganizationFactory(kind="cpi", territory_codes=[CUNEO])
    return factories.OperatorFactory(organization=org, locale="en")  # type: ignore[no-any-return]


@pytest.fixture
def world(request: pytest.FixtureRequest, factories: Any) -> World | ReferralWorld:
    """Torino and Cuneo, with operators, families and one household each.

    In a module marked ``referral_world``: also an agency, an admin, a second Cuneo
    operator and an open request in each household (``ReferralWorld``).
    """
    if request.node.get_closest_marker("referral_world") is not None:
        return factories.build_referral_world(factories)  # type: ignore[no-any-return]
    return factories.build_world(factories)  # type: ignore[no-any-return]
