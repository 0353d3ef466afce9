"""The engine's explanations in the reader's language, with the numbers that decided them.

The engine names the first hard filter that excludes a candidate (``Explanation.code``)
and says why in English; the operator reads it here, translated, recomputed from the same
candidate record and demand so the figures are the engine's own.
"""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import Candidate, Demand, Explanation, contract

FILTER_LABELS = {
    "inactive": _l("Not verified or not active"),
    "distance": _l("Beyond the family's maximum distance"),
    "travel_radius": _l("Beyond the assistant's travel radius"),
    "qualification": _l("A required qualification is missing or expired"),
    "arrangement": _l("Does not accept this arrangement"),
    "language": _l("Speaks none of the required languages"),
    "gender": _l("Gender required by the family"),
    "available_from": _l("Not available by the start date"),
    "free_hours": _l("Not enough free hours"),
    "weekly_hours": _l("Over the weekly contract limit"),
}

COMPONENT_LABELS = {
    "distance": _l("Distance"),
    "schedule": _l("Schedule coverage"),
    "qualifications": _l("Qualifications and CCNL level"),
    "languages": _l("Preferred languages"),
    "conditions": _l("Experience with the conditions"),
    "experience": _l("Years of experience"),
    "feedback": _l("Feedback"),
    "continuity": _l("Continuity"),
    "gender": _l("Gender preference"),
}

ARRANGEMENT_LABELS = {
    "live_in": _l("live-in"),
    "hourly": _l("hourly"),
    "night": _l("night"),
}


def filter_message(explanation: Explanation, candidate: Candidate, demand: Demand) -> str:
    """One sentence: the first filter that excludes ``candidate``, or its score."""
    dist = explanation.distance_km
    code = explanation.code
    if explanation.eligible:
        return _(
            "Eligible: score %(score).3f at %(km).1f km.",
            score=explanation.score or 0.0,
            km=dist,
        )
    if code == "inactive":
        return _("Not verified or not active: only verified assistants are matched.")
    if code == "distance":
        return _(
            "Distance %(km).1f km is beyond the family's maximum of %(max)g km.",
            km=dist,
            max=demand.max_distance_km,
        )
    if code == "travel_radius":
        return _(
            "Travel radius %(radius)g km is less than the distance, %(km).1f km.",
            radius=candidate.travel_radius_km,
            km=dist,
        )
    if code == "qualification":
        return _qualification_message(candidate, demand)
    if code == "arrangement":
        accepted = ", ".join(str(ARRANGEMENT_LABELS[a]) for a in sorted(candidate.arrangements))
        return _(
            "Does not accept %(wanted)s work (accepts: %(accepted)s).",
            wanted=ARRANGEMENT_LABELS[demand.arrangement],
            accepted=accepted or "-",
        )
    if code == "language":
        return _(
            "Speaks none of the required languages (%(languages)s).",
            languages=", ".join(sorted(demand.required_languages)),
        )
    if code == "gender":
        return _("The family requires gender %(gender)s.", gender=demand.gender or "-")
    if code == "available_from":
        return _(
            "Available from %(day)s, after the start on %(start)s.",
            day=format_date(candidate.available_from) if candidate.available_from else "-",
            start=format_date(demand.start_date),
        )
    if code == "free_hours":
        return _free_hours_message(candidate, demand)
    if code == "weekly_hours":
        # The limits are matching.contract's, the ones the engine applied.
        busy = candidate.busy.hours
        weekly = demand.weekly_hours or demand.schedule.hours
        limit = contract.max_weekly_hours(demand.arrangement, demand.live_in_part_time)
        if weekly > limit:
            return _(
                "The request's %(hours)g h/week are over the contract's limit of %(limit)g h/week.",
                hours=weekly,
                limit=limit,
            )
        return _(
            "Already %(busy)d h/week in placements; with %(hours)g more it would exceed the "
            "limit of %(limit)g h/week.",
            busy=busy,
            hours=weekly,
            limit=contract.ASSISTANT_MAX_WEEKLY_HOURS,
        )
    return str(FILTER_LABELS.get(code or "", code or ""))


def _qualification_message(candidate: Candidate, demand: Demand) -> str:
    for code in sorted(demand.required_qualifications):
        if code not in candidate.qualifications:
            return _("Required qualification %(code)s is not held (or not verified).", code=code)
        expires = candidate.qualifications[code]
        if expires is not None and expires < demand.start_date:
            return _(
                "Required qualification %(code)s expired on %(day)s, before the start on "
                "%(start)s.",
                code=code,
                day=format_date(expires),
                start=format_date(demand.start_date),
            )
    return str(FILTER_LABELS["qualification"])


def _free_hours_message(candidate: Candidate, demand: Demand) -> str:
    if candidate.has_live_in_placement:
        return _("Already in a live-in placement, so no hours are free.")
    if demand.arrangement == "live_in" and candidate.busy.hours:
        return _(
            "A live-in placement needs the whole week free; %(busy)d h/week are already taken.",
            busy=candidate.busy.hours,
        )
    total = demand.schedule.hours
    free = demand.schedule.free_hours(candidate.availability, candidate.busy)
    return _(
        "Free for %(free)d of the %(total)d hours asked (%(share).0f%%); at least %(needed).0f%% "
        "is needed.",
        free=free,
        total=total,
        share=100.0 * free / total if total else 0.0,
        needed=100.0 * _needed_share(demand),
    )


def _needed_share(demand: Demand) -> float:
    if demand.min_free_share is not None:
        return demand.min_free_share
    return 1.0 if demand.arrangement == "live_in" else 0.5
