"""Hypothesis strategies for random candidates and demands around a small area."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from matching import FULL_WEEK, Candidate, Demand, Schedule

BASE = dt.date(2026, 3, 2)
QUALS = ["oss", "osa", "assistente_familiare", "nurse", "first_aid", "dementia_care", "x_new"]
LANGS = ["it", "ro", "uk", "es", "ar", "tl", "en", "zz"]
CONDS = ["dementia", "parkinson", "disability", "children", "stroke"]
DAY = dt.timedelta(days=1)


@st.composite
def schedules(draw: st.DrawFn, min_hours: int = 0) -> Schedule:
    """Unions of a few random hour ranges, sometimes the whole week."""
    if draw(st.integers(0, 9)) == 0:
        return Schedule((1 << 168) - 1)
    bits = 0
    for _ in range(draw(st.integers(0 if min_hours == 0 else 1, 4))):
        start = draw(st.integers(0, 167))
        length = draw(st.integers(1, 60))
        for h in range(start, start + length):
            bits |= 1 << (h % 168)
    return Schedule(bits)


coords = st.tuples(
    st.integers(-6, 6).map(lambda i: 45.0 + i * 0.00731),
    st.integers(-6, 6).map(lambda i: 7.6 + i * 0.0107),
)


@st.composite
def candidates(draw: st.DrawFn, cid: int) -> Candidate:
    lat, lon = draw(coords)
    quals = {}
    for q in draw(st.sets(st.sampled_from(QUALS), max_size=5)):
        quals[q] = draw(st.one_of(st.none(), st.integers(-30, 60).map(lambda i: BASE + i * DAY)))
    return Candidate(
        id=cid,
        lat=lat,
        lon=lon,
        travel_radius_km=draw(st.sampled_from([25.0, 15.0, 40.0, 8.0, 3.0, 0.0])),
        is_active=draw(st.sampled_from([True] * 7 + [False])),
        arrangements=frozenset(
            draw(st.sets(st.sampled_from(["live_in", "hourly", "night"]), min_size=1, max_size=3))
        ),
        qualifications=quals,
        languages=frozenset(draw(st.sets(st.sampled_from(LANGS), max_size=3))),
        gender=draw(st.sampled_from([None, "f", "m", "x"])),
        available_from=draw(
            st.one_of(st.none(), st.integers(-10, 10).map(lambda i: BASE + i * DAY))
        ),
        availability=draw(st.one_of(st.just(FULL_WEEK), schedules())),
        busy=draw(st.one_of(st.just(Schedule(0)), schedules())),
        has_live_in_placement=draw(st.integers(0, 9)) == 0,
        years_experience=draw(st.integers(0, 25).map(float)),
        conditions=frozenset(draw(st.sets(st.sampled_from(CONDS), max_size=3))),
        feedback=draw(st.one_of(st.none(), st.integers(0, 10).map(lambda i: i / 10))),
    )


@st.composite
def candidate_lists(draw: st.DrawFn, max_size: int = 40) -> list[Candidate]:
    n = draw(st.integers(0, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    return [draw(candidates(i)) for i in ids]


def maybe_codes(codes: list[str], n: int) -> st.SearchStrategy[set[str]]:
    return st.one_of(st.just(set()), st.just(set()), st.sets(st.sampled_from(codes), max_size=n))


@st.composite
def demands(draw: st.DrawFn, ids: list[int] | None = None) -> Demand:
    lat, lon = draw(coords)
    arrangement = draw(st.sampled_from(["live_in", "hourly", "night"]))
    gender_pref = draw(st.sampled_from(["none", "preferred", "required"]))
    non_self = draw(st.booleans())
    level = draw(st.sampled_from([None, "CS", "DS"] if non_self else [None, "BS", "CS", "DS"]))
    continuity = {}
    if ids:
        for i in draw(st.sets(st.sampled_from(ids), max_size=3)):
            continuity[i] = draw(st.integers(0, 4).map(lambda v: v / 4))
    return Demand(
        lat=lat,
        lon=lon,
        max_distance_km=draw(st.sampled_from([30.0, 50.0, 20.0, 10.0, 5.0, 0.0, 13.0])),
        arrangement=arrangement,
        schedule=draw(schedules(min_hours=1)),
        start_date=BASE + draw(st.integers(-5, 40)) * DAY,
        weekly_hours=draw(st.one_of(st.none(), st.integers(1, 60).map(float))),
        required_qualifications=frozenset(draw(maybe_codes(QUALS, 2))),
        preferred_qualifications=frozenset(draw(st.sets(st.sampled_from(QUALS), max_size=3))),
        required_languages=frozenset(draw(maybe_codes(LANGS, 2))),
        preferred_languages=frozenset(draw(st.sets(st.sampled_from(LANGS), max_size=3))),
        gender=None if gender_pref == "none" else draw(st.sampled_from(["f", "m"])),
        gender_preference=gender_pref,
        conditions=frozenset(draw(st.sets(st.sampled_from(CONDS), max_size=3))),
        non_self_sufficient=non_self,
        ccnl_level=level,
        continuity=continuity,
        min_free_share=draw(st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 1.0]))),
    )
