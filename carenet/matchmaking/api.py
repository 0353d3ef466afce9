"""JSON API of matching: ranked candidates for a care request, and "why not this one?"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from flask import Response, url_for

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import Blueprint, F, document_errors, provides
from carenet.core.db import db
from carenet.core.settings import current_settings
from carenet.matchmaking import bulk, presenters, services
from carenet.matchmaking.index import live_index
from carenet.matchmaking.schemas import (
    BulkResultSchema,
    BulkStartedSchema,
    ExplanationSchema,
    MatchQuery,
    MatchResultSchema,
    SendDraftsSchema,
)

JSON = "application/json"

blp = Blueprint("matchmaking_api", __name__, url_prefix="/api/v1", description="matching")

_DESCRIPTIONS = {
    404: "No such request or assistant, or not one the caller may broker",
    409: "Not possible in the current state: the request is not open for matching "
    "(draft, placed, closed or cancelled), or no request awaits proposals",
    422: "Invalid filters; details.fields says which",
}


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error responses of a route with the shared error schema."""
    return document_errors(blp, *codes, descriptions=_DESCRIPTIONS)


@blp.route("/care-requests/<int:request_id>/matches", methods=["GET"])
@login_required
@errors(401, 403, 404, 409, 422)
@blp.arguments(MatchQuery, location="query")
@blp.response(200, MatchResultSchema)
@provides(blp, 200, assistant_id="/items/0/assistant_id")
def list_matches(args: dict[str, Any], request_id: int) -> Response:
    """The best assistants for a request, each with its score components and distance.

    For operators of a CPI or an agency who may broker the request's household.
    """
    filters = services.Filters(
        k=args["k"],
        max_km=args.get("max_km"),
        languages=tuple(args["language"]),
        qualifications=tuple(args["qualification"]),
        min_score=args["min_score"],
    )
    request, demand, items = services.match(
        db.session, live_index(), current_actor(), request_id, filters
    )
    # The presenter already builds the documented shape from plain values, so the
    # schema only documents it: a marshmallow dump of 20 nested items cost about 1 ms,
    # a seventh of the call (benchmarks/http_notes.md). A test holds the two together.
    # orjson encodes it in a tenth of the standard library's time.
    body = presenters.present_result(request, demand, items)  # type: ignore[arg-type]
    return Response(orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY), mimetype=JSON)


@blp.route("/care-requests/<int:request_id>/matches/<int:assistant_id>", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, ExplanationSchema)
def explain_match(request_id: int, assistant_id: int) -> dict[str, Any]:
    """Why this assistant is or is not a candidate: the first failing filter, or the score."""
    request = services.get_matchable(db.session, current_actor(), request_id)
    why = services.why_not(db.session, current_actor(), request, assistant_id)
    return presenters.present_why_not(request, why)


@blp.route("/bulk-assignments", methods=["POST"])
@login_required
@errors(401, 403, 409)
@blp.response(202, BulkStartedSchema)
@provides(blp, 202, job_id="/job_id")
def start_bulk() -> dict[str, Any]:
    """Assign all the requests your organization brokers at once, in the background.

    The result is a set of draft proposals to review and send; follow the job's progress
    at ``progress_url``.
    """
    job = bulk.start(db.session, current_actor())
    return {
        "job_id": job.id,
        "status": job.status,
        "progress_url": url_for("jobs_api.get_job", job_id=job.id),
    }


@blp.route("/bulk-assignments/<int:job_id>", methods=["GET"])
@login_required
@errors(401, 404)
@blp.response(200, BulkResultSchema)
def get_bulk(job_id: int) -> dict[str, Any]:
    """A run's figures (total score against greedy) and its draft proposals."""
    job = bulk.get_run(db.session, current_actor(), job_id)
    return presenters.present_run(job, bulk.drafts(db.session, current_actor(), job))


@blp.route("/bulk-assignments/<int:job_id>/send", methods=["POST"])
@login_required
@errors(401, 404, 409, 422)
@blp.arguments(SendDraftsSchema)
@blp.response(200, BulkResultSchema)
def send_bulk(data: dict[str, Any], job_id: int) -> dict[str, Any]:
    """Send some of a run's drafts: each becomes a pending proposal the sides answer."""
    who = current_actor()
    job = bulk.get_run(db.session, who, job_id)
    bulk.send(db.session, who, job, data["proposal_ids"], ttl=current_settings().proposal_ttl)
    return presenters.present_run(job, bulk.drafts(db.session, who, job))
