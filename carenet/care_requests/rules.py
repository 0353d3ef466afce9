"""Contract rules of the CCNL lavoro domestico, as pure functions (no app, no database).

The rules themselves (levels, who is trained, weekly limits, an assistant's total hours,
daily rest) are ``matching.contract``, the one module the engine reads too; this module
applies them to requests and placements and words the refusals, each citing its source.
See docs/contract-rules.md for the limits, their source and carenet's assumptions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import Schedule, contract

# CCNL levels in increasing order of qualification (and pay).
LEVEL_RANK = contract.LEVEL_RANK
# Partially self-sufficient people count as not self-sufficient (docs/contract-rules.md).
NON_SELF_SUFFICIENT = frozenset({"partially", "non_self_sufficient"})

DAILY_REST_HOURS = contract.DAILY_REST_HOURS
HOURS_PER_DAY = 24
DAY_NAMES = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)

# Where each rule comes from: every refusal of a contract rule cites one of these.
LEVELS_SOURCE = _l("CCNL for domestic work, 2020, art. 9")
HOURS_SOURCE = _l("CCNL for domestic work, 2020, art. 14")
NIGHT_SOURCE = _l(
    "CCNL for domestic work, 2020, art. 14 (the limit of non-live-in work, which carenet "
    "applies to night assistance)"
)
TOTAL_HOURS_SOURCE = _l(
    "CCNL for domestic work, 2020, art. 14 (the limit of non-live-in work, which carenet "
    "applies to all of an assistant's placements together)"
)

# Piemonte's "Buono domiciliarita'" conditions.
BUONO_MIN_MONTHS = 12
BUONO_MIN_WEEKLY_HOURS = 16
BUONO_LEVELS = frozenset({"CS", "DS"})

# Simple status transitions: action -> (statuses it applies to, resulting status).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft"}), "open"),
    "cancel": (frozenset({"draft", "open", "matching", "proposed"}), "cancelled"),
    "close": (frozenset({"open", "matching", "proposed", "placed"}), "closed"),
}
# A request can be edited until matching starts.
EDITABLE_STATUSES = frozenset({"draft", "open"})
# A placed request, once its placement ends: closed when the contract reached its planned
# end date (the need it described was met), open again when it ended early or was called
# off (the family may still need care; a broker or the family can close or cancel it).
AFTER_PLACEMENT_TERM = "closed"
AFTER_PLACEMENT_EARLY_END = "open"


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule: the input field it concerns and a message citing the limit."""

    field: str
    message: str


def cited(message: str, source: object) -> str:
    """A refusal followed by the rule it applies ("... Source: CCNL ..., art. 14.")."""
    return _("%(message)s Source: %(source)s.", message=message, source=source)


def is_non_self_sufficient(self_sufficiency: str) -> bool:
    """Whether a person counts as not self-sufficient for the CCNL level (CS or DS)."""
    return self_sufficiency in NON_SELF_SUFFICIENT


def implied_ccnl_level(self_sufficiency: str, requires_trained: bool) -> str:
    """The CCNL level a request implies: BS, CS, or DS when a trained qualification is required."""
    return contract.implied_level(is_non_self_sufficient(self_sufficiency), requires_trained)


