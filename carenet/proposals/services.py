"""Proposals: an operator puts assistants forward for a request, each side answers.

Life of a proposal: ``draft`` (a bulk run's output, seen only by the brokers) ->
``pending`` (sent: both sides notified, expires after ``PROPOSAL_TTL_DAYS``) ->
``accepted`` (both sides accepted; contacts are revealed) or ``declined`` (either side
declined) or ``expired`` (no answer in time); a draft or pending proposal can be
``withdrawn`` by the brokers.

The request follows: it becomes ``proposed`` when a proposal is sent, and goes back to
``matching`` (not ``open``: it has been matched before, and bulk runs and the match page
take ``matching`` requests) when no pending or accepted proposal is left, so the next
match can propose others.

Answers, the interview and contacts are in ``answers``.

Who may see a proposal: the brokers of the case (drafts included); the other readers of
the case and the assistant's own user, once it is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.assistants.models import Assistant
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.db import lock_row, utcnow
from carenet.core.errors import Conflict, Invalid, NotFound
from carenet.families.models import CareRecipient, Household
from carenet.matchmaking.services import explain_visible
from carenet.notifications.services import notify
from carenet.placements.models import Placement
from carenet.proposals.models import Proposal

MAX_TEXT = 2000
#: Request statuses in which proposals can be made (the ones the matcher accepts).
PROPOSABLE = frozenset({"open", "matching", "proposed"})
#: Proposals that keep a request "proposed".
LIVE = ("pending", "accepted")
#: What a broker may withdraw (an accepted one only while no placement came from it).
WITHDRAWABLE = ("draft", "pending", "accepted")
#: The status a request goes back to when its last live proposal ends.
BACK_TO = "matching"


def invalid(errors: dict[str, list[str]], **details: Any) -> Invalid:
    """A 422 naming the failing fields."""
    names = ", ".join(sorted(errors))
    return Invalid(
        _("Some fields are not valid: %(names)s.", names=names), {"fields": errors, **details}
    )


def parts_of(session: Session, proposal: Proposal) -> tuple[CareRequest, Household, Assistant]:
    """The request, household and assistant of a proposal."""
    care_request = session.get(CareRequest, proposal.request_id)
    assistant = session.get(Assistant, proposal.assistant_id)
    assert care_request is not None and assistant is not None  # foreign keys
    return care_request, care_request.recipient.household, assistant


def is_side(actor: User, side: str, household: Household, assistant: Assistant) -> bool:
    """Whether ``actor`` is that side of the proposal (the family owner, the assistant)."""
    if side == "family":
        return actor.role == "family" and household.owner_user_id == actor.id
    return actor.role == "assistant" and assistant.user_id == actor.id


def can_see(actor: User, proposal: Proposal, household: Household, assistant: Assistant) -> bool:
    """Brokers see every proposal of their cases; the case's readers and the assistant see
    those that were sent."""
    if policy.can_broker(actor, household):
        return True
    if proposal.status == "draft":
        return False
    return policy.can_see_household(actor, household) or is_side(
        actor, "assistant", household, assistant
    )


def _not_found(proposal_id: int) -> NotFound:
    return NotFound(_("Proposal %(id)s not found.", id=proposal_id))


def get_proposal(
    session: Session, actor: User, proposal_id: int, *, for_: Literal["read", "broker"] = "read"
) -> Proposal:
    """The proposal, or NotFound when missing or not ``actor``'s to see (drafts are the
    brokers' alone); for ``"broker"``, Forbidden unless ``actor`` brokers its case."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is not None:
        _request, household, assistant = parts_of(session, proposal)
        if can_see(actor, proposal, household, assistant):
            if for_ == "broker":
                require_broker(actor, household)
            return proposal
    raise _not_found(proposal_id)


