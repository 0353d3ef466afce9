"""HTTP benchmark: the match endpoint under gunicorn beside a bare Flask endpoint.

    python -m benchmarks.http_match                      # the full run (3-5 minutes)
    python -m benchmarks.http_match --duration 5 --rounds 1   # a quick look

What it does, in one run on one machine:

1. PostgreSQL (``--database-url``; by default the database ``carenet_bench``, created if
   missing, or ``CARENET_BENCH_DATABASE_URL``; schema ``carenet_bench``): ``carenet init``
   (migrations and municipalities), then ``carenet demo load`` with 100,000 assistants
   unless the schema already holds exactly that many; then ``ANALYZE``.
2. Three gunicorn servers with 2 sync workers each on free ports: the real app
   (``wsgi:app``), the floor app (``benchmarks._floor_app``: the least work any match
   endpoint must do) on that database, and a bare Flask app (``benchmarks._bare_app``).
3. Warm-up: match requests until both workers of the real app have built their matching
   index (build times read from the app's log), and a few seconds of load on each server.
4. ``--rounds`` rounds (3), each a fixed-duration load on the bare server, the floor, then
   the real app, with the same in-process load generator at a fixed concurrency
   (``--concurrency``, 16 threads, one new connection per request, as gunicorn's sync
   workers close every connection). The URLs rotate over every open request the operator
   may broker (200 at least). Any response other than 200 fails the run.
5. Each round's ratios (app / floor, app / bare, floor / bare), the load average at the
   end of every load, and medians over the rounds of requests/s, p50 and p99; written to
   ``benchmarks/results-http.json``. ``python -m benchmarks`` (``make bench``) runs this
   and appends the section to docs/benchmarks.md; ``--out`` writes it to a file of its
   own as well.

The load generator runs on the same 2 cores as the servers and PostgreSQL, so every figure
includes its cost; the same generator drives both servers, which is why the ratio, not
the absolute throughput, is the result.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import itertools
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from tqdm import tqdm

from benchmarks import _http_report

REPO = Path(__file__).resolve().parent.parent
# A database of the benchmark's own (created if missing), or CARENET_BENCH_DATABASE_URL.
DEFAULT_URL = os.environ.get(
    "CARENET_BENCH_DATABASE_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/carenet_bench"
    "?options=-csearch_path%3Dcarenet_bench",
)
CARENET = [sys.executable, "-c", "from carenet.cli import main; main()"]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
OPERATOR = "operatore.cpi.torino@carenet.demo"
TOKEN_NAME = "http-benchmark"
NOTES = "benchmarks/http_notes.md"
WORKERS = 2
CONCURRENCY = 16
START_TIMEOUT_S = 60
BUILD_TIMEOUT_S = 600
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- the database ---------------------------------------------------------------------


def _schema(url: str) -> str:
    options = str(sa.make_url(url).query.get("options", ""))
    return options.split("search_path=")[-1] if "search_path=" in options else "public"


def _carenet(url: str, *args: str) -> None:
    """Run a ``carenet`` command on ``url``; its progress bar goes to the terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARENET_")}
    env.update({"CARENET_DATABASE_URL": url, "CARENET_LOG_LEVEL": "WARNING"})
    subprocess.run([*CARENET, *args], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)


def ensure_postgres() -> None:
    """Start the local PostgreSQL clusters if nothing answers on 5432 (as .ci/run does)."""

    def ready() -> bool:
        probe = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]
        return subprocess.run(probe, check=False).returncode == 0

    if ready():
        return
    print("PostgreSQL is not running: starting it")
    clusters = Path("/etc/postgresql")
    for version in sorted(p.name for p in clusters.iterdir()) if clusters.is_dir() else []:
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
        subprocess.run(command, check=False)
    for _ in range(30):
        if ready():
            return
        time.sleep(1)
    sys.exit("PostgreSQL at 127.0.0.1:5432 cannot be reached")


def _create_database(url: sa.URL) -> None:
    """CREATE DATABASE ``url``'s database unless it exists (connected to ``postgres``)."""
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}
        ).first()
        if found is None:
            print(f"creating database {url.database}")
            conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    engine.dispose()


