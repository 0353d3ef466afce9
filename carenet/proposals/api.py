"""JSON API of the proposals feature (under /api/v1: a request's proposals and the
proposals themselves)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests import services as care_requests
from carenet.core.api import Blueprint, F, document_errors, page_envelope, provides
from carenet.core.db import db
from carenet.core.settings import current_settings
from carenet.proposals import answers, presenters, services
from carenet.proposals.models import Proposal
from carenet.proposals.schemas import (
    ProposalAnswerSchema,
    ProposalCreateSchema,
    ProposalInterviewSchema,
    ProposalListQuery,
    ProposalListSchema,
    ProposalPageSchema,
    ProposalSchema,
    RequestProposalListQuery,
)

blp = Blueprint("proposals_api", __name__, url_prefix="/api/v1", description="proposals")

_DESCRIPTIONS = {
    409: "Not possible now: already proposed, already answered, not pending (or not a "
    "draft), expired, or the request is not open to proposals",
    422: "Invalid input; details.fields says which field and why (an ineligible assistant "
    "is named with the matching engine's reason in details.assistants)",
}


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error responses of a route with the shared error schema."""
    return document_errors(blp, *codes, descriptions=_DESCRIPTIONS)


def _shown(who: User, proposal: Proposal) -> dict[str, Any]:
    return presenters.present_proposal(db.session, who, proposal)


@blp.route("/care-requests/<int:request_id>/proposals", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.arguments(RequestProposalListQuery, location="query")
@blp.response(200, ProposalPageSchema)
@provides(blp, 200, proposal_id="/items/0/id")
def list_request_proposals(args: dict[str, Any], request_id: int) -> dict[str, Any]:
    """The proposals of one request (drafts for its brokers only)."""
    who = current_actor()
    care_requests.get_request(db.session, who, request_id)
    rows, total = services.list_proposals(
        db.session,
        who,
        request_id=request_id,
        status=args.get("status"),
        page=args["page"],
        per_page=args["per_page"],
    )
    items = presenters.present_proposals(db.session, who, rows)
    return page_envelope(items, total, args["page"], args["per_page"])


@blp.route("/care-requests/<int:request_id>/proposals", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(ProposalCreateSchema)
@blp.response(201, ProposalListSchema)
@provides(blp, 201, proposal_id="/items/0/id")
def create_proposals(data: dict[str, Any], request_id: int) -> dict[str, Any]:
    """Propose eligible assistants: both sides are notified; all are written or none."""
    who = current_actor()
    care_request = care_requests.get_request(db.session, who, request_id)
    made = services.create_proposals(
        db.session, who, care_request, data["assistant_ids"], ttl=current_settings().proposal_ttl
    )
    return {"items": presenters.present_proposals(db.session, who, made)}


@blp.route("/proposals", methods=["GET"])
@login_required
@errors(401, 403)
@blp.arguments(ProposalListQuery, location="query")
@blp.response(200, ProposalPageSchema)
@provides(blp, 200, proposal_id="/items/0/id")
def list_proposals(args: dict[str, Any]) -> dict[str, Any]:
    """My proposals (family, assistant), or those of an operator's cases."""
    who = current_actor()
    rows, total = services.list_proposals(
        db.session,
        who,
        request_id=args.get("request_id"),
        status=args.get("status"),
        page=args["page"],
        per_page=args["per_page"],
    )
    items = presenters.present_proposals(db.session, who, rows)
    return page_envelope(items, total, args["page"], args["per_page"])


@blp.route("/proposals/<int:proposal_id>", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, ProposalSchema)
@provides(blp, 200, request_id="/request_id", assistant_id="/assistant_id")
def get_proposal(proposal_id: int) -> dict[str, Any]:
    """One proposal; contacts are included once both sides accepted."""
    who = current_actor()
    return _shown(who, services.get_proposal(db.session, who, proposal_id))


@blp.route("/proposals/<int:proposal_id>/answer", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(ProposalAnswerSchema)
@blp.response(200, ProposalSchema)
def answer_proposal(data: dict[str, Any], proposal_id: int) -> dict[str, Any]:
    """Accept or decline for one side (a broker may answer on a side's behalf)."""
    who = current_actor()
    proposal = services.get_proposal(db.session, who, proposal_id)
    answers.answer(
        db.session,
        who,
        proposal,
        data["side"],
        data["answer"],
        data.get("reason_code"),
        data.get("reason_text", ""),
    )
    return _shown(who, proposal)


@blp.route("/proposals/<int:proposal_id>/interview", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 409, 422)
@blp.arguments(ProposalInterviewSchema)
@blp.response(200, ProposalSchema)
def record_interview(data: dict[str, Any], proposal_id: int) -> dict[str, Any]:
    """Record the interview's time and notes (brokers)."""
    who = current_actor()
    proposal = services.get_proposal(db.session, who, proposal_id)
    answers.record_interview(db.session, who, proposal, data["interview_at"], data.get("notes", ""))
    return _shown(who, proposal)


@blp.route("/proposals/<int:proposal_id>/send", methods=["POST"])
@login_required
@errors(401, 403, 404, 409, 422)
@blp.response(200, ProposalSchema)
def send_proposal(proposal_id: int) -> dict[str, Any]:
    """Send a draft: it becomes pending and both sides are notified (brokers)."""
    who = current_actor()
    proposal = services.get_proposal(db.session, who, proposal_id)
    services.send_proposals(db.session, who, [proposal.id], ttl=current_settings().proposal_ttl)
    return _shown(who, proposal)


@blp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
@errors(401, 403, 404, 409)
@blp.response(200, ProposalSchema)
def withdraw_proposal(proposal_id: int) -> dict[str, Any]:
    """Withdraw a pending proposal or discard a draft (brokers)."""
    who = current_actor()
    proposal = services.get_proposal(db.session, who, proposal_id)
    services.withdraw(db.session, who, proposal)
    return _shown(who, proposal)
