"""Where a match request's time goes: one process, cProfile and the SQL it sends.

    python -m benchmarks.http_profile            # on the HTTP benchmark's database

Runs the real app in this process (Flask's test client, no gunicorn) on the database
``benchmarks.http_match`` prepared, as the same operator, over the same open requests:
the index is built first, then ``--requests`` match calls are timed without a profiler,
then profiled, and one more is traced statement by statement. Profiled times are inflated
by cProfile; read them as shares. The bare Flask app is timed the same way, for scale.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import statistics
import time
from typing import Any

import sqlalchemy as sa

from benchmarks import _bare_app
from benchmarks.http_match import DEFAULT_URL, OPERATOR, operator_token_and_requests

# (label, function key as "path-suffix:line(name)" prefix match on path and name)
COMPONENTS = (
    ("token auth (load_bearer_user)", "carenet/auth/loaders.py", "load_bearer_user"),
    ("request + household load and access (get_matchable)", "services.py", "get_matchable"),
    ("  of which can_broker", "carenet/access/policy.py", "can_broker"),
    ("  of which the territory scan (_in_territory)", "carenet/access/policy.py", "_in_territory"),
    ("demand from the request (adapter.demand_for)", "matchmaking/adapter.py", "demand_for"),
    ("index refresh: change-log poll (live.refresh)", "matchmaking/live.py", "refresh"),
    ("engine ranking (MatchIndex.rank)", "matching/_index.py", "rank"),
    ("candidate rows (_assistant_rows)", "matchmaking/services.py", "_assistant_rows"),
    ("proposal statuses (_proposal_statuses)", "matchmaking/services.py", "_proposal_statuses"),
    ("audit event (record_event, before its flush)", "audit/services.py", "record_event"),
    ("presenter (present_result)", "matchmaking/presenters.py", "present_result"),
    ("commit: audit INSERT + COMMIT (after_request)", "carenet/__init__.py", "_commit"),
    ("request log line (_log_request)", "core/logging.py", "_log_request"),
)


def _cumulative(stats: pstats.Stats, path: str, name: str) -> float:
    total = 0.0
    for (file, _line, func), (_cc, _nc, _tt, cum, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if func == name and file.replace(os.sep, "/").endswith(path):
            total += cum
    return total


def _time(client: Any, paths: list[str], headers: dict[str, str]) -> list[float]:
    out = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        out.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.data[:300]!r}")
    return out


def profile(url: str, operator: str, n: int, k: int = 20) -> dict[str, Any]:
    """Measure; return the figures (also printed)."""
    os.environ.update(
        {
            "CARENET_DATABASE_URL": url,
            "CARENET_SECRET_KEY": "http-benchmark-secret",
            "CARENET_LOG_LEVEL": "INFO",
        }
    )
    from carenet import create_app
    from carenet.core.db import db

    token, ids = operator_token_and_requests(url, operator)
    paths = [f"/api/v1/care-requests/{i}/matches?k={k}" for i in ids]
    headers = {"Authorization": f"Bearer {token}"}
    # The request log is written as in production, to a sink instead of the terminal.
    with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
        app = create_app()
        return _measure(app, db, paths, headers, n)


def _measure(
    app: Any, db: Any, paths: list[str], headers: dict[str, str], n: int
) -> dict[str, Any]:
    client = app.test_client()
    started = time.perf_counter()
    _time(client, paths[:1], headers)
    build = time.perf_counter() - started
    _time(client, paths[1:21], headers)
    cpu_started = time.process_time()
    plain = _time(client, [paths[i % len(paths)] for i in range(21, 21 + n)], headers)
    cpu = (time.process_time() - cpu_started) / n

    profiler = cProfile.Profile()
    profiler.enable()
    profiled = _time(client, [paths[i % len(paths)] for i in range(21 + n, 21 + 2 * n)], headers)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(profiled)
    components = [
        (label, round(1000 * _cumulative(stats, path, name) / n, 2))
        for label, path, name in COMPONENTS
    ]

    statements: list[tuple[float, int, str]] = []
    with app.app_context():
        engine = db.engine

    def before(conn: Any, *_args: Any) -> None:
        conn.info["bench_t"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        took = time.perf_counter() - conn.info["bench_t"]
        statements.append((took, cursor.rowcount, " ".join(statement.split())[:90]))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    _time(client, paths[-1:], headers)
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)

    bare = _bare_app.app.test_client()
    _time(bare, ["/api/v1/ping/1"] * 50, {})
    bare_times = _time(bare, [f"/api/v1/ping/{i}" for i in range(n)], {})

    result: dict[str, Any] = {
        "requests": n,
        "first_request_seconds": round(build, 2),
        "app_median_ms": round(1000 * statistics.median(plain), 2),
        "app_cpu_ms": round(1000 * cpu, 2),
        "bare_median_ms": round(1000 * statistics.median(bare_times), 3),
        "profiled_ms_per_request": round(1000 * total / n, 2),
        "components_profiled_ms": components,
        "statements": [
            {"ms": round(1000 * t, 2), "rows": rows, "sql": sql} for t, rows, sql in statements
        ],
    }
    print(
        f"in-process, {n} match calls: median {result['app_median_ms']} ms, "
        f"{result['app_cpu_ms']} ms of this process's CPU per call "
        f"(bare Flask: {result['bare_median_ms']} ms); profiled "
        f"{result['profiled_ms_per_request']} ms/request:"
    )
    for label, ms in components:
        print(f"  {ms:7.2f} ms  {label}")
    print(f"{len(statements)} SQL statements for one match call (plus COMMIT):")
    for item in result["statements"]:
        print(f"  {item['ms']:6.2f} ms {item['rows']:4d} rows  {item['sql']}")
    return result


def markdown(result: dict[str, Any]) -> str:
    """The profile as a Markdown subsection."""
    lines = [
        "### Where a match request's time goes",
        "",
        "`python -m benchmarks.http_profile`: the real app in one process (Flask's test "
        f"client, no gunicorn), {result['requests']} match calls on the same database: median "
        f"{result['app_median_ms']:.1f} ms per call, of which {result['app_cpu_ms']:.1f} ms "
        "of the process's own CPU (the rest is waiting on PostgreSQL and for a core), "
        f"against {result['bare_median_ms']:.2f} ms "
        "for the bare Flask route. Under cProfile "
        f"({result['profiled_ms_per_request']:.1f} ms per call, inflated by the profiler; "
        "read the figures as shares):",
        "",
        "| component | profiled ms per call |",
        "|---|---:|",
        *(f"| {label.strip()} | {ms:.2f} |" for label, ms in result["components_profiled_ms"]),
        "",
        f"One match call sends {len(result['statements'])} SQL statements, then COMMIT:",
        "",
        "| ms | rows | statement |",
        "|---:|---:|---|",
        *(f"| {s['ms']:.2f} | {s['rows']} | `{s['sql']}` |" for s in result["statements"]),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Parse the options and profile."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.http_profile",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--operator", default=OPERATOR)
    parser.add_argument("--requests", type=int, default=100, help="match calls to time")
    options = parser.parse_args()
    profile(options.database_url, options.operator, options.requests)


if __name__ == "__main__":
    main()
