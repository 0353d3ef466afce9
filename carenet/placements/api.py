"""JSON API of the placements feature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import Blueprint, F, document_errors, page_envelope, provides
from carenet.core.db import db
from carenet.placements import presenters, services
from carenet.placements.schemas import (
    PlacementCreateSchema,
    PlacementEndSchema,
    PlacementFeedbackSchema,
    PlacementListQuery,
    PlacementPageSchema,
    PlacementSchema,
)
from carenet.proposals import services as proposals

blp = Blueprint(
    "placements_api", __name__, url_prefix="/api/v1/placements", description="placements"
)

_DESCRIPTIONS = {
    409: "Not possible now: the proposal is not accepted, the request is not placeable, the "
    "assistant's hours overlap another placement (details.overlap names them), the "
    "placement has ended, that side's feedback was already given, or the database stayed "
    "busy too long (details.retry: try again)",
    422: "Invalid input; details.fields says which field and why (contract limits cited)",
}


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error responses of a route with the shared error schema."""
    return document_errors(blp, *codes, descriptions=_DESCRIPTIONS)


def _shown(placement: Any) -> dict[str, Any]:
    return presenters.present_placement(db.session, placement)


@blp.route("", methods=["GET"])
@login_required
@errors(401, 403)
@blp.arguments(PlacementListQuery, location="query")
@blp.response(200, PlacementPageSchema)
@provides(blp, 200, placement_id="/items/0/id")
def list_placements(args: dict[str, Any]) -> dict[str, Any]:
    """Placements the caller may see: their own (family, assistant) or their cases'."""
    rows, total = services.list_placements(
        db.session,
        current_actor(),
        status=args.get("status"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_envelope([_shown(p) for p in rows], total, args["page"], args["per_page"])


@blp.route("", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(PlacementCreateSchema)
@blp.response(201, PlacementSchema)
@provides(blp, 201, placement_id="/id")
def start_placement(data: dict[str, Any]) -> dict[str, Any]:
    """Start a placement from an accepted proposal; overlapping hours are a 409."""
    who = current_actor()
    proposal = proposals.get_proposal(db.session, who, data["proposal_id"])
    placement = services.start_placement(
        db.session,
        who,
        proposal,
        data["ccnl_level"],
        data.get("weekly_hours"),
        data["schedule"],
        data["start_date"],
        data.get("end_date"),
    )
    return _shown(placement)


@blp.route("/<int:placement_id>", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, PlacementSchema)
@provides(blp, 200, request_id="/request_id", household_id="/household_id")
def get_placement(placement_id: int) -> dict[str, Any]:
    """One placement with its terms and Buono domiciliarita' eligibility."""
    return _shown(services.get_placement(db.session, current_actor(), placement_id))


@blp.route("/<int:placement_id>/end", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(PlacementEndSchema)
@blp.response(200, PlacementSchema)
def end_placement(data: dict[str, Any], placement_id: int) -> dict[str, Any]:
    """End an active placement; the assistant's hours are free again and its request is
    open again (closed when it reached its planned end)."""
    who = current_actor()
    placement = services.get_placement(db.session, who, placement_id)
    ended = services.end_placement(
        db.session, who, placement, data["end_reason"], data.get("ended_on")
    )
    return _shown(ended)


@blp.route("/<int:placement_id>/feedback", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(PlacementFeedbackSchema)
@blp.response(200, PlacementSchema)
def give_feedback(data: dict[str, Any], placement_id: int) -> dict[str, Any]:
    """One side's rating (1-5) and words, once per side."""
    who = current_actor()
    placement = services.get_placement(db.session, who, placement_id)
    updated = services.give_feedback(
        db.session, who, placement, data["side"], data["rating"], data.get("text", "")
    )
    return _shown(updated)
