"""Time ``carenet demo load`` on a fresh database.

    python benchmarks/demo_load.py                      # 100,000 assistants on SQLite
    python benchmarks/demo_load.py --assistants 20000
    python benchmarks/demo_load.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench

The database is prepared first (``carenet init``: migrations and municipalities, not
timed), then ``carenet demo load`` runs in its own process, as a user would run it, and
its wall-clock time is printed. ``--postgres`` empties the ``public`` schema of the
database it names: give it a database of its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parent.parent
# The CLI entry point, run with this interpreter so the checkout is what gets measured.
CARENET = [sys.executable, "-c", "from carenet.cli import main; main()"]


def carenet(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a ``carenet`` command on ``database_url``; raise if it fails."""
    env = {**os.environ, "CARENET_DATABASE_URL": database_url, "CARENET_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [*CARENET, *args], cwd=REPO, env=env, check=True, capture_output=True, text=True
    )


def reset_postgres(url: str) -> None:
    """Drop and recreate the ``public`` schema of the database at ``url``."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def count_rows(url: str) -> dict[str, int]:
    """Rows in the main tables after the load."""
    engine = sa.create_engine(url)
    tables = (
        "assistant",
        "assistant_language",
        "assistant_condition",
        "assistant_qualification",
        "assistant_document",
        "care_request",
    )
    with engine.connect() as conn:
        counts = {
            t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in tables
        }
    engine.dispose()
    return counts


def measure(label: str, url: str, assistants: int, requests: int) -> float:
    """Prepare the database at ``url``, time the load, print and return the seconds."""
    carenet(url, "init")
    started = time.perf_counter()
    carenet(url, "demo", "load", "--assistants", str(assistants), "--requests", str(requests))
    seconds = time.perf_counter() - started
    counts = count_rows(url)
    rows = sum(counts.values())
    print(
        f"{label}: carenet demo load --assistants {assistants} --requests {requests}: "
        f"{seconds:.1f} s ({rows:,} rows, {rows / seconds:,.0f} rows/s)"
    )
    print("  " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))
    return seconds


def main() -> None:
    """Parse the options and run the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assistants", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL db")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if not options.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'carenet.db'}"
            measure("SQLite", url, options.assistants, options.requests)
    if options.postgres:
        reset_postgres(options.postgres)
        measure("PostgreSQL", options.postgres, options.assistants, options.requests)


if __name__ == "__main__":
    main()
