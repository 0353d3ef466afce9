"""Pages of the jobs feature: a job's progress bar."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, render_template
from flask.blueprints import BlueprintSetupState

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.db import db
from carenet.jobs import presenters, services
from carenet.jobs.queue import init_queue

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")


@bp.record_once
def _bind_queue(state: BlueprintSetupState) -> None:
    # Registered for every app by create_app, so every app binds the job queue.
    init_queue(cast(Flask, state.app))


@bp.get("/<int:job_id>")
@login_required
def show_job(job_id: int) -> str:
    """A job's progress, refreshed by static/js/job-progress.js from the API."""
    actor = current_actor()
    job = services.get_job(db.session, actor, job_id)
    labels = {status: str(label) for status, label in presenters.STATUS_LABELS.items()}
    return render_template(
        "jobs/show_job.html", job=presenters.present_job(job), status_labels=labels
    )