def prepare_database(url: str, assistants: int, requests: int) -> dict[str, Any]:
    """Migrate, sync the municipalities and load the demo data unless already there."""
    schema = _schema(url)
    base = sa.make_url(url).difference_update_query(["options"])
    _create_database(base)
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        server = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = (
            conn.execute(sa.text("SELECT count(*) FROM assistant")).scalar_one()
            if sa.inspect(conn).has_table("assistant")
            else 0
        )
    engine.dispose()
    print(f"database: schema {schema} has {found:,} assistants")
    if found != assistants:
        if found:
            print(f"dropping schema {schema} to load {assistants:,} assistants afresh")
            engine = sa.create_engine(base)
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            engine.dispose()
        print("carenet init (migrations, municipalities)")
        _carenet(url, "init")
        print(f"carenet demo load --assistants {assistants} --requests {requests}")
        started = time.perf_counter()
        _carenet(url, "demo", "load", "--assistants", str(assistants), "--requests", str(requests))
        print(f"  loaded in {time.perf_counter() - started:.1f} s")
        reused = False
    else:
        print("carenet init (migrations, municipalities: safe to run again)")
        _carenet(url, "init")
        reused = True
    # Planner statistics, as autovacuum would keep them on a production server (it is off
    # on some, and COPY leaves none): without them the candidate-rows join scans all comuni.
    engine = sa.create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = conn.scalars(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY 1"),
            {"s": schema},
        ).all()
        for table in tables:
            conn.execute(sa.text(f'ANALYZE "{schema}"."{table}"'))
    engine.dispose()
    print(f"ANALYZE: {len(tables)} tables of schema {schema}")
    return {
        "schema": schema,
        "assistants": assistants,
        "reused": reused,
        "postgres": server,
        "analyzed": True,
    }


def operator_token_and_requests(url: str, email: str) -> tuple[str, list[int]]:
    """A fresh API token of the operator, and the ids of the requests they may match.

    The requests are those of households the access layer puts in the operator's scope,
    in a status the match endpoint accepts.
    """
    from carenet import models  # noqa: F401  (every mapper, for the relationships)
    from carenet.access.policy import can_broker, scope_households
    from carenet.auth.models import ApiToken, User
    from carenet.auth.tokens import new_token, token_digest
    from carenet.care_requests.models import CareRequest
    from carenet.families.models import CareRecipient, Household
    from carenet.matchmaking.services import MATCHABLE

    engine = sa.create_engine(url)
    with sa.orm.Session(engine) as session:
        user = session.scalars(sa.select(User).where(User.email == email)).one()
        session.execute(
            sa.delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.name == TOKEN_NAME)
        )
        token = new_token()
        session.add(
            ApiToken(
                user_id=user.id, name=TOKEN_NAME, prefix=token[:8], token_hash=token_digest(token)
            )
        )
        households = scope_households(sa.select(Household), user)
        rows = session.execute(
            households.add_columns(CareRequest.id)
            .join(CareRecipient, CareRecipient.household_id == Household.id)
            .join(CareRequest, CareRequest.recipient_id == CareRecipient.id)
            .where(CareRequest.status.in_(sorted(MATCHABLE)))
            .order_by(CareRequest.id)
        ).all()
        ids = [request_id for household, request_id in rows if can_broker(user, household)]
        session.commit()
    engine.dispose()
    return token, ids


# --- the servers ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running gunicorn: its base URL, port, log file and master process id."""

    url: str
    port: int
    log: Path
    pid: int


@contextlib.contextmanager
def gunicorn(app: str, log: Path, env: dict[str, str]) -> Iterator[Server]:
    """Serve ``app`` with 2 sync workers on a free port until the block ends."""
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CARENET_")}
    environ.update(env)
    command = [GUNICORN, "--config", str(REPO / "gunicorn.conf.py")]
    command += ["--workers", str(WORKERS), "--worker-class", "sync"]
    # A worker builds its index on its first match; on a loaded machine that can outlast
    # gunicorn's default 30 s timeout, which would kill it mid-build, again and again.
    command += ["--timeout", str(BUILD_TIMEOUT_S)]
    command += ["--bind", f"127.0.0.1:{port}", app]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=environ, stdout=out, stderr=out)
    server = Server(f"http://127.0.0.1:{port}", port, log, process.pid)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"gunicorn {app} did not start:\n{log.read_text()}"
                    ) from None
                time.sleep(0.2)
        yield server
    except Exception:
        tail = log.read_text(errors="replace").splitlines()[-40:]
        print(f"--- the last lines of {app}'s log ---", *tail, sep="\n", file=sys.stderr)
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the load generator ---------------------------------------------------------------


