"""Fixtures of the jobs tests: job kinds made for testing, a consumer in a thread."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import gettext as _
from huey.consumer import Consumer

from carenet.core.errors import Forbidden, Invalid
from carenet.jobs.queue import huey
from carenet.jobs.services import job_kind, report

# Opened by a test to let a "test.gated" job finish.
GATE = threading.Event()


@job_kind("test.count")
def count_job(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """Count to params["n"], reporting each step."""
    n = int(params.get("n", 3))
    for done in range(1, n + 1):
        report(job_id, done, n)
    return {"counted": n}


@job_kind("test.gated")
def gated_job(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """Report 1 of 3, wait for the test to open the gate, then finish."""
    report(job_id, 1, 3)
    if not GATE.wait(timeout=20):
        raise RuntimeError("the test never opened the gate")
    report(job_id, 3, 3)
    return {"gated": True}


@job_kind("test.crash")
def crash_job(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """Fail with an unexpected error whose text must never reach users."""
    raise RuntimeError("secret internal detail /srv/carenet/x.py line 12")


@job_kind("test.invalid")
def invalid_job(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """Fail with a message meant for users."""
    raise Invalid("The territory has no open requests.")


@job_kind("test.forbidden")
def forbidden_job(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
    """Fail with a message translated where it is raised (already in the catalogue)."""
    raise Forbidden(_("This page is not available to your role."))


@pytest.fixture
def start_consumer() -> Iterator[Callable[[Flask], Consumer]]:
    """Start a real huey consumer (threads) for ``app``; stopped after the test."""
    started: list[Consumer] = []
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    def start(app: Flask) -> Consumer:
        huey.app = app
        consumer = huey.create_consumer(
            workers=2, periodic=False, initial_delay=0.05, max_delay=0.2, backoff=1.1
        )
        consumer.start()
        started.append(consumer)
        return consumer

    yield start
    for consumer in started:
        consumer.stop(graceful=True)
    # Consumer.start installs its signal handlers; give pytest its own back.
    for signum, handler in saved.items():
        signal.signal(signum, handler)
