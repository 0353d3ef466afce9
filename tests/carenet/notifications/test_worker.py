"""``carenet worker`` in its own process sends the e-mail that a commit queued."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from carenet.core.db import db
from carenet.jobs.queue import huey
from carenet.notifications.models import Notification
from carenet.notifications.services import notify

CARENET = Path(sys.executable).with_name("carenet")


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    # The default e-mail backend: the log.
    return {"JOB_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}", "JOBS_IMMEDIATE": False}


@pytest.mark.commits  # the worker is another process: it reads committed rows only
@pytest.mark.skipif(not CARENET.exists(), reason="the carenet command is not installed")
def test_the_worker_command_sends_queued_emails(
    app: Flask, db_session: Session, factories: Any, tmp_path: Path
) -> None:
    user = factories.UserFactory(locale="en")
    with app.app_context():
        notification_id = notify(db.session, user.id, "proposal.new", {"reference": "P-42"}).id
        db.session.commit()
    assert len(huey.pending()) == 1
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CARENET_")},
        "CARENET_DATABASE_URL": app.config["DATABASE_URL"],
        "CARENET_JOB_QUEUE_URL": app.config["JOB_QUEUE_URL"],
        "CARENET_SECRET_KEY": "test-secret-key",
        "CARENET_LOG_FORMAT": "json",
        "CARENET_LOG_LEVEL": "INFO",
    }
    worker = subprocess.Popen(
        [str(CARENET), "worker", "--workers", "1", "--no-periodic"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        emailed = None
        while emailed is None and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
            db_session.expire_all()
            row = db_session.get(Notification, notification_id)
            emailed = row.emailed_at if row else None
            db_session.commit()
    finally:
        worker.send_signal(signal.SIGINT)
        _out, err = worker.communicate(timeout=30)
    assert emailed is not None, err[-3000:]
    assert worker.returncode == 0, err[-3000:]
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    emails = [line for line in lines if line.get("event") == "email"]
    assert len(emails) == 1
    assert emails[0]["to"] == [user.email]
    assert emails[0]["subject"] == "New proposal"
    assert huey.pending() == []