def _visible(actor: User) -> sa.ColumnElement[bool]:
    households = policy.scope_households(sa.select(Household.id), actor)
    sent = Proposal.status != "draft"
    if actor.role == "admin":
        return sa.true()
    if actor.role == "operator" and policy.organization_kind(actor) in policy.BROKER_KINDS:
        return Household.id.in_(households)
    seen: sa.ColumnElement[bool] = Household.id.in_(households)
    if actor.role == "assistant":
        own = policy.scope_assistants(sa.select(Assistant.id), actor)
        seen = sa.or_(seen, Proposal.assistant_id.in_(own))
    return sa.and_(sent, seen)


def list_proposals(
    session: Session,
    actor: User,
    *,
    request_id: int | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Proposal], int]:
    """A page of the proposals ``actor`` may see (their own, or their cases'), newest first."""
    stmt = (
        sa.select(Proposal)
        .join(CareRequest, Proposal.request_id == CareRequest.id)
        .join(CareRecipient, CareRequest.recipient_id == CareRecipient.id)
        .join(Household, CareRecipient.household_id == Household.id)
        .where(_visible(actor))
    )
    if request_id is not None:
        stmt = stmt.where(Proposal.request_id == request_id)
    if status:
        stmt = stmt.where(Proposal.status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Proposal.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return list(rows), total


def require_broker(actor: User, household: Household) -> None:
    """Forbidden unless ``actor`` brokers the household's case."""
    policy.require(
        policy.can_broker(actor, household),
        _("Only the organizations brokering this case can do this."),
    )


def notify_users(
    session: Session, proposal: Proposal, user_ids: Iterable[int | None], kind: str, **data: Any
) -> None:
    """Notify each user once (``None`` skipped) about ``proposal``."""
    payload = {"reference": f"#{proposal.id}", "proposal_id": proposal.id, **data}
    for user_id in sorted({u for u in user_ids if u is not None}):
        notify(session, user_id, kind, payload, f"/proposals/{proposal.id}")


def side_users(household: Household, assistant: Assistant) -> list[int | None]:
    """The family owner and the assistant's user (either may be missing)."""
    return [household.owner_user_id, assistant.user_id]


def _mark_proposed(care_request: CareRequest) -> dict[str, str] | None:
    if care_request.status in ("open", "matching"):
        previous = care_request.status
        care_request.status = "proposed"
        return {"from": previous, "to": "proposed"}
    return None


def back_to_matching(session: Session, care_request: CareRequest) -> dict[str, str] | None:
    """A proposed request with no live proposal left goes back to matching.

    One conditional UPDATE, so the decision is taken on the database's current rows and
    not on what this session happened to load.
    """
    session.flush()
    live = sa.select(Proposal.id).where(
        Proposal.request_id == care_request.id, Proposal.status.in_(LIVE)
    )
    result = session.execute(
        sa.update(CareRequest)
        .where(
            CareRequest.id == care_request.id,
            CareRequest.status == "proposed",
            ~sa.exists(live),
        )
        .values(status=BACK_TO)
        .execution_options(synchronize_session="fetch")
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return {"from": "proposed", "to": BACK_TO}


def audit(
    session: Session,
    actor: User | None,
    action: str,
    proposal: Proposal,
    request_status: dict[str, str] | None = None,
    **data: Any,
) -> None:
    """One audit event on the proposal, always with its request id."""
    payload: dict[str, Any] = {
        "request_id": proposal.request_id,
        "assistant_id": proposal.assistant_id,
        "status": proposal.status,
        **data,
    }
    if request_status:
        payload["request_status"] = request_status
    record_event(session, actor, action, "proposal", proposal.id, payload)


def _require_proposable(care_request: CareRequest) -> None:
    if care_request.status not in PROPOSABLE:
        raise Conflict(
            _(
                "A %(status)s request cannot receive proposals; it must be open, matching "
                "or proposed.",
                status=care_request.status,
            ),
            {"status": care_request.status},
        )


def _check_eligible(
    session: Session, actor: User, care_request: CareRequest, assistant_ids: Sequence[int]
) -> dict[int, Any]:
    """The engine's explanation of each assistant; one Invalid naming every refusal.

    An assistant ``actor`` may not learn about through this request (outside its register
    and beyond the family's maximum distance) is "not found", exactly as "why not" and as
    an id that does not exist answer: no distance, name or reason (``explain_visible``).
    """
    explanations = {
        assistant_id: explain_visible(session, actor, care_request, assistant_id)[0]
        for assistant_id in assistant_ids
    }
    refused: list[dict[str, Any]] = []
    messages: list[str] = []
    for assistant_id, explanation in explanations.items():
        if not explanation.eligible:
            refused.append(
                {
                    "assistant_id": assistant_id,
                    "code": explanation.code,
                    "message": explanation.message,
                }
            )
            messages.append(
                _(
                    "Assistant %(id)s is not eligible (%(code)s): %(message)s",
                    id=assistant_id,
                    code=explanation.code,
                    message=explanation.message,
                )
            )
    if refused:
        raise Invalid(
            " ".join(messages),
            {"fields": {"assistant_ids": messages}, "assistants": refused},
        )
    return explanations


def create_proposals(
    session: Session,
    actor: User,
    request: CareRequest,
    assistant_ids: Sequence[int],
    *,
    status: str = "pending",
    ttl: dt.timedelta | None = None,
    job_id: int | None = None,
) -> list[Proposal]:
    """Propose eligible assistants for ``request``: all of them, or none (422/409).

    Pending proposals (sent at once) expire unanswered after ``ttl``, which they need.
    """
    if status == "pending" and ttl is None:
        raise TypeError("pending proposals need their time to live (ttl)")
    household = request.recipient.household
    if not policy.can_see_household(actor, household):
        raise NotFound(_("Care request %(id)s not found.", id=request.id))
    require_broker(actor, household)
    if status not in ("draft", "pending"):
        raise invalid({"status": [_("Use one of: %(v)s.", v="draft, pending")]})
    ids = list(dict.fromkeys(assistant_ids))
    if not ids:
        raise invalid({"assistant_ids": [_("Choose at least one assistant.")]})
    _require_proposable(request)
    existing = sorted(
        session.scalars(
            sa.select(Proposal.assistant_id).where(
                Proposal.request_id == request.id, Proposal.assistant_id.in_(ids)
            )
        )
    )
    if existing:
        raise Conflict(
            _(
                "These assistants were already proposed for this request: %(ids)s.",
                ids=", ".join(map(str, existing)),
            ),
            {"assistant_ids": existing},
        )
    explanations = _check_eligible(session, actor, request, ids)
    now = utcnow()
    pending = status == "pending"
    proposals = [
        Proposal(
            request_id=request.id,
            assistant_id=assistant_id,
            organization_id=actor.organization_id,
            proposed_by_user_id=actor.id,
            score=float(explanations[assistant_id].score),
            components=dict(explanations[assistant_id].components or {}),
            distance_km=float(explanations[assistant_id].distance_km),
            status=status,
            sent_at=now if pending else None,
            expires_at=now + ttl if ttl is not None and pending else None,
            job_id=job_id,
        )
        for assistant_id in ids
    ]
    session.add_all(proposals)
    request_status = _mark_proposed(request) if pending else None
    session.flush()
    for proposal in proposals:
        audit(
            session,
            actor,
            "proposal.create",
            proposal,
            request_status,
            score=proposal.score,
            job_id=job_id,
        )
        request_status = None  # recorded once, with the first proposal
        if pending:
            assistant = session.get(Assistant, proposal.assistant_id)
            assert assistant is not None
            notify_users(session, proposal, side_users(household, assistant), "proposal.new")
    return proposals


def send_proposals(
    session: Session, actor: User, proposal_ids: Sequence[int], *, ttl: dt.timedelta
) -> list[Proposal]:
    """Send drafts: each becomes pending (notified, expiring after ``ttl``); all or nothing."""
    proposals = [get_proposal(session, actor, pid) for pid in dict.fromkeys(proposal_ids)]
    if not proposals:
        raise invalid({"proposal_ids": [_("Choose at least one draft.")]})
    for proposal in proposals:
        care_request, household, _assistant = parts_of(session, proposal)
        require_broker(actor, household)
        if proposal.status != "draft":
            raise Conflict(
                _(
                    "Proposal %(id)s is %(status)s; only drafts can be sent.",
                    id=proposal.id,
                    status=proposal.status,
                ),
                {"proposal_id": proposal.id, "status": proposal.status},
            )
        _require_proposable(care_request)
        # The draft may be days old: the assistant must still be eligible.
        _check_eligible(session, actor, care_request, [proposal.assistant_id])
    now = utcnow()
    for proposal in proposals:
        care_request, household, assistant = parts_of(session, proposal)
        proposal.status = "pending"
        proposal.sent_at = now
        proposal.expires_at = now + ttl
        request_status = _mark_proposed(care_request)
        session.flush()
        audit(session, actor, "proposal.send", proposal, request_status)
        notify_users(session, proposal, side_users(household, assistant), "proposal.new")
    return proposals


def withdraw(session: Session, actor: User, proposal: Proposal) -> Proposal:
    """A broker withdraws a draft (discards it), a pending proposal, or an accepted one
    that no placement came from (the two sides agreed, then nothing followed)."""
    care_request, household, assistant = parts_of(session, proposal)
    require_broker(actor, household)
    lock_row(session, proposal)
    if proposal.status not in WITHDRAWABLE:
        raise Conflict(
            _(
                "Proposal %(id)s is %(status)s; only drafts, pending and accepted proposals "
                "can be withdrawn.",
                id=proposal.id,
                status=proposal.status,
            ),
            {"status": proposal.status},
        )
    placed = sa.select(Placement.id).where(Placement.proposal_id == proposal.id)
    if session.scalar(sa.select(sa.exists(placed))):
        raise Conflict(
            _(
                "A placement was started from proposal %(id)s: end the placement instead.",
                id=proposal.id,
            ),
            {"status": proposal.status},
        )
    was_sent = proposal.status != "draft"
    proposal.status = "withdrawn"
    request_status = back_to_matching(session, care_request)
    session.flush()
    audit(session, actor, "proposal.withdraw", proposal, request_status)
    if was_sent:
        notify_users(session, proposal, side_users(household, assistant), "proposal.withdrawn")
    return proposal


def require_broker_of_request(actor: User, care_request: CareRequest) -> None:
    """Forbidden unless ``actor`` brokers the request's case (checked before forms)."""
    require_broker(actor, care_request.recipient.household)


def expire_due(session: Session, now: dt.datetime | None = None) -> int:
    """Pending proposals past their expiry become expired; how many did."""
    moment = now or utcnow()
    due = list(
        session.scalars(
            sa.select(Proposal)
            .where(
                Proposal.status == "pending",
                Proposal.expires_at.is_not(None),
                Proposal.expires_at <= moment,
            )
            .order_by(Proposal.id)
        )
    )
    expired = 0
    for proposal in due:
        care_request, household, assistant = parts_of(session, proposal)
        lock_row(session, proposal)
        if proposal.status != "pending":
            continue  # answered or withdrawn since it was listed
        expired += 1
        proposal.status = "expired"
        request_status = back_to_matching(session, care_request)
        session.flush()
        audit(session, None, "proposal.expire", proposal, request_status)
        notify_users(
            session,
            proposal,
            [*side_users(household, assistant), proposal.proposed_by_user_id],
            "proposal.expired",
        )
    return expired


def is_broker(session: Session, actor: User, proposal: Proposal) -> bool:
    """Whether ``actor`` brokers the proposal's case (for the pages)."""
    _request, household, _assistant = parts_of(session, proposal)
    return policy.can_broker(actor, household)
