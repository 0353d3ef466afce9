"""Placements: start one from an accepted proposal, end it, record each side's feedback.

No double-booking, ever: ``start_placement`` first takes a lock that serialises every
placement of the same assistant (PostgreSQL: ``SELECT ... FOR UPDATE`` on the assistant
row; SQLite: the database's write lock, by a no-op write to that row), then compares the
new hours with the assistant's busy hours. The ``placement_slot`` primary key
(assistant, hour) is the last guard: an insert that breaks it is a 409 as well.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, object_session

from carenet.access import policy
from carenet.assistants.models import Assistant, AssistantQualification, qualification_counts
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.care_requests import rules
from carenet.care_requests.models import CareRequest
from carenet.core.db import lock_row, utcnow
from carenet.core.errors import Conflict, Forbidden, Invalid, NotFound
from carenet.families.models import CareRecipient, Household
from carenet.notifications.services import notify
from carenet.placements.models import HOURS_PER_WEEK, Placement, PlacementSlot
from carenet.proposals.models import Proposal
from matching import Schedule, ScheduleError, contract

SIDES = ("family", "assistant")
# A request can be placed while it is being brokered, not before or after.
PLACEABLE_STATUSES = frozenset({"open", "matching", "proposed"})
MAX_TEXT = 2000
#: At least this share of a placement's hours must be hours its request asks for: the
#: terms may shift the hours the family asked for, not replace them.
MIN_SHARE_OF_REQUEST = 0.5
#: The end reason of a placement ended by its planned end date: stored as this message
#: id and translated when shown (``presenters.present_placement``).
TERM_REACHED = "The planned end date was reached."


def _locale() -> str:
    return "en" if str(get_locale() or "it").startswith("en") else "it"


def _invalid(errors: dict[str, list[str]]) -> Invalid:
    names = ", ".join(sorted(errors))
    return Invalid(_("Some fields are not valid: %(names)s.", names=names), {"fields": errors})


def household_of(session: Session, care_request: CareRequest) -> Household:
    """The household a request belongs to."""
    return care_request.recipient.household


def can_see(actor: User, placement: Placement, household: Household, assistant: Assistant) -> bool:
    """Whether ``actor`` may read this placement: the case's readers and the assistant."""
    if policy.can_see_household(actor, household):
        return True
    return actor.role == "assistant" and policy.can_see_assistant(actor, assistant)


def parts_of(session: Session, placement: Placement) -> tuple[CareRequest, Household, Assistant]:
    """The request, household and assistant of a placement."""
    care_request = session.get(CareRequest, placement.request_id)
    assistant = session.get(Assistant, placement.assistant_id)
    assert care_request is not None and assistant is not None  # foreign keys
    return care_request, household_of(session, care_request), assistant


def get_placement(session: Session, actor: User, placement_id: int) -> Placement:
    """The placement, or NotFound when missing or outside what ``actor`` may see."""
    placement = session.get(Placement, placement_id)
    if placement is not None:
        _request, household, assistant = parts_of(session, placement)
        if can_see(actor, placement, household, assistant):
            return placement
    raise NotFound(_("Placement %(id)s not found.", id=placement_id))


