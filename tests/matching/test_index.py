"""The index against the plain-Python brute force, explanations and updates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import (
    FILTERS,
    FULL_WEEK,
    Candidate,
    Candidates,
    Demand,
    MatchIndex,
    Rules,
    Schedule,
    Weights,
)
from matching import reference as ref

from .strategies import (
    BASE,
    candidate_lists,
    candidates,
    demands,
    random_candidate,
    random_demand,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UPDATE_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
cell_sizes = st.sampled_from([0.3, 4.0, 60.0])
# 0 searches every top-k query outwards with the score bound; the default only dense ones
dense_slots = st.sampled_from([0, 30_000])
weights = st.one_of(
    st.just(Weights()),
    # Draw the values first: Weights refuses all zeros in its constructor.
    st.tuples(*[st.sampled_from([0.0, 0.1, 0.25, 1.0]) for _ in range(9)])
    .filter(lambda values: sum(values) > 0)
    .map(lambda values: Weights(*values)),
)


def assert_same_ranking(
    index: MatchIndex, cands: list[Candidate], d: Demand, k: int | None
) -> None:
    got = index.rank(d, k)
    expected = ref.rank(cands, d, k, index.rules)
    assert [m.id for m in got] == [r.id for r in expected]
    for m, r in zip(got, expected, strict=True):
        assert r.score is not None and r.components is not None
        assert m.score == pytest.approx(r.score, abs=1e-9)
        assert list(m.components.values()) == pytest.approx(list(r.components), abs=1e-9)
        assert m.distance_km == pytest.approx(r.distance_km, abs=1e-9)
        assert 0.0 <= m.score <= 1.0
        assert all(0.0 <= v <= 1.0 for v in m.components.values())


@SETTINGS
@given(st.data())
def test_rank_equals_brute_force(data: st.DataObject) -> None:
    cands = data.draw(candidate_lists())
    d = data.draw(demands([c.id for c in cands]))
    rules = Rules(weights=data.draw(weights))
    index = MatchIndex(
        rules, cell_km=data.draw(cell_sizes), dense_slots=data.draw(dense_slots)
    ).fit(Candidates.from_records(cands))
    assert_same_ranking(index, cands, d, data.draw(st.sampled_from([1, 5, 20, None])))


@SETTINGS
@given(st.data())
def test_explain_agrees_with_rank_and_reference(data: st.DataObject) -> None:
    cands = data.draw(candidate_lists())
    d = data.draw(demands([c.id for c in cands]))
    index = MatchIndex(cell_km=data.draw(cell_sizes)).fit(Candidates.from_records(cands))
    ranked = {m.id: m for m in index.rank(d, None)}
    for c in cands:
        e = index.explain(d, c.id)
        r = ref.evaluate(c, d)
        assert e.code == r.code
        assert e.eligible == (c.id in ranked)
        if e.eligible:
            m = ranked[c.id]
            assert e.score == m.score
            assert e.components == m.components
        else:
            assert e.code in FILTERS
            assert e.message


@SETTINGS
@given(st.data())
def test_no_ranked_candidate_fails_a_hard_filter(data: st.DataObject) -> None:
    cands = data.draw(candidate_lists())
    by_id = {c.id: c for c in cands}
    d = data.draw(demands([c.id for c in cands]))
    index = MatchIndex().fit(Candidates.from_records(cands))
    for m in index.rank(d, None):
        c = by_id[m.id]
        assert c.is_active
        assert m.distance_km <= min(d.max_distance_km, c.travel_radius_km)
        assert d.arrangement in c.arrangements
        for q in d.required_qualifications:
            exp = c.qualifications[q]
            assert exp is None or exp >= d.start_date
        if d.required_languages:
            assert set(d.required_languages) & set(c.languages)
        if d.gender_preference == "required":
            assert c.gender == d.gender
        assert c.available_from is None or c.available_from <= d.start_date
        assert not c.has_live_in_placement
        if d.arrangement == "live_in":
            assert c.busy.hours == 0


@UPDATE_SETTINGS
@given(st.data())
def test_updates_equal_a_fresh_build(data: st.DataObject) -> None:
    cands = data.draw(candidate_lists(max_size=25))
    threshold = data.draw(st.sampled_from([0, 3, 1000]))
    index = MatchIndex(delta_threshold=threshold, dense_slots=data.draw(dense_slots)).fit(
        Candidates.from_records(cands)
    )
    current = {c.id: c for c in cands}
    for _ in range(data.draw(st.integers(1, 12))):
        op = data.draw(st.sampled_from(["add", "change", "remove"]))
        if op == "remove" and current:
            cid = data.draw(st.sampled_from(sorted(current)))
            index.remove(cid)
            del current[cid]
        elif op == "change" and current:
            cid = data.draw(st.sampled_from(sorted(current)))
            current[cid] = data.draw(candidates(cid))
            index.upsert(current[cid])
        else:
            cid = data.draw(st.integers(10_001, 20_000).filter(lambda i: i not in current))
            current[cid] = data.draw(candidates(cid))
            index.upsert(current[cid])
    if data.draw(st.booleans()):
        index.compact()
    records = list(current.values())
    fresh = MatchIndex().fit(Candidates.from_records(records))
    assert len(index) == len(current)
    for _ in range(3):
        d = data.draw(demands(sorted(current)))
        got = index.rank(d, 10)
        assert [(m.id, m.score) for m in got] == [(m.id, m.score) for m in fresh.rank(d, 10)]
        assert_same_ranking(index, records, d, 10)
        for cid in current:
            assert index.explain(d, cid).code == fresh.explain(d, cid).code


@pytest.mark.parametrize("seed", [1, 2])
def test_larger_register_equals_brute_force(seed: int) -> None:
    """A wider area and more candidates than the property tests: many grid cells."""
    rng = random.Random(seed)
    cands = []
    for i in range(1500):
        c = random_candidate(rng, i + 1)
        cands.append(dataclasses.replace(c, lat=44.5 + rng.random(), lon=7.0 + 1.5 * rng.random()))
    index = MatchIndex(cell_km=2.0, delta_threshold=50).fit(Candidates.from_records(cands[:1200]))
    for c in cands[1200:]:
        index.upsert(c)
    for i in range(0, 300, 7):
        index.remove(cands[i].id)
    alive = [c for j, c in enumerate(cands) if j >= 300 or j % 7]
    ids = [c.id for c in alive]
    for _ in range(15):
        d = random_demand(rng, ids)
        d = dataclasses.replace(
            d, lat=44.5 + rng.random(), lon=7.0 + 1.5 * rng.random(), max_distance_km=50.0
        )
        assert_same_ranking(index, alive, d, 20)


@pytest.mark.parametrize("seed", [3, 4])
def test_dense_register_searched_outwards_equals_brute_force(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of assistants around a town: the outward search with the score bound
    gives the brute force's top k, reading a fraction of the candidates where the best
    score high."""
    from matching import _index

    rng = random.Random(seed)
    cands = [
        dataclasses.replace(
            random_candidate(rng, i + 1),
            lat=45.07 + rng.gauss(0, 0.15),
            lon=7.68 + rng.gauss(0, 0.2),
            travel_radius_km=60.0,
            is_active=True,
            arrangements=frozenset({"hourly", "live_in", "night"}),
            availability=FULL_WEEK,
            busy=Schedule(0),
            has_live_in_placement=False,
            available_from=None,
        )
        for i in range(6000)
    ]
    table = Candidates.from_records(cands)
    outward = MatchIndex(dense_slots=0).fit(table)
    whole = MatchIndex(dense_slots=10**9).fit(table)
    scored = {"outward": 0, "whole": 0}
    counting = "whole"
    eligible = _index.eligible

    def counted(*args: object, **kwargs: object) -> object:
        scored[counting] += len(args[1])  # type: ignore[arg-type]
        return eligible(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_index, "eligible", counted)
    ids = [c.id for c in cands]
    for i in range(30):
        d = dataclasses.replace(
            random_demand(rng, ids),
            lat=45.07,
            lon=7.68,
            max_distance_km=40.0,
            required_qualifications=frozenset(),
            required_languages=frozenset(),
        )
        plain = i >= 20
        if plain:  # hourly, no preferences: the best score high and the bound bites
            d = dataclasses.replace(
                d,
                arrangement="hourly",
                weekly_hours=None,
                preferred_qualifications=frozenset(),
                preferred_languages=frozenset(),
                conditions=frozenset(),
                gender_preference="none",
                gender=None,
                ccnl_level=None,
                non_self_sufficient=False,
                min_free_share=None,
                live_in_part_time=False,
            )
            counting = "outward"
        assert_same_ranking(outward, cands, d, 20)
        if plain:
            counting = "whole"
        assert_same_ranking(whole, cands, d, 20)
    # on the plain demands, the outward search reads a fraction of the candidates
    assert scored["outward"] < scored["whole"] / 2


