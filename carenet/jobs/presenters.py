"""Jobs as plain dicts for the API and the pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from carenet.jobs.models import Job
from carenet.jobs.services import percent

STATUS_LABELS = {
    "queued": _l("Waiting to start"),
    "running": _l("Running"),
    "done": _l("Finished"),
    "failed": _l("Failed"),
}


def present_job(job: Job) -> dict[str, Any]:
    """A job with its progress in percent."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": percent(job),
        "params": job.params or {},
        "result": job.result or {},
        "error": job.error or "",
        "created_by_user_id": job.created_by_user_id,
        "organization_id": job.organization_id,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }
