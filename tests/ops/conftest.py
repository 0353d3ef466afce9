"""Databases of the operations tests' own: empty ones, created and dropped here.

SQLite files always; PostgreSQL databases on the server of ``CARENET_TEST_DATABASE_URL``
when it points at PostgreSQL (never that database itself).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from carenet.core.config import configured_test_database_url

DIALECTS = ["sqlite", "postgresql"]
_names = itertools.count()


def postgres_server_url() -> sa.URL | None:
    """The test PostgreSQL server's URL without a database, or None."""
    url = configured_test_database_url()
    if url is None or not url.startswith("postgresql"):
        return None
    given = sa.make_url(url)
    return sa.URL.create(given.drivername, given.username, given.password, given.host, given.port)


@pytest.fixture(params=DIALECTS)
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A function that creates one more empty database (of the test's dialect): its URL."""
    server = postgres_server_url()
    if request.param == "postgresql" and server is None:
        pytest.skip("needs CARENET_TEST_DATABASE_URL on PostgreSQL")
    created: list[str] = []

    def create() -> str:
        name = f"carenet_ops_{os.getpid()}_{next(_names)}"
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / name}.db"
        assert server is not None
        _admin(server, f'CREATE DATABASE "{name}"')
        created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    yield create
    for name in created:
        assert server is not None
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(server: sa.URL, statement: str) -> None:
    engine = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()