def base_candidate(**kw: object) -> Candidate:
    fields = dict(
        id=1,
        lat=45.07,
        lon=7.69,
        travel_radius_km=30.0,
        arrangements=frozenset({"hourly", "live_in", "night"}),
        qualifications={"oss": None},
        languages=frozenset({"it", "ro"}),
        gender="f",
        availability=FULL_WEEK,
        years_experience=5.0,
    )
    fields.update(kw)
    return Candidate(**fields)  # type: ignore[arg-type]


def base_demand(**kw: object) -> Demand:
    fields = dict(
        lat=45.07,
        lon=7.69,
        max_distance_km=30.0,
        arrangement="hourly",
        schedule=Schedule.parse("lun-ven 08:00-12:00"),
        start_date=dt.date(2026, 3, 2),
    )
    fields.update(kw)
    return Demand(**fields)  # type: ignore[arg-type]


# Each filter, in order, with a candidate/demand change that makes it the first to fail.
TURIN_TO_ASTI = dict(lat=44.90, lon=8.21)  # about 45 km from Turin
CASES = [
    ("inactive", dict(is_active=False), {}, "not verified or not active"),
    ("distance", TURIN_TO_ASTI, dict(max_distance_km=20.0), "> family's maximum 20 km"),
    ("travel_radius", dict(travel_radius_km=15.0, lat=45.0, lon=7.95), {}, "travel radius 15 km <"),
    ("qualification", {}, dict(required_qualifications=frozenset({"nurse"})), "nurse not held"),
    (
        "qualification",
        dict(qualifications={"oss": dt.date(2026, 1, 31)}),
        dict(required_qualifications=frozenset({"oss"})),
        "expired on 2026-01-31",
    ),
    ("arrangement", dict(arrangements=frozenset({"night"})), {}, "does not accept hourly"),
    ("language", {}, dict(required_languages=frozenset({"uk"})), "required languages uk"),
    (
        "gender",
        {},
        dict(gender="m", gender_preference="required"),
        "gender f, the family requires m",
    ),
    ("available_from", dict(available_from=dt.date(2026, 4, 1)), {}, "available from 2026-04-01"),
    (
        "free_hours",
        dict(availability=Schedule.parse("lun-mar 08:00-12:00")),
        {},
        "free 8 of 20 h (40%) < required 50%",
    ),
    ("free_hours", dict(has_live_in_placement=True), {}, "has a live-in placement"),
    (
        "free_hours",
        dict(busy=Schedule.parse("sab 08:00-10:00")),
        dict(arrangement="live_in", schedule=FULL_WEEK),
        "2 h/week already busy",
    ),
    (
        "weekly_hours",
        dict(busy=Schedule.parse("sab-dom 08:00-20:00")),
        {},
        "existing 24 h + requested 20 h = 44 h/week > the assistant's limit 40 h",
    ),
    ("weekly_hours", {}, dict(arrangement="live_in", schedule=FULL_WEEK, weekly_hours=60.0), "60"),
]


