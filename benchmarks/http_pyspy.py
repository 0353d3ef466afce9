"""Sample one gunicorn worker of the real app with py-spy while the benchmark's load runs.

    pip install py-spy   # not a project dependency: any environment will do
    python -m benchmarks.http_pyspy --py-spy /path/to/py-spy

Starts ``wsgi:app`` with 2 sync workers on the HTTP benchmark's database, builds both
indexes, runs ``--seconds`` of load with ``--concurrency`` clients, and records one worker
with ``py-spy record --idle`` (so time spent waiting on PostgreSQL counts). Prints the share
of the worker's samples per component of a match call, and the share spent waiting on the
PostgreSQL socket.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from benchmarks.http_match import (
    DEFAULT_URL,
    OPERATOR,
    Run,
    gunicorn,
    load,
    operator_token_and_requests,
    warm_up_app,
)

# First match wins, in this order: a stack is counted once.
COMPONENTS = (
    ("idle: waiting for a connection", lambda s: "wsgi_app" not in s),
    ("token auth (load_bearer_user)", lambda s: "load_bearer_user" in s),
    ("access: territory scan (_in_territory)", lambda s: "_in_territory" in s),
    ("request, household, rest of can_broker (get_matchable)", lambda s: "get_matchable" in s),
    ("demand from the request (adapter.demand_for)", lambda s: "demand_for" in s),
    ("index refresh: change-log poll (live.py)", lambda s: "matchmaking/live.py" in s),
    ("engine ranking (matching/)", lambda s: "(matching/" in s),
    ("candidate rows (_assistant_rows)", lambda s: "_assistant_rows" in s),
    ("proposal statuses (_proposal_statuses)", lambda s: "_proposal_statuses" in s),
    ("commit: audit INSERT + COMMIT (after_request)", lambda s: "_commit (carenet/" in s),
    ("async teardown run through asgiref (AsyncToSync)", lambda s: "AsyncToSync" in s),
    ("request log line (_log_request)", lambda s: "_log_request" in s),
    ("serialisation (marshmallow)", lambda s: "marshmallow" in s),
    ("other Flask, Werkzeug, gunicorn work", lambda s: True),
)


def classify(raw: Path) -> tuple[list[tuple[str, float]], float, int]:
    """Shares (%) per component, the share waiting on PostgreSQL, and the sample count."""
    counts: Counter[str] = Counter()
    waiting = total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        samples = int(n)
        total += samples
        label = next(name for name, match in COMPONENTS if match(stack))
        counts[label] += samples
        if "wsgi_app" in stack and "psycopg" in stack and "wait" in stack.rsplit(";", 3)[-1]:
            waiting += samples
    shares = [(name, round(100 * counts[name] / max(total, 1), 1)) for name, _ in COMPONENTS]
    return shares, round(100 * waiting / max(total, 1), 1), total


def main() -> None:
    """Parse the options, load, sample, print."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.http_pyspy",
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--py-spy", default="py-spy", help="the py-spy executable")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=25.0, help="load; sampled 3 s in")
    options = parser.parse_args()

    token, ids = operator_token_and_requests(options.database_url, OPERATOR)
    paths = [f"/api/v1/care-requests/{i}/matches?k=20" for i in ids]
    headers = {"Authorization": f"Bearer {token}"}
    env = {
        "CARENET_DATABASE_URL": options.database_url,
        "CARENET_SECRET_KEY": "http-benchmark-secret",
        "CARENET_LOG_LEVEL": "INFO",
    }
    with (
        tempfile.TemporaryDirectory(prefix="carenet-pyspy-") as tmp,
        gunicorn("wsgi:app", Path(tmp) / "app.log", env) as app,
    ):
        warm_up_app(app, paths, headers)
        workers = subprocess.run(
            ["pgrep", "-P", str(app.pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        runs: list[Run] = []

        def drive() -> None:
            runs.append(
                load(
                    app.port,
                    paths,
                    headers,
                    concurrency=options.concurrency,
                    seconds=options.seconds,
                    label="load",
                    progress=False,
                )
            )

        driver = threading.Thread(target=drive)
        driver.start()
        time.sleep(3)
        raw = Path(tmp) / "worker.txt"
        record = [options.py_spy, "record", "--pid", workers[0], "--idle", "--rate", "200"]
        record += ["--duration", str(int(options.seconds - 6)), "--format", "raw"]
        subprocess.run([*record, "--nonblocking", "--output", str(raw)], check=True)
        driver.join()
        shares, waiting, total = classify(raw)
    run = runs[0]
    print(f"load: {run.rps} req/s, p50 {run.p50_ms} ms, p99 {run.p99_ms} ms")
    print(f"worker {workers[0]}: {total} samples; waiting on PostgreSQL: {waiting}%")
    for name, share in shares:
        print(f"  {share:5.1f}%  {name}")


if __name__ == "__main__":
    main()