class RequestFailed(RuntimeError):
    """A response other than 200: the run is void."""


@dataclass
class Run:
    """One fixed-duration load on one server."""

    server: str
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    cpu_ms: float | None = None  # the server's processes' CPU per request, if known
    load_avg: tuple[float, float, float] = (0.0, 0.0, 0.0)  # os.getloadavg() at its end


def server_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of a gunicorn master and its workers so far (Linux).

    Far less sensitive than throughput to what else the shared machine runs: it counts
    only the cycles the server itself spent.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children")
    pids = [master, *(int(p) for p in children.read_text().split())]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) by the nearest-rank method."""
    rank = max(1, round(q * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def load(
    port: int,
    paths: list[str],
    headers: dict[str, str],
    *,
    concurrency: int,
    seconds: float,
    label: str,
    progress: bool = True,
    server_pid: int | None = None,
    timeout: float = 60.0,
) -> Run:
    """``concurrency`` clients, each sending its next request as soon as it has an answer,
    for ``seconds``; the paths rotate in order over all clients."""
    rotation = itertools.cycle(paths)
    rotation_lock = threading.Lock()
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    failures: list[str] = []
    stop = threading.Event()

    def client(mine: list[float]) -> None:
        while not stop.is_set():
            with rotation_lock:
                path = next(rotation)
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except OSError as exc:
                failures.append(f"GET {path}: {exc!r}")
                stop.set()
                return
            finally:
                conn.close()
            if response.status != 200:
                failures.append(f"GET {path}: {response.status} {body[:300]!r}")
                stop.set()
                return
            mine.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    cpu_before = server_cpu_seconds(server_pid) if server_pid else None
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    with tqdm(
        total=round(seconds), desc=label, unit="s", leave=False, disable=not progress or None
    ) as bar:
        while not stop.is_set() and (elapsed := time.perf_counter() - started) < seconds:
            stop.wait(min(1.0, seconds - elapsed))
            bar.n = min(round(time.perf_counter() - started), round(seconds))
            bar.refresh()
    stop.set()
    for thread in threads:
        thread.join()
    # Only requests that ended in the window count; the tail ones finished just after it.
    elapsed = time.perf_counter() - started
    cpu = (
        server_cpu_seconds(server_pid) - cpu_before
        if server_pid and cpu_before is not None
        else None
    )
    if failures:
        raise RequestFailed(f"{label}: {failures[0]}")
    values = sorted(v for mine in latencies for v in mine)
    if not values:
        raise RequestFailed(f"{label}: no request completed in {seconds} s")
    return Run(
        server=label,
        seconds=round(elapsed, 3),
        requests=len(values),
        rps=round(len(values) / elapsed, 1),
        p50_ms=round(1000 * _percentile(values, 0.50), 2),
        p99_ms=round(1000 * _percentile(values, 0.99), 2),
        max_ms=round(1000 * values[-1], 2),
        cpu_ms=round(1000 * cpu / len(values), 3) if cpu is not None else None,
        load_avg=(*(round(x, 2) for x in os.getloadavg()),),  # type: ignore[arg-type]
    )


def warm_up_floor(server: Server, paths: list[str], headers: dict[str, str]) -> float:
    """Load the floor app until both its workers have built their index (seconds taken).

    A worker builds on its first request; once every call of a one-second load answers
    in under 200 ms, both have.
    """
    started = time.perf_counter()
    with tqdm(desc="floor index builds", unit="s", leave=False, disable=None) as bar:
        while True:
            run = load(
                server.port,
                paths,
                headers,
                concurrency=2,
                seconds=1,
                label="",
                progress=False,
                timeout=BUILD_TIMEOUT_S,
            )
            bar.update(1)
            if run.max_ms < 200:
                return round(time.perf_counter() - started, 1)
            if time.perf_counter() - started > BUILD_TIMEOUT_S:
                raise RuntimeError(f"the floor app did not build in {BUILD_TIMEOUT_S} s")


def build_times(log: Path) -> list[float]:
    """Seconds of each ``matching.index_built`` line in the app's log."""
    text = ANSI.sub("", log.read_text(errors="replace"))
    return [float(m) for m in re.findall(r"matching\.index_built.*?seconds=([0-9.]+)", text)]


