"""Long jobs whose progress users follow: start, report progress, finish or fail.

A feature adds a job kind by registering a function with ``job_kind``; it is started
with ``start_job`` (which enqueues it once the caller's transaction commits) and runs in
the worker through ``carenet.jobs.tasks.run_job``::

    @job_kind("bulk_assignment")
    def bulk_assignment(job_id: int, params: dict[str, Any]) -> dict[str, Any]:
        for done, part in enumerate(parts, 1):
            ...
            report(job_id, done, len(parts))
        return {"proposals": 42}

Progress is written in its own short transaction, so other processes see it while the
job runs; the result (or a message safe to show, never a traceback) is written at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
import structlog
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.core.db import db, utcnow
from carenet.core.errors import Invalid, NotFound
from carenet.jobs.models import Job
from carenet.jobs.queue import enqueue_after_commit

log = structlog.get_logger(__name__)

JobFunction = Callable[[int, dict[str, Any]], dict[str, Any]]

# kind -> the function that does the work; filled by ``job_kind``.
JOB_KINDS: dict[str, JobFunction] = {}
FINISHED = ("done", "failed")


def job_kind(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn(job_id, params) -> result`` as the work of jobs of ``kind``."""

    def decorator(fn: JobFunction) -> JobFunction:
        if JOB_KINDS.get(kind, fn) is not fn:
            raise RuntimeError(f"job kind {kind!r} is already registered")
        JOB_KINDS[kind] = fn
        return fn

    return decorator


def start_job(
    session: Session, actor: User, kind: str, params: dict[str, Any] | None = None
) -> Job:
    """Create a queued job of ``kind`` for ``actor`` and run it once the transaction commits."""
    from carenet.jobs.tasks import run_job

    if kind not in JOB_KINDS:
        raise Invalid(_("Unknown kind of job."), {"fields": {"kind": [_("Unknown kind of job.")]}})
    job = Job(
        kind=kind,
        status="queued",
        done=0,
        total=None,
        params=dict(params or {}),
        result={},
        error="",
        created_by_user_id=actor.id,
        organization_id=actor.organization_id,
    )
    session.add(job)
    session.flush()
    record_event(session, actor, "job.start", "job", job.id, {"kind": kind})
    enqueue_after_commit(session, run_job, job.id)
    return job


def get_job(session: Session, actor: User, job_id: int) -> Job:
    """The job, or NotFound when missing or not visible to ``actor``."""
    job = session.get(Job, job_id)
    if job is None or not policy.can_see_job(actor, job):
        raise NotFound(_("Job %(id)s not found.", id=job_id))
    return job


def percent(job: Job) -> int | None:
    """Progress in whole percent; None while the total is unknown."""
    if job.status == "done":
        return 100
    if not job.total:
        return None
    return min(100, job.done * 100 // job.total)


def _write(job_id: int, **values: Any) -> bool:
    """Update the job row in a short transaction of its own; False if it could not."""
    values["updated_at"] = utcnow()
    try:
        with db.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # A job that holds SQLite's write lock itself must not wait 30 s for it.
                conn.exec_driver_sql("PRAGMA busy_timeout=2000")
            conn.execute(sa.update(Job).where(Job.id == job_id).values(**values))
        return True
    except OperationalError:
        log.warning("job_progress_not_written", job_id=job_id)
        return False


def report(job_id: int, done: int, total: int | None = None) -> bool:
    """Record that ``done`` of ``total`` steps are finished, visible at once elsewhere.

    Progress is best effort: on SQLite, a job that keeps a write transaction open cannot
    report (the report is skipped after a short wait and False returned).
    """
    done = max(0, done)
    values: dict[str, Any] = {"done": done}
    if total is not None:
        values["total"] = max(total, done)
    return _write(job_id, **values)


def mark_running(job_id: int) -> bool:
    """The worker took the job."""
    return _write(job_id, status="running")


def mark_done(session: Session, job_id: int, result: dict[str, Any]) -> None:
    """Finish the job with ``result`` in the task's transaction, together with its work."""
    session.execute(
        sa.update(Job)
        .where(Job.id == job_id)
        .values(
            status="done",
            result=result,
            error="",
            done=sa.func.coalesce(Job.total, Job.done),
            updated_at=utcnow(),
        )
    )


def mark_failed(job_id: int, message: str) -> bool:
    """End the job with a message safe to show (never a traceback)."""
    return _write(job_id, status="failed", error=message[:2000])
