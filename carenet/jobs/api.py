"""JSON API of the jobs feature: a job's progress, polled by its page."""

from __future__ import annotations

from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import Blueprint, document_errors
from carenet.core.db import db
from carenet.jobs import presenters, services
from carenet.jobs.schemas import JobSchema

blp = Blueprint("jobs_api", __name__, url_prefix="/api/v1/jobs", description="jobs")


@blp.route("/<int:job_id>", methods=["GET"])
@login_required
@document_errors(blp, 401, 404, descriptions={404: "Not found, or not yours to see"})
@blp.response(200, JobSchema)
def get_job(job_id: int) -> dict[str, Any]:
    """A job's status and progress (its creator and its organization's operators)."""
    actor = current_actor()
    return presenters.present_job(services.get_job(db.session, actor, job_id))
