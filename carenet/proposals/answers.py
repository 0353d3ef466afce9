"""Answers to a proposal: each side accepts or declines (a broker may answer for a side),
the interview, and each side's contact once both accepted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.auth.models import User
from carenet.core.db import lock_row, utcnow
from carenet.core.errors import Conflict, Forbidden
from carenet.proposals.models import ANSWERS, Proposal
from carenet.proposals.reasons import DECLINE_REASONS, SIDES, join_reason
from carenet.proposals.services import (
    MAX_TEXT,
    PROPOSABLE,
    audit,
    back_to_matching,
    invalid,
    is_side,
    notify_users,
    parts_of,
    require_broker,
    side_users,
)


def require_may_answer(session: Session, actor: User, proposal: Proposal, side: str) -> None:
    """Forbidden unless ``actor`` may answer for ``side`` (checked before forms)."""
    if not may_answer(actor, proposal, side, session):
        raise Forbidden(
            _(
                "Only the %(side)s, or the brokering organization that holds their record, "
                "can answer.",
                side=side,
            )
        )


def may_answer(actor: User, proposal: Proposal, side: str, session: Session) -> bool:
    """Whether ``actor`` may answer for ``side``: that side's user, or a broker of the case
    on their behalf; for the assistant, only a broker whose register holds the assistant
    (her sportello), so that no broker can accept for an assistant it does not know and
    so see her contact details without her consent."""
    _request, household, assistant = parts_of(session, proposal)
    if is_side(actor, side, household, assistant):
        return True
    if not policy.can_broker(actor, household):
        return False
    return side == "family" or policy.can_see_assistant(actor, assistant)


def answerable_sides(session: Session, actor: User, proposal: Proposal) -> list[str]:
    """The sides ``actor`` may still answer for now (for the page's forms)."""
    if proposal.status != "pending" or _is_past(proposal):
        return []
    return [
        side
        for side in SIDES
        if getattr(proposal, f"{side}_answer") is None
        and may_answer(actor, proposal, side, session)
    ]


def _is_past(proposal: Proposal, now: dt.datetime | None = None) -> bool:
    expires = proposal.expires_at
    if expires is None:
        return False
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    return expires <= (now or utcnow())


def answer(
    session: Session,
    actor: User,
    proposal: Proposal,
    side: str,
    answer: str,
    reason_code: str | None = None,
    reason_text: str = "",
) -> Proposal:
    """One side accepts or declines (a decline needs a reason: a code, words or both)."""
    care_request, household, assistant = parts_of(session, proposal)
    errors: dict[str, list[str]] = {}
    if side not in SIDES:
        errors["side"] = [_("Use one of: %(v)s.", v=", ".join(SIDES))]
    if answer not in ANSWERS:
        errors["answer"] = [_("Use one of: %(v)s.", v=", ".join(ANSWERS))]
    if errors:
        raise invalid(errors)
    on_behalf = not is_side(actor, side, household, assistant)
    require_may_answer(session, actor, proposal, side)
    # Both sides may answer at the same moment: each reads the other's answer under the
    # row's lock, so the second one to commit sees the first and settles the status.
    lock_row(session, proposal)
    if proposal.status != "pending":
        raise Conflict(
            _(
                "Proposal %(id)s is %(status)s and cannot be answered.",
                id=proposal.id,
                status=proposal.status,
            ),
            {"status": proposal.status},
        )
    if care_request.status not in PROPOSABLE:
        raise Conflict(
            _(
                "The care request is %(status)s: its proposals can no longer be answered.",
                status=care_request.status,
            ),
            {"request_status": care_request.status},
        )
    if _is_past(proposal):
        raise Conflict(
            _("Proposal %(id)s has expired and cannot be answered.", id=proposal.id),
            {"status": "expired"},
        )
    if getattr(proposal, f"{side}_answer") is not None:
        raise Conflict(
            _("The %(side)s has already answered this proposal.", side=side),
            {"side": side, "answer": getattr(proposal, f"{side}_answer")},
        )
    code = (reason_code or "").strip() or None
    words = (reason_text or "").strip()
    if code is not None and code not in DECLINE_REASONS:
        errors["reason_code"] = [_("Use one of: %(v)s.", v=", ".join(DECLINE_REASONS))]
    if len(words) > MAX_TEXT:
        errors["reason_text"] = [_("At most %(n)d characters.", n=MAX_TEXT)]
    if answer == "declined" and code is None and not words:
        errors["reason_code"] = [_("Say why: choose a reason or write one.")]
    if errors:
        raise invalid(errors)
    setattr(proposal, f"{side}_answer", answer)
    setattr(proposal, f"{side}_reason", join_reason(code, words) if answer == "declined" else "")
    setattr(proposal, f"{side}_answered_at", utcnow())
    if answer == "declined":
        proposal.status = "declined"
    elif proposal.family_answer == "accepted" and proposal.assistant_answer == "accepted":
        proposal.status = "accepted"
    request_status = back_to_matching(session, care_request)
    session.flush()
    # The free text stays out of the audit log: people write health details in it.
    audit(
        session,
        actor,
        "proposal.answer",
        proposal,
        request_status,
        side=side,
        answer=answer,
        reason_code=code if answer == "declined" else None,
        on_behalf=on_behalf,
    )
    others = [*side_users(household, assistant), proposal.proposed_by_user_id]
    notify_users(
        session,
        proposal,
        (u for u in others if u != actor.id),
        f"proposal.{answer}",
        by=side,
    )
    return proposal


def record_interview(
    session: Session, actor: User, proposal: Proposal, at: dt.datetime, notes: str = ""
) -> Proposal:
    """A broker records when the interview is (or was), with notes."""
    _care_request, household, assistant = parts_of(session, proposal)
    require_broker(actor, household)
    if proposal.status not in ("pending", "accepted"):
        raise Conflict(
            _(
                "Proposal %(id)s is %(status)s: interviews are for pending or accepted proposals.",
                id=proposal.id,
                status=proposal.status,
            ),
            {"status": proposal.status},
        )
    words = (notes or "").strip()
    if len(words) > MAX_TEXT:
        raise invalid({"notes": [_("At most %(n)d characters.", n=MAX_TEXT)]})
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    proposal.interview_at = at.astimezone(dt.UTC)
    proposal.interview_notes = words
    session.flush()
    # Notes stay out of the audit log (they may hold health details).
    audit(
        session,
        actor,
        "proposal.interview",
        proposal,
        interview_at=proposal.interview_at.isoformat(),
    )
    notify_users(
        session,
        proposal,
        side_users(household, assistant),
        "proposal.interview",
        interview_at=proposal.interview_at.isoformat(),
    )
    return proposal


def contacts(session: Session, actor: User, proposal: Proposal) -> dict[str, Any]:
    """Each side's contact, for whom may see it: nothing before both accepted; then the
    family sees the assistant's, the assistant the family's, the brokers both."""
    if proposal.status != "accepted":
        return {}
    _request, household, assistant = parts_of(session, proposal)
    broker = policy.can_broker(actor, household)
    shown: dict[str, Any] = {}
    if broker or is_side(actor, "family", household, assistant):
        user = session.get(User, assistant.user_id) if assistant.user_id else None
        shown["assistant"] = {
            "name": assistant.display_name,
            "email": user.email if user is not None else None,
            "phone": assistant.phone,
        }
    if broker or is_side(actor, "assistant", household, assistant):
        owner = session.get(User, household.owner_user_id) if household.owner_user_id else None
        shown["family"] = {
            "name": household.contact_name,
            "email": owner.email if owner is not None else None,
            "phone": household.phone,
        }
    return shown