def list_placements(
    session: Session,
    actor: User,
    *,
    status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Placement], int]:
    """A page of the placements ``actor`` may see (their cases, or their own), newest first."""
    households = policy.scope_households(sa.select(Household.id), actor)
    visible: sa.ColumnElement[bool] = Household.id.in_(households)
    if actor.role == "assistant":
        own = policy.scope_assistants(sa.select(Assistant.id), actor)
        visible = sa.or_(visible, Placement.assistant_id.in_(own))
    stmt = (
        sa.select(Placement)
        .join(CareRequest, Placement.request_id == CareRequest.id)
        .join(CareRecipient, CareRequest.recipient_id == CareRecipient.id)
        .join(Household, CareRecipient.household_id == Household.id)
        .where(visible)
    )
    if status:
        stmt = stmt.where(Placement.status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Placement.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return list(rows), total


def held_qualifications(session: Session, assistant: Assistant, day: dt.date) -> list[str]:
    """The codes ``assistant`` holds on ``day``: valid then, and counted as matching counts
    them (``qualification_counts``: verified by themselves or with the profile)."""
    rows = session.scalars(
        sa.select(AssistantQualification).where(AssistantQualification.assistant_id == assistant.id)
    )
    return sorted(
        row.qualification_code
        for row in rows
        if qualification_counts(row.verified_at, assistant.status) and row.is_valid_on(day)
    )


def _schedule_problems(
    assistant: Assistant, care_request: CareRequest, schedule: Schedule
) -> list[str]:
    """Hours outside the assistant's declared availability, or a schedule that is mostly
    not the request's: programme rules of a placement (docs/contract-rules.md)."""
    problems = []
    outside = schedule - Schedule.from_bytes(assistant.availability)
    if outside:
        problems.append(
            _(
                "The schedule has hours outside %(name)s's declared availability: %(hours)s. "
                "Agree hours within it, or have the availability updated first.",
                name=assistant.display_name,
                hours=outside.format(_locale()),
            )
        )
    asked = Schedule.from_bytes(care_request.schedule)
    shared = (schedule & asked).hours
    if shared < schedule.hours * MIN_SHARE_OF_REQUEST:
        problems.append(
            _(
                "Only %(shared)d of the schedule's %(hours)d hours are hours the request asks "
                "for (%(asked)s): at least half must be.",
                shared=shared,
                hours=schedule.hours,
                asked=asked.format(_locale()),
            )
        )
    return problems


def _validate_terms(
    session: Session,
    care_request: CareRequest,
    assistant: Assistant,
    ccnl_level: str,
    weekly_hours: int | None,
    schedule_text: str,
    start_date: dt.date,
    end_date: dt.date | None,
) -> Schedule:
    """Check the terms against the contract rules and the placement's own; raise one Invalid
    with every problem."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    schedule: Schedule | None
    try:
        schedule = Schedule.parse(schedule_text or "")
    except ScheduleError as exc:
        add("schedule", _("The schedule could not be read: %(error)s", error=str(exc)))
        schedule = None
    if start_date < dt.date.today():
        add("start_date", _("The start date %(date)s is in the past.", date=start_date.isoformat()))
    if end_date is not None and end_date < start_date:
        add("end_date", _("The end date is before the start date."))
    recipient = care_request.recipient
    requires_trained = contract.is_trained(care_request.qualification_codes(required=True))
    level, violations = rules.ccnl_level(recipient.self_sufficiency, requires_trained, ccnl_level)
    if not violations and rules.LEVEL_RANK[level] < rules.LEVEL_RANK[care_request.ccnl_level]:
        add(
            "ccnl_level",
            _(
                "Level %(level)s is below the level %(requested)s the request asks for.",
                level=ccnl_level,
                requested=care_request.ccnl_level,
            ),
        )
    if not violations:
        held = held_qualifications(session, assistant, start_date)
        untrained = rules.trained_level_violation(level, assistant.display_name, held, start_date)
        if untrained is not None:
            violations.append(untrained)
    if schedule is not None:
        _hours, more = rules.contract_hours(
            care_request.arrangement, care_request.live_in_part_time, schedule, weekly_hours
        )
        violations.extend(more)
        if schedule:
            for problem in _schedule_problems(assistant, care_request, schedule):
                add("schedule", problem)
    for violation in violations:
        add(violation.field, violation.message)
    if errors:
        raise _invalid(errors)
    assert schedule is not None
    return schedule


def _busy(session: Session, assistant_id: int) -> dict[int, int]:
    """The assistant's busy hours now: slot -> placement id."""
    rows = session.execute(
        sa.select(PlacementSlot.slot, PlacementSlot.placement_id).where(
            PlacementSlot.assistant_id == assistant_id
        )
    )
    return {slot: placement_id for slot, placement_id in rows}


def _double_booking(
    session: Session, assistant: Assistant, overlap: dict[int, int], live_in: bool
) -> Conflict:
    hours = Schedule.from_hours(overlap).format(_locale())
    others = sorted(set(overlap.values()))
    arrangements = session.scalars(sa.select(Placement.arrangement).where(Placement.id.in_(others)))
    live_in = live_in or "live_in" in set(arrangements)
    message = _(
        "%(name)s is already placed in these hours: %(hours)s (placement %(others)s).",
        name=assistant.display_name,
        hours=hours,
        others=", ".join(f"#{i}" for i in others),
    )
    if live_in:
        message += " " + _("A live-in placement takes the whole week.")
    return Conflict(
        message,
        {"overlap": hours, "hours": len(overlap), "placement_ids": others},
    )


def _slot_conflict(session: Session, assistant: Assistant, live_in: bool) -> Conflict:
    """The 409 for an insert the slot primary key refused (a race the lock did not catch)."""
    # A failed flush leaves the session unusable until it rolls back; the request would be
    # rolled back anyway, and the error page must still be able to read.
    session.rollback()
    busy = _busy(session, assistant.id)
    if busy:
        return _double_booking(session, assistant, busy, live_in)
    return Conflict(_("%(name)s was just placed elsewhere.", name=assistant.display_name))


def _is_locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig) or "deadlock" in str(exc.orig).lower()


