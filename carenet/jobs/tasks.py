"""Tasks of the jobs feature: running a registered job kind, and the hourly expiry of
proposals (when the proposals feature provides it)."""

from __future__ import annotations

import importlib

import structlog
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab

from carenet.auth.models import User
from carenet.core.db import db, utcnow
from carenet.core.errors import CarenetError
from carenet.core.settings import current_settings
from carenet.jobs import services
from carenet.jobs.models import Job
from carenet.jobs.queue import periodic_task, task

log = structlog.get_logger(__name__)


@task()
def run_job(job_id: int) -> str:
    """Run a queued job: running, then done with its result or failed with a message."""
    session = db.session
    job = session.get(Job, job_id)
    if job is None or job.status != "queued":
        return "skipped"  # deleted, or already taken (a retried or repeated message)
    function = services.JOB_KINDS.get(job.kind)
    creator = session.get(User, job.created_by_user_id) if job.created_by_user_id else None
    params = dict(job.params)
    session.rollback()  # leave no read transaction open while the job reports progress
    with force_locale(creator.locale if creator else current_settings().default_locale):
        if function is None:
            services.mark_failed(job_id, _("This kind of job is not available."))
            return "failed"
        services.mark_running(job_id)
        try:
            result = function(job_id, params)
            services.mark_done(session, job_id, result or {})
            session.commit()
        except CarenetError as exc:
            session.rollback()
            services.mark_failed(job_id, exc.message)
            return "failed"
        except Exception:
            session.rollback()
            log.exception("job_failed", job_id=job_id, kind=job.kind)
            services.mark_failed(
                job_id, _("The job failed because of an internal error. Please try again.")
            )
            return "failed"
    return "done"


@periodic_task(crontab(minute="7"))
def expire_proposals() -> None:
    """Hourly: ``carenet.proposals.services.expire_due`` when that feature provides it."""
    try:
        module = importlib.import_module("carenet.proposals.services")
    except ImportError:
        return
    expire_due = getattr(module, "expire_due", None)
    if expire_due is None:
        return
    expire_due(db.session, utcnow())
