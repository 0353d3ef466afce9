"""JSON API of the care requests feature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.care_requests import presenters, services
from carenet.care_requests.schemas import (
    CareRequestCreateSchema,
    CareRequestListQuery,
    CareRequestPageSchema,
    CareRequestSchema,
    CareRequestUpdateSchema,
)
from carenet.core.api import Blueprint, F, document_errors, page_envelope, provides
from carenet.core.db import db

blp = Blueprint(
    "care_requests_api", __name__, url_prefix="/api/v1/care-requests", description="care requests"
)

_DESCRIPTIONS = {
    409: "Not possible in the request's current status",
    422: "Invalid input; details.fields says which field and why (contract limits cited)",
}


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error responses of a route with the shared error schema."""
    return document_errors(blp, *codes, descriptions=_DESCRIPTIONS)


@blp.route("", methods=["GET"])
@login_required
@errors(401, 403)
@blp.arguments(CareRequestListQuery, location="query")
@blp.response(200, CareRequestPageSchema)
@provides(blp, 200, request_id="/items/0/id")
def list_requests(args: dict[str, Any]) -> dict[str, Any]:
    """Requests the caller may see (their territory's, or their own), newest first."""
    who = current_actor()
    rows, total = services.list_requests(
        db.session,
        who,
        status=args.get("status"),
        arrangement=args.get("arrangement"),
        municipality_id=args.get("municipality"),
        page=args["page"],
        per_page=args["per_page"],
    )
    items = presenters.present_requests(db.session, who, rows)
    return page_envelope(items, total, args["page"], args["per_page"])


@blp.route("", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 422)
@blp.arguments(CareRequestCreateSchema)
@blp.response(201, CareRequestSchema)
@provides(blp, 201, request_id="/id")
def create_request(data: dict[str, Any]) -> dict[str, Any]:
    """Create a request; contract limits and the CCNL level are checked before writing."""
    who = current_actor()
    return presenters.present_request(
        db.session, who, services.create_request(db.session, who, data)
    )


@blp.route("/<int:request_id>", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, CareRequestSchema)
@provides(blp, 200, household_id="/household_id")
def get_request(request_id: int) -> dict[str, Any]:
    """One request with its schedule, CCNL level and Buono domiciliarita' eligibility."""
    who = current_actor()
    return presenters.present_request(
        db.session, who, services.get_request(db.session, who, request_id)
    )


@blp.route("/<int:request_id>", methods=["PATCH"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(CareRequestUpdateSchema)
@blp.response(200, CareRequestSchema)
def update_request(data: dict[str, Any], request_id: int) -> dict[str, Any]:
    """Change a draft or open request."""
    who = current_actor()
    return presenters.present_request(
        db.session, who, services.update_request(db.session, who, request_id, data)
    )


def _transition(action: str, summary: str) -> None:
    """Register ``POST /<id>/<action>``."""

    def view(request_id: int) -> dict[str, Any]:
        who = current_actor()
        care_request = services.change_status(db.session, who, request_id, action)
        return presenters.present_request(db.session, who, care_request)

    view.__name__ = f"{action}_request"
    view.__doc__ = summary
    decorated = blp.response(200, CareRequestSchema)(view)
    decorated = errors(401, 403, 404, 409)(decorated)
    decorated = login_required(decorated)
    blp.route(f"/<int:request_id>/{action}", methods=["POST"])(decorated)


_transition("submit", "Submit a draft: draft -> open.")
_transition("cancel", "Cancel a request that is not placed or closed.")
_transition("close", "Close a request.")
