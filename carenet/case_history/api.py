"""JSON API of the audit feature: a case's timeline and who read its health information."""

from __future__ import annotations

from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.case_history import queries
from carenet.case_history.schemas import AccessLogPageSchema, AuditPageQuery, TimelinePageSchema
from carenet.core.api import Blueprint, document_errors, page_envelope
from carenet.core.db import db

blp = Blueprint("audit_api", __name__, url_prefix="/api/v1", description="audit")

_DESCRIPTIONS = {
    404: "No such household, or the caller may not see it (or its access log)",
}


@blp.route("/households/<int:household_id>/timeline", methods=["GET"])
@login_required
@document_errors(blp, 401, 404, descriptions=_DESCRIPTIONS)
@blp.arguments(AuditPageQuery, location="query")
@blp.response(200, TimelinePageSchema)
def household_timeline(args: dict[str, Any], household_id: int) -> dict[str, Any]:
    """The case's events (household, people, requests, proposals, placements, referrals)."""
    household, rows, total = queries.case_timeline(
        db.session, current_actor(), household_id, args["page"], args["per_page"]
    )
    items = queries.present_timeline(db.session, rows)
    return {
        "household_id": household.id,
        **page_envelope(items, total, args["page"], args["per_page"]),
    }


@blp.route("/households/<int:household_id>/access-log", methods=["GET"])
@login_required
@document_errors(blp, 401, 404, descriptions=_DESCRIPTIONS)
@blp.arguments(AuditPageQuery, location="query")
@blp.response(200, AccessLogPageSchema)
def household_access_log(args: dict[str, Any], household_id: int) -> dict[str, Any]:
    """Who read the health information of the household's people, newest first.

    The family, admins, and ASL / Ente gestore operators who see the household.
    """
    household, rows, total = queries.access_log(
        db.session, current_actor(), household_id, args["page"], args["per_page"]
    )
    items = queries.present_access_log(db.session, rows)
    return {
        "household_id": household.id,
        **page_envelope(items, total, args["page"], args["per_page"]),
    }
