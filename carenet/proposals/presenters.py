"""Proposals as pages and the API show them: answers, reasons and, when allowed, contacts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from carenet.access import fields
from carenet.auth.models import User
from carenet.care_requests.presenters import project_for, record_page_reads
from carenet.proposals import answers, services
from carenet.proposals.models import Proposal
from carenet.proposals.reasons import split_reason

FIELDS = (
    "id",
    "request_id",
    "assistant_id",
    "organization_id",
    "proposed_by_user_id",
    "score",
    "distance_km",
    "status",
    "family_answer",
    "family_answered_at",
    "assistant_answer",
    "assistant_answered_at",
    "interview_at",
    "expires_at",
    "sent_at",
    "job_id",
    "created_at",
    "updated_at",
)


def _reason(stored: str, with_words: bool) -> dict[str, Any] | None:
    """A decline reason: its code for everyone who sees the proposal; the words only
    for ``with_words`` readers, as people write health details in them."""
    if not stored:
        return None
    code, words = split_reason(stored)
    return {"code": code, "text": words if with_words else None}


def present_proposals(
    session: Session, actor: User, proposals: list[Proposal]
) -> list[dict[str, Any]]:
    """A page of proposals as ``actor`` may see them, for the API (readers decided once,
    the reads of health-derived score components audited in one statement)."""
    parts = [services.parts_of(session, p) for p in proposals]
    grants = fields.Grants(session, actor, [household for _r, household, _a in parts])
    shown = [present_proposal(session, actor, p, audit=False, grants=grants) for p in proposals]
    record_page_reads(session, actor, "proposal", [r for r, _h, _a in parts], shown)
    return shown


def present_proposal(
    session: Session,
    actor: User,
    proposal: Proposal,
    *,
    audit: bool = True,
    grants: fields.Grants | None = None,
) -> dict[str, Any]:
    """A proposal as ``actor`` may see it; contacts only once both sides accepted; the
    score components computed from health information only for its readers (audited
    unless ``audit`` is off, for pages that do not show them)."""
    care_request, household, assistant = services.parts_of(session, proposal)
    broker = services.is_broker(session, actor, proposal)
    out: dict[str, Any] = {name: getattr(proposal, name) for name in FIELDS}
    out.update(
        household_id=household.id,
        assistant_name=assistant.display_name,
        components=proposal.components or {},
        # Each side's words reach that side and the brokers, nobody else (a family's
        # reason may speak of the person's health; the assistant sees its code).
        family_reason=_reason(
            proposal.family_reason,
            broker or services.is_side(actor, "family", household, assistant),
        ),
        assistant_reason=_reason(
            proposal.assistant_reason,
            broker or services.is_side(actor, "assistant", household, assistant),
        ),
        # Interview notes are the brokers' working notes.
        interview_notes=proposal.interview_notes if broker else None,
        contacts=answers.contacts(session, actor, proposal),
        request_status=care_request.status,
    )
    return project_for(session, actor, care_request, "proposal", out, audit=audit, grants=grants)