@pytest.mark.parametrize(("code", "ckw", "dkw", "fragment"), CASES)
def test_explain_names_the_first_failing_filter(
    code: str, ckw: dict[str, object], dkw: dict[str, object], fragment: str
) -> None:
    c = base_candidate(**ckw)
    d = base_demand(**dkw)
    index = MatchIndex().fit(Candidates.from_records([c]))
    e = index.explain(d, 1)
    assert (e.code, e.eligible) == (code, False)
    assert fragment in e.message
    assert index.rank(d) == []
    assert ref.evaluate(c, d).code == code


def test_travel_radius_message_has_numbers() -> None:
    c = base_candidate(travel_radius_km=15.0, lat=45.0, lon=7.95)
    e = MatchIndex().fit(Candidates.from_records([c])).explain(base_demand(), 1)
    assert e.message == f"travel radius 15 km < distance {e.distance_km:.1f} km"
    assert 21.0 < e.distance_km < 23.0


def test_eligible_explanation_has_breakdown() -> None:
    index = MatchIndex().fit(Candidates.from_records([base_candidate()]))
    e = index.explain(base_demand(continuity={1: 1.0}), 1)
    assert e.eligible and e.code is None and e.components is not None
    assert e.components["continuity"] == 1.0
    assert e.components["distance"] == pytest.approx(1.0)


