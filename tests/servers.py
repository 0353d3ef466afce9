"""Real app servers for tests: gunicorn processes on free local ports, one database."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# App start-up alone takes over a minute when the machine is loaded (2 cores, load ~20).
START_TIMEOUT_S = 180


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Return once ``url``/healthz answers 200; raise with the log if the server cannot."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn did not answer /healthz in {START_TIMEOUT_S}s:\n{log.read_text()}"
    )


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its base URL, port, log file and master process id."""

    url: str
    port: int
    log: Path
    pid: int


@contextlib.contextmanager
def serve(
    app: str,
    log: Path,
    env: dict[str, str],
    *,
    workers: int = 1,
    threads: int = 1,
    worker_class: str | None = None,
) -> Iterator[Server]:
    """The one gunicorn launcher (tests, browser tests, benchmarks).

    Serves the WSGI ``app`` ("module:name") with the project's ``gunicorn.conf.py`` on a
    free local port, with the environment's ``CARENET_*`` variables replaced by ``env``;
    yields once ``/healthz`` answers, stops the server when the block ends.
    """
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CARENET_")}
    environ.update(env)
    command = [str(Path(sys.executable).with_name("gunicorn"))]
    command += ["--config", str(REPO / "gunicorn.conf.py")]
    command += ["--workers", str(workers), "--threads", str(threads)]
    if worker_class is not None:
        command += ["--worker-class", worker_class]
    command += ["--bind", f"127.0.0.1:{port}", app]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=environ, stdout=out, stderr=out)
    server = Server(f"http://127.0.0.1:{port}", port, log, process.pid)
    try:
        wait_until_healthy(server.url, process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def gunicorn(
    database_url: str,
    workdir: Path,
    *,
    workers: int = 1,
    threads: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Serve carenet (``wsgi:app``) on ``database_url``; yields the base URL."""
    environ = {
        "CARENET_DATABASE_URL": database_url,
        "CARENET_SECRET_KEY": "test-server-secret",
        "CARENET_LOG_LEVEL": "WARNING",
        "CARENET_ARGON2_PROFILE": "CHEAPEST",
        **(env or {}),
    }
    log = workdir / f"gunicorn-{free_port()}.log"
    with serve("wsgi:app", log, environ, workers=workers, threads=threads) as server:
        yield server.url


def post_json(
    url: str, headers: dict[str, str], body: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """POST ``body`` as JSON to a real server: the status and the decoded answer, whatever
    the status (a body that is not JSON comes back under ``raw``)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={**headers, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"raw": raw.decode(errors="replace")}
