"""Plain-Python brute force of the matching rules, one candidate at a time.

Written from the design's rules (not from the index's code) for tests and baselines:
Python dates and floats, its own haversine, schedules as sets of hours. It is slow on
purpose-free simplicity; use :class:`matching.MatchIndex` in the service.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import contract
from ._model import Candidate, Demand, Rules

#: Mean earth radius, km (the same documented constant as the engine's).
R_KM = 6371.0088
_QUANTUM = 2.0**-36


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km by the haversine formula."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_KM * math.asin(math.sqrt(min(a, 1.0)))


@dataclass(frozen=True)
class RefResult:
    """Outcome for one candidate: the failing filter code, or the score breakdown."""

    id: int
    code: str | None
    distance_km: float
    score: float | None
    components: tuple[float, ...] | None


def _slots(s: object) -> set[int]:
    bits = int(s)  # type: ignore[call-overload]
    return {h for h in range(168) if bits >> h & 1}


def evaluate(c: Candidate, d: Demand, rules: Rules | None = None) -> RefResult:
    """Apply the hard filters in order, then score, for one candidate."""
    rules = rules or Rules()
    dist = haversine(d.lat, d.lon, c.lat, c.lon)
    start = d.start_date

    def fail(code: str) -> RefResult:
        return RefResult(c.id, code, dist, None, None)

    if not c.is_active:
        return fail("inactive")
    if dist > d.max_distance_km:
        return fail("distance")
    if dist > c.travel_radius_km:
        return fail("travel_radius")
    for q in d.required_qualifications:
        if q not in c.qualifications:
            return fail("qualification")
        exp = c.qualifications[q]
        if exp is not None and exp < start:
            return fail("qualification")
    if d.arrangement not in c.arrangements:
        return fail("arrangement")
    if d.required_languages and not (set(d.required_languages) & set(c.languages)):
        return fail("language")
    if d.gender_preference == "required" and c.gender != d.gender:
        return fail("gender")
    if c.available_from is not None and c.available_from > start:
        return fail("available_from")
    want = _slots(d.schedule)
    free = 0 if c.has_live_in_placement else len(want & _slots(c.availability) - _slots(c.busy))
    share = d.min_free_share
    if share is None:
        share = rules.min_free_share[d.arrangement]
    busy_h = len(_slots(c.busy))
    if c.has_live_in_placement or free / len(want) < share:
        return fail("free_hours")
    if d.arrangement == "live_in" and busy_h > 0:
        return fail("free_hours")
    # The schedule is the working time, live-in included; one contract has its limit,
    # and an hourly or night assistant's hours across placements have theirs.
    weekly = float(d.weekly_hours) if d.weekly_hours is not None else float(len(want))
    if weekly > contract.max_weekly_hours(d.arrangement, d.live_in_part_time):
        return fail("weekly_hours")
    if d.arrangement != "live_in" and not contract.within_total_hours(busy_h, weekly):
        return fail("weekly_hours")

    # score components
    c_dist = 0.5 ** (dist / rules.distance_half_life_km)
    c_sched = free / len(want)

    def valid(q: str) -> bool:
        if q not in c.qualifications:
            return False
        exp = c.qualifications[q]
        return exp is None or exp >= start

    trained = any(valid(q) for q in contract.TRAINED_QUALIFICATIONS)
    level = d.ccnl_level or ("CS" if d.non_self_sufficient else "BS")
    fit = {"BS": 1.0, "CS": 1.0 if trained else 0.75, "DS": 1.0 if trained else 0.0}[level]
    if d.preferred_qualifications:
        held = sum(1 for q in d.preferred_qualifications if valid(q))
        c_qual = (fit + held / len(d.preferred_qualifications)) / 2
    else:
        c_qual = fit
    if d.preferred_languages:
        c_lang = len(set(d.preferred_languages) & set(c.languages)) / len(d.preferred_languages)
    else:
        c_lang = 1.0
    c_cond = 1.0
    if d.conditions:
        c_cond = len(set(d.conditions) & set(c.conditions)) / len(d.conditions)
    c_exp = min(c.years_experience / rules.experience_saturation_years, 1.0)
    c_fb = rules.feedback_neutral if c.feedback is None else c.feedback
    c_cont = float(d.continuity.get(c.id, 0.0))
    c_gender = 1.0
    if d.gender_preference == "preferred" and c.gender != d.gender:
        c_gender = 0.0
    comps = (c_dist, c_sched, c_qual, c_lang, c_cond, c_exp, c_fb, c_cont, c_gender)
    w = rules.weights.as_tuple()
    total_w = sum(w)
    score = 0.0
    for wi, ci in zip(w, comps, strict=True):
        score += wi / total_w * ci
    score = round(score / _QUANTUM) * _QUANTUM
    return RefResult(c.id, None, dist, score, comps)


def rank(
    candidates: Sequence[Candidate], demand: Demand, k: int | None = 20, rules: Rules | None = None
) -> list[RefResult]:
    """Every eligible candidate scored, sorted by score desc then id asc, first ``k``."""
    results = [evaluate(c, demand, rules) for c in candidates]
    ok = [r for r in results if r.code is None]
    ok.sort(key=lambda r: (-(r.score or 0.0), r.id))
    return ok if k is None else ok[:k]