def test_ties_break_by_id() -> None:
    cands = [dataclasses.replace(base_candidate(), id=i) for i in (7, 3, 5)]
    got = MatchIndex().fit(Candidates.from_records(cands)).rank(base_demand(), 2)
    assert [m.id for m in got] == [3, 5]


def test_explain_unknown_candidate_raises() -> None:
    index = MatchIndex().fit(Candidates.from_records([base_candidate()]))
    with pytest.raises(KeyError):
        index.explain(base_demand(), 99)
    with pytest.raises(KeyError):
        index.remove(99)


def test_empty_index() -> None:
    index = MatchIndex().fit(Candidates.from_records([]))
    assert index.rank(base_demand()) == []
    index.upsert(base_candidate())
    assert [m.id for m in index.rank(base_demand())] == [1]


@pytest.mark.parametrize(
    "kw",
    [dict(distance=-1.0), dict(distance=float("nan")), {c: 0.0 for c in Weights().__dict__}],
)
def test_weights_are_validated(kw: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Weights(**kw)


def test_demand_validation() -> None:
    with pytest.raises(ValueError, match="empty"):
        base_demand(schedule=Schedule())
    with pytest.raises(ValueError, match="CS or DS"):
        base_demand(non_self_sufficient=True, ccnl_level="BS")
    with pytest.raises(ValueError, match="arrangement"):
        base_demand(arrangement="weekly")
    with pytest.raises(ValueError, match="needs a gender"):
        base_demand(gender_preference="required")


def test_new_codes_extend_the_vocabulary() -> None:
    c = base_candidate(qualifications={"oss": None, "palliative_care": BASE})
    index = MatchIndex().fit(Candidates.from_records([c]))
    d = base_demand(required_qualifications=frozenset({"palliative_care"}))
    assert [m.id for m in index.rank(d)] == [1]
    index.upsert(base_candidate(id=2, qualifications={"kinesiology": None}))
    d2 = base_demand(required_qualifications=frozenset({"kinesiology"}))
    assert [m.id for m in index.rank(d2)] == [2]
    assert index.explain(d2, 1).code == "qualification"
    assert index.candidate(2).qualifications == {"kinesiology": None}