def trained_codes(codes: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """The codes among ``codes`` that make an assistant trained, sorted."""
    return sorted(c for c in codes if c in contract.TRAINED_QUALIFICATIONS)


def ccnl_level(
    self_sufficiency: str, requires_trained: bool, requested: str | None = None
) -> tuple[str, list[RuleViolation]]:
    """The level to store: the implied one, or a higher one the family asked for.

    CS and DS are for people who are not self-sufficient, BS for those who are; DS when
    a required qualification makes the assistant trained (CCNL 2020, art. 9).
    """
    implied = implied_ccnl_level(self_sufficiency, requires_trained)
    if requested is None or requested == implied:
        return implied, []
    if requested not in LEVEL_RANK:
        message = _("Unknown CCNL level %(level)r: use BS, CS or DS.", level=requested)
        return implied, [RuleViolation("ccnl_level", message)]
    allowed = contract.allowed_levels(is_non_self_sufficient(self_sufficiency))
    if requested in allowed and LEVEL_RANK[requested] > LEVEL_RANK[implied]:
        return requested, []
    if not is_non_self_sufficient(self_sufficiency):
        message = _(
            "Level %(level)s is not possible: the person cared for is self-sufficient, which "
            "means level BS (CS and DS are for people who are not self-sufficient).",
            level=requested,
        )
    elif implied == contract.TRAINED_LEVEL:
        message = _(
            "Level %(level)s is not possible: a required qualification that makes the "
            "assistant trained implies level DS.",
            level=requested,
        )
    else:
        message = _(
            "Level %(level)s is not possible: the person cared for is not self-sufficient, "
            "which implies level CS or DS (BS is for self-sufficient people only).",
            level=requested,
        )
    return implied, [RuleViolation("ccnl_level", cited(message, LEVELS_SOURCE))]


def trained_level_violation(
    level: str, name: str, held: list[str], day: dt.date
) -> RuleViolation | None:
    """Level DS for an assistant who holds no trained qualification ``held`` on ``day``.

    ``held`` are the codes the assistant holds, verified and valid on ``day``.
    """
    if level != contract.TRAINED_LEVEL or contract.is_trained(held):
        return None
    message = _(
        "Level DS is for trained assistants: %(name)s holds no verified qualification valid "
        "on %(date)s that makes an assistant trained (%(codes)s).",
        name=name,
        date=day.isoformat(),
        codes=", ".join(sorted(contract.TRAINED_QUALIFICATIONS)),
    )
    return RuleViolation("ccnl_level", cited(message, LEVELS_SOURCE))


def total_hours_violation(
    name: str, busy_hours: int, hours: int, others: list[int]
) -> RuleViolation | None:
    """An assistant busy ``busy_hours`` a week in ``others`` who cannot take ``hours`` more."""
    if contract.within_total_hours(busy_hours, hours):
        return None
    message = _(
        "%(name)s already works %(busy)d hours a week in other placements (%(others)s): with "
        "these %(hours)d it would be %(total)d, over the %(limit)d hours a week an assistant "
        "may work across all placements.",
        name=name,
        busy=busy_hours,
        others=", ".join(f"#{i}" for i in others),
        hours=hours,
        total=busy_hours + hours,
        limit=contract.ASSISTANT_MAX_WEEKLY_HOURS,
    )
    return RuleViolation("schedule", cited(message, TOTAL_HOURS_SOURCE))


def max_weekly_hours(arrangement: str, live_in_part_time: bool) -> int:
    """The weekly hour limit of a contract."""
    return contract.max_weekly_hours(arrangement, live_in_part_time)


def _limit_message(arrangement: str, live_in_part_time: bool, limit: int, hours: int) -> str:
    if arrangement == "hourly":
        message = _(
            "An hourly contract allows at most %(limit)d hours a week; the schedule has %(hours)d.",
            limit=limit,
            hours=hours,
        )
    elif arrangement == "night":
        message = _(
            "Night assistance allows at most %(limit)d hours a week; the schedule has %(hours)d.",
            limit=limit,
            hours=hours,
        )
        return cited(message, NIGHT_SOURCE)
    elif live_in_part_time:
        message = _(
            "A part-time live-in contract allows at most %(limit)d hours a week; the schedule "
            "has %(hours)d.",
            limit=limit,
            hours=hours,
        )
    else:
        message = _(
            "A full-time live-in contract allows at most %(limit)d hours a week; the schedule "
            "has %(hours)d.",
            limit=limit,
            hours=hours,
        )
    return cited(message, HOURS_SOURCE)


def longest_rest(day_bits: int) -> int:
    """The longest run of free hours in one day's 24 slots, wrapping round midnight."""
    free = ~day_bits & ((1 << HOURS_PER_DAY) - 1)
    if free == (1 << HOURS_PER_DAY) - 1:
        return HOURS_PER_DAY
    # Doubling the day lets a rest from the evening into the next morning count as one run.
    doubled = free | (free << HOURS_PER_DAY)
    best = run = 0
    for hour in range(2 * HOURS_PER_DAY):
        run = run + 1 if doubled >> hour & 1 else 0
        best = max(best, run)
    return min(best, HOURS_PER_DAY)


def daily_rest_violations(schedule: Schedule) -> list[RuleViolation]:
    """Days whose working hours leave no 11 consecutive hours of rest, or cover all 24."""
    bits = schedule.to_int()
    violations = []
    for day in range(7):
        day_bits = bits >> (day * HOURS_PER_DAY) & ((1 << HOURS_PER_DAY) - 1)
        if day_bits == (1 << HOURS_PER_DAY) - 1:
            message = _(
                "The schedule covers all 24 hours of %(day)s: round-the-clock cover needs a "
                "second assistant.",
                day=DAY_NAMES[day],
            )
            violations.append(RuleViolation("schedule", cited(message, HOURS_SOURCE)))
            continue
        rest = longest_rest(day_bits)
        if rest < DAILY_REST_HOURS:
            message = _(
                "On %(day)s the schedule leaves at most %(rest)d consecutive hours free: the "
                "contract requires %(required)d consecutive hours of daily rest in every 24 "
                "hours.",
                day=DAY_NAMES[day],
                rest=rest,
                required=DAILY_REST_HOURS,
            )
            violations.append(RuleViolation("schedule", cited(message, HOURS_SOURCE)))
    return violations


def contract_hours(
    arrangement: str, live_in_part_time: bool, schedule: Schedule, weekly_hours: int | None
) -> tuple[int, list[RuleViolation]]:
    """The weekly hours (from the schedule) and every contract limit the schedule breaks.

    The schedule is the working time for every arrangement, so ``weekly_hours`` must equal
    its hours; when ``None`` it is taken from the schedule.
    """
    hours = schedule.hours
    violations: list[RuleViolation] = []
    if live_in_part_time and arrangement != "live_in":
        message = _(
            "Part time applies to live-in contracts only, not to %(arrangement)s.",
            arrangement=arrangement,
        )
        violations.append(RuleViolation("live_in_part_time", cited(message, HOURS_SOURCE)))
    if hours == 0:
        violations.append(RuleViolation("schedule", _("The schedule has no working hours.")))
        return 0, violations
    if weekly_hours is not None and weekly_hours != hours:
        message = _(
            "Weekly hours are %(given)d but the schedule has %(hours)d; leave weekly hours "
            "empty to use the schedule's.",
            given=weekly_hours,
            hours=hours,
        )
        violations.append(RuleViolation("weekly_hours", message))
    limit = max_weekly_hours(arrangement, live_in_part_time)
    if hours > limit:
        violations.append(
            RuleViolation("schedule", _limit_message(arrangement, live_in_part_time, limit, hours))
        )
    violations.extend(daily_rest_violations(schedule))
    return hours, violations


def buono_domiciliarita(
    duration_months: int | None, weekly_hours: int, level: str
) -> tuple[bool, list[str]]:
    """Whether a contract like this could get Piemonte's Buono domiciliarita', and why.

    ``duration_months`` None is an open-ended contract. When eligible, the reasons are the
    conditions met; otherwise, the conditions not met.
    """
    met: list[str] = []
    unmet: list[str] = []
    if duration_months is None:
        met.append(_("The contract is open-ended (at least %(n)d months).", n=BUONO_MIN_MONTHS))
    elif duration_months >= BUONO_MIN_MONTHS:
        met.append(
            _(
                "The contract lasts %(months)d months (at least %(n)d).",
                months=duration_months,
                n=BUONO_MIN_MONTHS,
            )
        )
    else:
        unmet.append(
            _(
                "The contract lasts %(months)d months; at least %(n)d are needed.",
                months=duration_months,
                n=BUONO_MIN_MONTHS,
            )
        )
    if weekly_hours >= BUONO_MIN_WEEKLY_HOURS:
        met.append(
            _(
                "%(hours)d hours a week (at least %(n)d).",
                hours=weekly_hours,
                n=BUONO_MIN_WEEKLY_HOURS,
            )
        )
    else:
        unmet.append(
            _(
                "%(hours)d hours a week; at least %(n)d are needed.",
                hours=weekly_hours,
                n=BUONO_MIN_WEEKLY_HOURS,
            )
        )
    if level in BUONO_LEVELS:
        met.append(_("Level %(level)s (CS or DS).", level=level))
    else:
        unmet.append(_("Level %(level)s; the contract must be at level CS or DS.", level=level))
    return (not unmet, unmet if unmet else met)


def next_status(action: str, status: str) -> str | None:
    """The status ``action`` leads to from ``status``, or None when it does not apply."""
    sources, target = TRANSITIONS[action]
    return target if status in sources else None


def status_after_placement(status: str, term_reached: bool) -> str:
    """The request's status once its placement ends (unchanged unless it is placed)."""
    if status != "placed":
        return status
    return AFTER_PLACEMENT_TERM if term_reached else AFTER_PLACEMENT_EARLY_END
