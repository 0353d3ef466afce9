"""JSON API of the referrals feature."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import Blueprint, F, document_errors, page_envelope, provides
from carenet.core.db import db
from carenet.referrals import presenters, services
from carenet.referrals.schemas import (
    ReferralAnswerSchema,
    ReferralCreateSchema,
    ReferralListQuery,
    ReferralPageSchema,
    ReferralSchema,
)

blp = Blueprint("referrals_api", __name__, url_prefix="/api/v1/referrals", description="referrals")

_DESCRIPTIONS = {
    403: "Not allowed: only the receiving organization answers and completes, "
    "only the referring one revokes; only referring kinds refer",
    404: "No such referral, or the caller's organization is not a party to it "
    "(or the household is outside the caller's scope)",
    409: "Not possible in the referral's current status (details.status says which), "
    "or the case is already referred to that organization",
    422: "Invalid input; details.fields says which field and why (consent, organization)",
}


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error responses of a route with the shared error schema."""
    return document_errors(blp, *codes, descriptions=_DESCRIPTIONS)


@blp.route("", methods=["GET"])
@login_required
@errors(401, 403, 422)
@blp.arguments(ReferralListQuery, location="query")
@blp.response(200, ReferralPageSchema)
@provides(blp, 200, referral_id="/items/0/id")
def list_referrals(args: dict[str, Any]) -> dict[str, Any]:
    """Referrals to (inbox) or from (outbox) the caller's organization, newest first."""
    rows, total = services.list_referrals(
        db.session,
        current_actor(),
        box=args["box"],
        status=args.get("status"),
        page=args["page"],
        per_page=args["per_page"],
    )
    items = [presenters.present_referral(db.session, r) for r in rows]
    return page_envelope(items, total, args["page"], args["per_page"])


@blp.route("", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(ReferralCreateSchema)
@blp.response(201, ReferralSchema)
@provides(blp, 201, referral_id="/id")
def create_referral(data: dict[str, Any]) -> dict[str, Any]:
    """Refer a case to another organization; the family's consent must be given."""
    referral = services.create_referral(db.session, current_actor(), data)
    return presenters.present_referral(db.session, referral)


@blp.route("/<int:referral_id>", methods=["GET"])
@login_required
@errors(401, 404)
@blp.response(200, ReferralSchema)
def get_referral(referral_id: int) -> dict[str, Any]:
    """One referral (operators of either organization, admins)."""
    referral = services.get_referral(db.session, current_actor(), referral_id)
    return presenters.present_referral(db.session, referral)


def _transition(action: str, summary: str) -> None:
    """Register ``POST /<id>/<action>`` with an optional reason body."""

    def view(data: dict[str, Any], referral_id: int) -> dict[str, Any]:
        referral = services.change_status(
            db.session, current_actor(), referral_id, action, data.get("reason") or ""
        )
        return presenters.present_referral(db.session, referral)

    view.__name__ = f"{action}_referral"
    view.__doc__ = summary
    decorated = blp.response(200, ReferralSchema)(view)
    decorated = blp.arguments(ReferralAnswerSchema, required=False)(decorated)
    decorated = errors(400, 401, 403, 404, 409, 422)(decorated)
    decorated = login_required(decorated)
    blp.route(f"/<int:referral_id>/{action}", methods=["POST"])(decorated)


_transition("accept", "Accept a pending referral (receiving organization).")
_transition("reject", "Reject a pending referral, with a reason (receiving organization).")
_transition("complete", "Complete an accepted referral (receiving organization).")
_transition("revoke", "Revoke a pending or accepted referral (referring organization).")
