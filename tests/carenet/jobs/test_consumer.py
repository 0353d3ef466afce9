"""A real huey consumer (threads) runs the jobs, on SQLite storage and on Redis.

The job reports progress and then waits; the test reads the progress through the API
while the job is still running, then lets it finish.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from huey.consumer import Consumer
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.core.db import db
from carenet.jobs.queue import huey
from carenet.jobs.services import start_job
from tests.carenet.families.helpers import bearer
from tests.carenet.jobs.conftest import GATE

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_or_skip() -> None:
    redis = pytest.importorskip("redis", reason="the redis client is not installed")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")


@pytest.fixture(params=["sqlite", "redis"])
def config_overrides(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    if request.param == "redis":
        _redis_or_skip()
        url = REDIS_URL
    else:
        url = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    return {"JOB_QUEUE_URL": url, "JOBS_IMMEDIATE": False, "MAIL_BACKEND": "locmem"}


@pytest.fixture
def gate() -> Iterator[Any]:
    GATE.clear()
    yield GATE
    GATE.set()  # never leave a job waiting


def _wait_for(
    client: FlaskClient, url: str, headers: dict[str, str], ok: Callable[[Any], bool]
) -> Any:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        body = client.get(url, headers=headers).json
        if ok(body):
            return body
        time.sleep(0.05)
    raise AssertionError(f"timed out; last state: {body}")


def test_a_consumer_runs_the_job_and_its_progress_shows_while_it_runs(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    start_consumer: Callable[[Flask], Consumer],
    gate: Any,
    config_overrides: dict[str, Any],
) -> None:
    expected = (
        RedisStorage if config_overrides["JOB_QUEUE_URL"].startswith("redis") else SqliteStorage
    )
    assert isinstance(huey.storage, expected)
    huey.flush()
    creator = factories.OperatorFactory(locale="en")
    headers = bearer(db_session, creator)
    with app.app_context():
        job_id = start_job(db.session, db.session.get(User, creator.id), "test.gated", {}).id
        db.session.commit()
    assert len(huey.pending()) == 1  # queued, nothing runs it yet
    url = f"/api/v1/jobs/{job_id}"
    assert client.get(url, headers=headers).json["status"] == "queued"

    start_consumer(app)
    running = _wait_for(client, url, headers, lambda j: j["status"] == "running" and j["done"])
    assert (running["done"], running["total"], running["percent"]) == (1, 3, 33)

    gate.set()
    done = _wait_for(client, url, headers, lambda j: j["status"] in {"done", "failed"})
    assert (done["status"], done["done"], done["percent"], done["result"]) == (
        "done",
        3,
        100,
        {"gated": True},
    )
    assert huey.pending() == []
