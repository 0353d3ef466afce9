"""docs/deploy.md on this machine: deploy/onebox.sh installs carenet as the guide does
(production profile, PostgreSQL, Redis, two app servers, the worker, nginx) and the site
answers through the proxy, also with one app server down.

Runs when ``CARENET_TEST_DATABASE_URL`` points at PostgreSQL (the server onebox uses, in
a database of its own) and Redis answers; nginx is installed with apt-get when missing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.conftest import postgres_server_url
from tests.servers import REPO, free_port

pytestmark = pytest.mark.slow

ONEBOX = REPO / "deploy" / "onebox.sh"


def _postgres_server() -> str:
    server = postgres_server_url()
    if server is None:
        pytest.skip("needs CARENET_TEST_DATABASE_URL on PostgreSQL")
    return server.set(drivername="postgresql").render_as_string(hide_password=False)


def _redis_answers() -> bool:
    if shutil.which("redis-cli") is None:
        return False
    ping = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True, check=False)
    return ping.stdout.strip() == "PONG"


@pytest.fixture
def onebox_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Settings for a onebox of this test's own; purged afterwards."""
    if shutil.which("nginx") is None and os.geteuid() != 0:
        pytest.skip("nginx is missing and apt-get needs root")
    if not _redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CARENET_")}
    environ.update(
        {
            "ONEBOX_DIR": str(tmp_path / "onebox"),
            "ONEBOX_DB": f"carenet_onebox_test_{os.getpid()}",
            "ONEBOX_PG": _postgres_server(),
            "ONEBOX_REDIS_DBS": "10 11",
            "ONEBOX_APP_PORTS": f"{free_port()} {free_port()}",
            "ONEBOX_HTTP_PORT": str(free_port()),
            "ONEBOX_HTTPS_PORT": str(free_port()),
            "ONEBOX_WORKERS": "1",
        }
    )
    yield environ
    subprocess.run([str(ONEBOX), "purge"], env=environ, check=False, timeout=120)


def _onebox(command: str, environ: dict[str, str]) -> str:
    done = subprocess.run(
        [str(ONEBOX), command], env=environ, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_onebox_serves_through_the_proxy_and_survives_one_server_down(
    onebox_env: dict[str, str],
) -> None:
    https = onebox_env["ONEBOX_HTTPS_PORT"]
    assert "the site answers through nginx" in _onebox("up", onebox_env)

    run = Path(onebox_env["ONEBOX_DIR"])
    first_port, second_port = onebox_env["ONEBOX_APP_PORTS"].split()
    first = int((run / f"web-{first_port}.pid").read_text())
    os.kill(first, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while _alive(first) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(first)
    answer = _onebox("check", onebox_env)
    assert f"the site answers through nginx at https://127.0.0.1:{https}/" in answer
    assert f"(app servers up: {second_port})" in answer

    pids = [int(path.read_text()) for path in run.glob("*.pid")]
    _onebox("down", onebox_env)
    assert pids and not any(_alive(pid) for pid in pids)