def readiness(server: Server) -> int:
    """The status ``/readyz`` answers (503 while the index built at start is loading)."""
    try:
        with urllib.request.urlopen(server.url + "/readyz", timeout=2) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


def warm_up_app(server: Server, paths: list[str], headers: dict[str, str]) -> dict[str, Any]:
    """Wait until ``/readyz`` says the index is built (once, in gunicorn's master, before
    the workers fork: ``preload_app``), then match two at a time until every path has been
    asked once, so both workers are warm."""
    started = time.perf_counter()
    while readiness(server) != 200:
        if time.perf_counter() - started > BUILD_TIMEOUT_S:
            raise RuntimeError(f"the index was not built in {BUILD_TIMEOUT_S} s")
        time.sleep(0.2)
    ready = time.perf_counter() - started
    run = load(
        server.port,
        paths[:2],
        headers,
        concurrency=2,
        seconds=0.5,
        label="warm-up",
        progress=False,
        timeout=BUILD_TIMEOUT_S,
    )
    load(
        server.port,
        paths,
        headers,
        concurrency=2,
        seconds=3,
        label="warm-up",
        progress=False,
        timeout=BUILD_TIMEOUT_S,
    )
    return {
        "build_seconds": build_times(server.log),
        "until_both_built_seconds": round(ready, 1),
        "first_request_seconds": round(run.max_ms / 1000, 2),
    }


# --- the report -----------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "carenet", "matching", "wsgi.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "uncommitted_app_changes": bool(dirty),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(result: dict[str, Any]) -> str:
    """The report section of a recorded run (``_http_report.markdown``)."""
    profile_md = ""
    if result.get("profile"):
        from benchmarks import http_profile

        profile_md = http_profile.markdown(result["profile"])
    return _http_report.markdown(result, WORKERS, profile_md)


def _as_dicts(runs: dict[str, Run]) -> dict[str, dict[str, Any]]:
    return {k: asdict(v) for k, v in runs.items()}


def _print_run(n: int, label: str, run: Run) -> None:
    print(
        f"round {n + 1} {label:>5}: {run.rps:8,.1f} req/s  "
        f"p50 {run.p50_ms:7.1f} ms  p99 {run.p99_ms:7.1f} ms  "
        f"server CPU {run.cpu_ms or 0:6.2f} ms/request  ({run.requests:,} requests)  "
        f"load {run.load_avg}"
    )


def append_section(
    report: str, json_path: str = "benchmarks/results-http.json", notes: str = NOTES
) -> bool:
    """Append the last recorded HTTP run to ``report`` (docs/benchmarks.md); False if none."""
    if not Path(json_path).exists():
        return False
    recorded: dict[str, Any] = json.loads(Path(json_path).read_text())
    if notes and Path(notes).exists():
        recorded["notes"] = Path(notes).read_text()
    with Path(report).open("a") as out:
        out.write("\n" + markdown(recorded))
    print(f"appended the HTTP section of {json_path} to {report}")
    return True