def start_placement(
    session: Session,
    actor: User,
    proposal: Proposal,
    ccnl_level: str,
    weekly_hours: int | None,
    schedule_text: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> Placement:
    """Place the proposal's assistant for its request, unless the hours are taken."""
    care_request = session.get(CareRequest, proposal.request_id)
    assistant = session.get(Assistant, proposal.assistant_id)
    if care_request is None or assistant is None:
        raise NotFound(_("Proposal %(id)s not found.", id=proposal.id))
    household = household_of(session, care_request)
    if not policy.can_see_household(actor, household):
        raise NotFound(_("Proposal %(id)s not found.", id=proposal.id))
    policy.require(
        policy.can_broker(actor, household),
        _("Only the organizations brokering this case can start a placement."),
    )
    if proposal.status != "accepted":
        raise Conflict(
            _(
                "A placement starts from an accepted proposal; this one is %(status)s.",
                status=proposal.status,
            ),
            {"status": proposal.status},
        )
    schedule = _validate_terms(
        session,
        care_request,
        assistant,
        ccnl_level,
        weekly_hours,
        schedule_text,
        start_date,
        end_date,
    )
    live_in = care_request.arrangement == "live_in"
    slots = list(range(HOURS_PER_WEEK)) if live_in else schedule.slots()
    try:
        lock_row(session, assistant)  # placements of one assistant, one at a time
        # The request's row too (PostgreSQL), so that two assistants cannot both be placed
        # for one request; read again under the lock, as another placement may have won.
        session.refresh(care_request, with_for_update=True)
        if care_request.status not in PLACEABLE_STATUSES:
            raise Conflict(
                _(
                    "A %(status)s request cannot be placed; it must be open, matching or proposed.",
                    status=care_request.status,
                ),
                {"status": care_request.status},
            )
        busy = _busy(session, assistant.id)
        overlap = {slot: busy[slot] for slot in slots if slot in busy}
        if overlap:
            raise _double_booking(session, assistant, overlap, live_in)
        # A live-in placement is alone in the week (any busy hour overlaps it); hourly and
        # night ones add up, within the assistant's weekly total (matching.contract).
        too_many = rules.total_hours_violation(
            assistant.display_name, len(busy), schedule.hours, sorted(set(busy.values()))
        )
        if too_many is not None:
            raise _invalid({too_many.field: [too_many.message]})
        placement = Placement(
            request_id=care_request.id,
            assistant_id=assistant.id,
            proposal_id=proposal.id,
            arrangement=care_request.arrangement,
            ccnl_level=ccnl_level,
            weekly_hours=schedule.hours,
            schedule=schedule.to_bytes(),
            start_date=start_date,
            end_date=end_date,
            status="active",
            created_by_user_id=actor.id,
        )
        session.add(placement)
        session.flush()
        session.add_all(
            PlacementSlot(assistant_id=assistant.id, slot=slot, placement_id=placement.id)
            for slot in slots
        )
        previous = care_request.status
        care_request.status = "placed"
        session.flush()
    except IntegrityError as exc:
        raise _slot_conflict(session, assistant, live_in) from exc
    except OperationalError as exc:
        if not _is_locked(exc):
            raise
        session.rollback()
        raise Conflict(
            _("The assistant's hours are being changed by someone else: try again."),
            {"retry": True},
        ) from exc
    record_event(
        session,
        actor,
        "placement.start",
        "placement",
        placement.id,
        {
            "request_id": care_request.id,
            "assistant_id": assistant.id,
            "proposal_id": proposal.id,
            "ccnl_level": ccnl_level,
            "weekly_hours": placement.weekly_hours,
            "request_status": {"from": previous, "to": "placed"},
        },
    )
    _notify(session, placement, household, assistant, "placement.started")
    _withdraw_others(session, actor, care_request.id, proposal.id)
    return placement


def _withdraw_others(session: Session, actor: User, request_id: int, kept: int) -> None:
    """The request is placed: its other open proposals are withdrawn (and audited), so
    nobody is left answering a proposal that can no longer lead anywhere."""
    others = session.scalars(
        sa.select(Proposal).where(
            Proposal.request_id == request_id,
            Proposal.id != kept,
            Proposal.status.in_(("draft", "pending")),
        )
    ).all()
    for other in others:
        record_event(
            session,
            actor,
            "proposal.withdraw",
            "proposal",
            other.id,
            {"request_id": request_id, "from": other.status, "reason": "request placed"},
        )
        other.status = "withdrawn"


def _notify(
    session: Session, placement: Placement, household: Household, assistant: Assistant, kind: str
) -> None:
    data: dict[str, Any] = {"reference": f"#{placement.id}", "placement_id": placement.id}
    link = f"/placements/{placement.id}"
    users = {household.owner_user_id, assistant.user_id}
    for user_id in sorted(u for u in users if u is not None):
        notify(session, user_id, kind, data, link)


def _is_side(actor: User, side: str, household: Household, assistant: Assistant) -> bool:
    if side == "family":
        return actor.role == "family" and household.owner_user_id == actor.id
    return actor.role == "assistant" and assistant.user_id == actor.id


def _may_end(actor: User, household: Household, assistant: Assistant) -> bool:
    return policy.can_broker(actor, household) or any(
        _is_side(actor, side, household, assistant) for side in SIDES
    )


def _may_give(actor: User, side: str, household: Household, assistant: Assistant) -> bool:
    return _is_side(actor, side, household, assistant) or policy.can_broker(actor, household)


def require_may_end(session: Session, actor: User, placement: Placement) -> None:
    """Forbidden unless ``actor`` is the family, the assistant or a broker of the case."""
    _request, household, assistant = parts_of(session, placement)
    policy.require(
        _may_end(actor, household, assistant),
        _("Only the family, the assistant or the brokering organization can end a placement."),
    )


def require_may_give(session: Session, actor: User, placement: Placement, side: str) -> None:
    """Invalid for an unknown side; Forbidden unless ``actor`` may speak for ``side``."""
    if side not in SIDES:
        raise _invalid({"side": [_("Use one of: %(v)s.", v=", ".join(SIDES))]})
    _request, household, assistant = parts_of(session, placement)
    if not _may_give(actor, side, household, assistant):
        raise Forbidden(
            _(
                "Only the %(side)s, or the brokering organization for them, can give this "
                "feedback.",
                side=side,
            )
        )


def can_end(session: Session, actor: User, placement: Placement) -> bool:
    """Whether ``actor`` may end this placement now (for the page's form)."""
    _request, household, assistant = parts_of(session, placement)
    return placement.status == "active" and _may_end(actor, household, assistant)


def feedback_sides(session: Session, actor: User, placement: Placement) -> list[str]:
    """The sides whose feedback ``actor`` may still give (for the page's forms)."""
    _request, household, assistant = parts_of(session, placement)
    return [
        side
        for side in SIDES
        if getattr(placement, f"{side}_rating") is None
        and _may_give(actor, side, household, assistant)
    ]


def end_placement(
    session: Session,
    actor: User,
    placement: Placement,
    end_reason: str,
    ended_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Placement:
    """End an active placement: its hours are free again for the next match.

    ``ended_on`` is the last day of work: not before the start, and today at the latest
    (the hours stay booked until then; a planned end is the placement's ``end_date``,
    which ``end_due_placements`` honours); None means today. A placement that has not
    started yet is called off: with no date, or with its start date, it ends on its start
    date, having never run. An end date before the start is refused, never moved.
    """
    require_may_end(session, actor, placement)
    return _end(session, actor, placement, end_reason, ended_on, today or dt.date.today())


def _end_date_problem(placement: Placement, ended_on: dt.date, today: dt.date) -> str | None:
    start = placement.start_date
    if ended_on < start:
        return _(
            "The placement starts on %(start)s: it cannot end before that, on %(date)s. To "
            "call off a placement that has not started, leave the end date empty (or give "
            "its start date).",
            start=start.isoformat(),
            date=ended_on.isoformat(),
        )
    if today < start and ended_on != start:
        return _(
            "This placement starts on %(start)s: before then it can only be called off, "
            "ending on its start date.",
            start=start.isoformat(),
        )
    if start <= today < ended_on:
        return _(
            "A placement is ended on the day it ends, not before: %(date)s is in the future.",
            date=ended_on.isoformat(),
        )
    return None


def _end(
    session: Session,
    actor: User | None,
    placement: Placement,
    end_reason: str,
    ended_on: dt.date | None,
    today: dt.date,
    term_reached: bool = False,
) -> Placement:
    care_request, household, assistant = parts_of(session, placement)
    lock_row(session, placement)  # two ends at once: one wins, the other is a 409
    if placement.status != "active":
        raise Conflict(_("This placement has already ended."), {"status": placement.status})
    errors: dict[str, list[str]] = {}
    reason = (end_reason or "").strip()
    if not reason:
        errors["end_reason"] = [_("Say why the placement ends.")]
    elif len(reason) > MAX_TEXT:
        errors["end_reason"] = [_("At most %(n)d characters.", n=MAX_TEXT)]
    called_off = today < placement.start_date
    if ended_on is None:
        ended_on = placement.start_date if called_off else today
    problem = _end_date_problem(placement, ended_on, today)
    if problem is not None:
        errors["ended_on"] = [problem]
    if errors:
        raise _invalid(errors)
    session.execute(sa.delete(PlacementSlot).where(PlacementSlot.placement_id == placement.id))
    placement.status = "ended"
    placement.ended_at = utcnow()
    placement.end_date = ended_on
    placement.end_reason = reason
    # The request is no longer placed: closed at the planned end, open again otherwise.
    previous = care_request.status
    care_request.status = rules.status_after_placement(previous, term_reached)
    # Flushing the changed placement also logs the assistant for the matching indexes.
    session.flush()
    record_event(
        session,
        actor,
        "placement.end",
        "placement",
        placement.id,
        {
            "request_id": care_request.id,
            "assistant_id": assistant.id,
            "ended_on": str(ended_on),
            "called_off": called_off,
            "request_status": {"from": previous, "to": care_request.status},
        },
    )
    _notify(session, placement, household, assistant, "placement.ended")
    return placement


def end_due_placements(session: Session, today: dt.date) -> int:
    """End the active placements whose planned end date has passed (the daily task).

    A placement with an ``end_date`` keeps its hours until that day; the day after, it
    ends with the reason "contract term reached" and its hours are free again.
    """
    due = session.scalars(
        sa.select(Placement)
        .where(Placement.status == "active", Placement.end_date < today)
        .order_by(Placement.id)
    ).all()
    for placement in due:
        assert placement.end_date is not None
        _end(session, None, placement, TERM_REACHED, placement.end_date, today, term_reached=True)
    return len(due)


def give_feedback(
    session: Session, actor: User, placement: Placement, side: str, rating: int, text: str
) -> Placement:
    """Record one side's rating (1-5) and words; each side gives feedback once."""
    care_request, household, assistant = parts_of(session, placement)
    require_may_give(session, actor, placement, side)
    if getattr(placement, f"{side}_rating") is not None:
        raise Conflict(
            _("The %(side)s has already given feedback on this placement.", side=side),
            {"side": side},
        )
    errors: dict[str, list[str]] = {}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("The rating must be from 1 to 5.")]
    words = (text or "").strip()
    if len(words) > MAX_TEXT:
        errors["text"] = [_("At most %(n)d characters.", n=MAX_TEXT)]
    if errors:
        raise _invalid(errors)
    setattr(placement, f"{side}_rating", rating)
    setattr(placement, f"{side}_feedback", words)
    session.flush()
    record_event(
        session,
        actor,
        "placement.feedback",
        "placement",
        placement.id,
        {
            "request_id": care_request.id,
            "side": side,
            "rating": rating,
            "on_behalf": not _is_side(actor, side, household, assistant),
        },
    )
    return placement


def contract_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` inclusive (1 Jan to 31 Dec is 12)."""
    after = end + dt.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months - (1 if after.day < start.day else 0)


def buono_eligibility(placement: Placement) -> tuple[bool, list[str]]:
    """Whether the placement could qualify for Piemonte's Buono domiciliarita', and why.

    The duration is the contract's (start to end date), else the request's duration;
    with neither the contract is open-ended, which counts as at least 12 months.
    """
    if placement.end_date is not None:
        months: int | None = contract_months(placement.start_date, placement.end_date)
    else:
        session = object_session(placement)
        care_request = session.get(CareRequest, placement.request_id) if session else None
        months = care_request.duration_months if care_request is not None else None
    return rules.buono_domiciliarita(months, placement.weekly_hours, placement.ccnl_level)
