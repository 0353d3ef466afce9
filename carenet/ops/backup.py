"""Backups of carenet's database, and their restore into an empty one.

- PostgreSQL: ``pg_dump``'s custom format, restored by ``pg_restore`` in one transaction
  (the PostgreSQL client tools, at least as new as the server, must be installed). The
  password goes to them in ``PGPASSWORD``, never on a command line others can read.
- SQLite: sqlite3's online backup API, a consistent copy even while the app writes.

A backup holds personal and health data: it is written with mode 0600, to a temporary
name first, and only a complete, readable one takes the final name. A restore refuses a
database that already has tables unless told to replace them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why."""


def backup(database_url: str, target: Path) -> None:
    """Copy the database at ``database_url`` into the file ``target``."""
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        if _dialect(database_url) == "sqlite":
            _backup_sqlite(_sqlite_path(database_url), partial)
        else:
            _run_pg("pg_dump", ["--format=custom", "--file", str(partial)], database_url)
            _run_pg("pg_restore", ["--list", str(partial)], None)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(source: Path, database_url: str, *, replace: bool = False) -> None:
    """Load the backup ``source`` into the database at ``database_url``.

    The database must have no tables, unless ``replace``: then its tables are dropped
    and replaced by the backup's.
    """
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    if not replace and table_count(database_url):
        raise BackupError(
            "the target database already has tables: restore into an empty database, "
            "or replace its contents on purpose (--replace)"
        )
    if _dialect(database_url) == "sqlite":
        _restore_sqlite(source, _sqlite_path(database_url))
        return
    options = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    if replace:
        options += ["--clean", "--if-exists"]
    _run_pg("pg_restore", [*options, str(source)], database_url)


def table_count(database_url: str) -> int:
    """How many tables the database has (0 for a SQLite file that does not exist)."""
    if _dialect(database_url) == "sqlite" and not _sqlite_path(database_url).exists():
        return 0
    engine = sa.create_engine(database_url)
    try:
        return len(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _dialect(database_url: str) -> str:
    name = sa.make_url(database_url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"cannot back up a {name} database: only PostgreSQL and SQLite")
    return name


def _sqlite_path(database_url: str) -> Path:
    database = sa.make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up or restore")
    return Path(database).resolve()


def _backup_sqlite(path: Path, target: Path) -> None:
    if not path.is_file():
        raise BackupError(f"{path}: no such SQLite database")
    with (
        closing(sqlite3.connect(path.as_uri() + "?mode=rw", uri=True)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    if verdict != "ok":
        raise BackupError(f"the copy of {path} fails SQLite's integrity check: {verdict}")


def _restore_sqlite(source: Path, path: Path) -> None:
    with source.open("rb") as fh:
        if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup")
    with (
        closing(sqlite3.connect(source.as_uri() + "?mode=ro", uri=True)) as backup_db,
        closing(sqlite3.connect(path)) as target,
    ):
        backup_db.backup(target)


def _run_pg(tool: str, arguments: list[str], database_url: str | None) -> None:
    """Run a PostgreSQL client tool on ``database_url``; its error becomes a BackupError."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client tools")
    env = dict(os.environ)
    command = [executable, *arguments]
    if database_url is not None:
        url = sa.make_url(database_url)
        if url.password is not None:
            env["PGPASSWORD"] = str(url.password)
        conninfo = sa.URL.create(
            "postgresql", url.username, None, url.host, url.port, url.database, url.query
        )
        command += ["--dbname", conninfo.render_as_string(hide_password=False)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip() or done.returncode}")