# --- the run --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Parse the options, measure, write the JSON and the Markdown section."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.http_match",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help="PostgreSQL, own schema")
    parser.add_argument("--assistants", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=800, help="demo care requests to load")
    parser.add_argument("--min-requests", type=int, default=200, help="open requests needed")
    parser.add_argument("--operator", default=OPERATOR, help="email of the brokering operator")
    parser.add_argument("--k", type=int, default=20, help="candidates per match")
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help="concurrent clients (fixed)"
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per load")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", default="benchmarks/results-http.json", help="raw figures")
    parser.add_argument(
        "--out",
        default="",
        help="also write the Markdown section to this file (`python -m benchmarks` puts it "
        "in docs/benchmarks.md)",
    )
    parser.add_argument(
        "--notes",
        default=NOTES,
        help="a Markdown file appended to the section (the analysis; '' for none)",
    )
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="skip the in-process profile of the match call (benchmarks.http_profile)",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite --out from --json (and --notes) without measuring",
    )
    options = parser.parse_args(argv)
    if options.render_only:
        if not options.out:
            parser.error("--render-only needs --out (or run python -m benchmarks --render-only)")
        recorded: dict[str, Any] = json.loads(Path(options.json).read_text())
        if options.notes and Path(options.notes).exists():
            recorded["notes"] = Path(options.notes).read_text()
        Path(options.out).write_text("# Benchmarks: HTTP\n\n" + markdown(recorded))
        print(f"wrote {options.out} from {options.json}")
        return recorded

    info = machine()
    print(f"{info['date']}: {info['cores']} cores, load average {info['load_average_before']}")
    ensure_postgres()
    database = prepare_database(options.database_url, options.assistants, options.requests)
    token, request_ids = operator_token_and_requests(options.database_url, options.operator)
    print(f"{options.operator}: {len(request_ids)} open requests to match")
    if len(request_ids) < options.min_requests:
        sys.exit(f"only {len(request_ids)} open requests (need {options.min_requests})")
    app_paths = [f"/api/v1/care-requests/{i}/matches?k={options.k}" for i in request_ids]
    bare_paths = [f"/api/v1/ping/{i}" for i in request_ids]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    env = {
        "CARENET_DATABASE_URL": options.database_url,
        "CARENET_SECRET_KEY": "http-benchmark-secret",
        "CARENET_LOG_LEVEL": "INFO",
    }
    rounds: list[dict[str, Run]] = []
    with (
        tempfile.TemporaryDirectory(prefix="carenet-http-bench-") as tmp,
        gunicorn("benchmarks._bare_app:app", Path(tmp) / "bare.log", {}) as bare,
        gunicorn("benchmarks._floor_app:app", Path(tmp) / "floor.log", env) as floor,
        gunicorn("wsgi:app", Path(tmp) / "app.log", env) as app,
    ):
        print(
            f"servers: bare {bare.url}, floor {floor.url}, app {app.url} "
            f"({WORKERS} sync workers each)"
        )
        warm = warm_up_app(app, app_paths, headers)
        warm["floor_seconds"] = warm_up_floor(floor, app_paths, headers)
        print(
            "index built at start (in gunicorn's master, before the workers fork) in "
            + ", ".join(f"{x:.1f} s" for x in warm["build_seconds"])
            + f" (first match answered in {warm['first_request_seconds']} s)"
        )
        servers = (("bare", bare, bare_paths), ("floor", floor, app_paths), ("app", app, app_paths))
        for label, server, paths in servers:
            load(
                server.port,
                paths,
                headers,
                concurrency=options.concurrency,
                seconds=3,
                label=f"warm-up {label}",
            )
        for n in range(options.rounds):
            current: dict[str, Run] = {}
            for label, server, paths in servers:
                run = load(
                    server.port,
                    paths,
                    headers,
                    concurrency=options.concurrency,
                    seconds=options.duration,
                    label=f"round {n + 1}/{options.rounds} {label}",
                    server_pid=server.pid,
                )
                current[label] = run
                _print_run(n, label, run)
            rounds.append(current)
            print(f"round {n + 1} ratios: {_http_report.round_ratios(_as_dicts(current))}")
        builds = build_times(app.log)
        if len(builds) != len(warm["build_seconds"]):  # a rebuild during the rounds
            sys.exit(f"the app built its index {len(builds)} times: {builds}")

    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    summary = _http_report.summarise([_as_dicts(r) for r in rounds])
    result: dict[str, Any] = {
        "machine": info,
        "database": database,
        "options": {
            k: getattr(options, k) for k in ("operator", "k", "concurrency", "duration", "rounds")
        },
        "request_ids": len(request_ids),
        "warm_up": warm,
        "rounds": [_as_dicts(r) for r in rounds],
        "summary": summary,
    }
    if not options.no_profile:
        from benchmarks import http_profile

        print("profiling the match call in this process (python -m benchmarks.http_profile)")
        result["profile"] = http_profile.profile(options.database_url, options.operator, 100)
    if options.notes and Path(options.notes).exists():
        result["notes"] = Path(options.notes).read_text()
    Path(options.json).write_text(json.dumps(result, indent=2) + "\n")
    if options.out:
        Path(options.out).write_text("# Benchmarks: HTTP\n\n" + markdown(result))
    print(
        "median req/s: "
        + ", ".join(f"{k} {summary[k]['rps']:,.0f}" for k in _http_report.SERVERS)
        + f"; ratios {summary['ratios']} (targets met: {summary['targets']}); app p99 "
        f"{summary['app']['p99_ms']:.1f} ms"
    )
    print(f"wrote {options.json}" + (f" and {options.out}" if options.out else ""))
    return result


if __name__ == "__main__":
    main()
