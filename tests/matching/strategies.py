"""Random candidates and demands around a small area, for property tests.

Instances come from a seeded ``random.Random`` drawn by hypothesis: drawing every field
through hypothesis cost ~30 ms per candidate, which would blow the suite's time budget.
Failures still print the seed and are reproducible; shrinking works on size and seed only.
"""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import strategies as st

from matching import FULL_WEEK, Candidate, Demand, Schedule

BASE = dt.date(2026, 3, 2)
QUALS = [
    "oss",
    "osa",
    "assistente_familiare",
    "nurse",
    "adest",
    "first_aid",
    "dementia_care",
    "x_new",
]
LANGS = ["it", "ro", "uk", "es", "ar", "tl", "en", "zz"]
CONDS = ["dementia", "parkinson", "disability", "children", "stroke"]
DAY = dt.timedelta(days=1)


def random_schedule(rng: random.Random, min_ranges: int = 0) -> Schedule:
    """Unions of a few random hour ranges, sometimes the whole week."""
    if rng.random() < 0.1:
        return FULL_WEEK
    bits = 0
    for _ in range(rng.randint(min_ranges, 4)):
        start = rng.randrange(168)
        for h in range(start, start + rng.randint(1, 60)):
            bits |= 1 << (h % 168)
    return Schedule(bits)


def _coords(rng: random.Random) -> tuple[float, float]:
    # a lattice of ~0.8 km steps, so that equal distances and co-located points occur
    return 45.0 + rng.randint(-6, 6) * 0.00731, 7.6 + rng.randint(-6, 6) * 0.0107


def _subset(rng: random.Random, codes: list[str], k: int) -> frozenset[str]:
    return frozenset(rng.sample(codes, rng.randint(0, k)))


def random_candidate(rng: random.Random, cid: int) -> Candidate:
    """One candidate with every field random."""
    lat, lon = _coords(rng)
    quals: dict[str, dt.date | None] = {}
    for q in _subset(rng, QUALS, 5):
        quals[q] = None if rng.random() < 0.4 else BASE + rng.randint(-30, 60) * DAY
    return Candidate(
        id=cid,
        lat=lat,
        lon=lon,
        travel_radius_km=rng.choice([25.0, 15.0, 40.0, 8.0, 3.0, 0.0]),
        is_active=rng.random() < 0.875,
        arrangements=frozenset(rng.sample(["live_in", "hourly", "night"], rng.randint(1, 3))),
        qualifications=quals,
        languages=_subset(rng, LANGS, 3),
        gender=rng.choice([None, "f", "m", "x"]),
        available_from=None if rng.random() < 0.5 else BASE + rng.randint(-10, 10) * DAY,
        availability=FULL_WEEK if rng.random() < 0.4 else random_schedule(rng),
        busy=Schedule(0) if rng.random() < 0.5 else random_schedule(rng),
        has_live_in_placement=rng.random() < 0.1,
        years_experience=float(rng.randint(0, 25)),
        conditions=_subset(rng, CONDS, 3),
        feedback=None if rng.random() < 0.3 else rng.randint(0, 10) / 10,
    )


def random_demand(rng: random.Random, ids: list[int]) -> Demand:
    """One demand with every field random; continuity for a few of ``ids``."""
    lat, lon = _coords(rng)
    gender_pref = rng.choice(["none", "preferred", "required"])
    non_self = rng.random() < 0.5
    level = rng.choice([None, "CS", "DS"] if non_self else [None, "BS"])
    arrangement = rng.choice(["live_in", "hourly", "night"])
    continuity = {i: rng.randint(0, 4) / 4 for i in rng.sample(ids, min(len(ids), 3))}
    return Demand(
        lat=lat,
        lon=lon,
        max_distance_km=rng.choice([30.0, 50.0, 20.0, 10.0, 5.0, 0.0, 13.0]),
        arrangement=arrangement,  # type: ignore[arg-type]
        schedule=random_schedule(rng, min_ranges=1),
        start_date=BASE + rng.randint(-5, 40) * DAY,
        weekly_hours=None if rng.random() < 0.5 else float(rng.randint(1, 60)),
        live_in_part_time=arrangement == "live_in" and rng.random() < 0.3,
        required_qualifications=frozenset() if rng.random() < 0.6 else _subset(rng, QUALS, 2),
        preferred_qualifications=_subset(rng, QUALS, 3),
        required_languages=frozenset() if rng.random() < 0.6 else _subset(rng, LANGS, 2),
        preferred_languages=_subset(rng, LANGS, 3),
        gender=None if gender_pref == "none" else rng.choice(["f", "m"]),
        gender_preference=gender_pref,  # type: ignore[arg-type]
        conditions=_subset(rng, CONDS, 3),
        non_self_sufficient=non_self,
        ccnl_level=level,
        continuity=continuity,
        min_free_share=rng.choice([None, None, 0.0, 0.25, 0.5, 1.0]),
    )


seeds = st.integers(0, 2**32 - 1)


@st.composite
def candidates(draw: st.DrawFn, cid: int) -> Candidate:
    return random_candidate(random.Random(draw(seeds)), cid)


@st.composite
def candidate_lists(draw: st.DrawFn, max_size: int = 40) -> list[Candidate]:
    n = draw(st.integers(0, max_size))
    rng = random.Random(draw(seeds))
    ids = rng.sample(range(1, 10_001), n)
    return [random_candidate(rng, i) for i in ids]


@st.composite
def demands(draw: st.DrawFn, ids: list[int] | None = None) -> Demand:
    return random_demand(random.Random(draw(seeds)), sorted(ids or []))
