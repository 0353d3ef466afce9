"""Bulk assignment: feasibility, never below greedy, optimal on small instances."""

from __future__ import annotations

import dataclasses
import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import FULL_WEEK, Candidates, Demand, MatchIndex, Schedule, assign
from matching._assign import Edges, build_edges, greedy, solve

from .strategies import random_candidate, random_demand

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def instance(seed: int, n_cand: int, n_dem: int) -> tuple[MatchIndex, list[Demand]]:
    """Candidates likely to fit: hourly/night work, short demands, few filters."""
    rng = random.Random(seed)
    cands = []
    for i in range(n_cand):
        c = random_candidate(rng, i + 1)
        cands.append(
            dataclasses.replace(
                c,
                is_active=True,
                travel_radius_km=40.0,
                available_from=None,
                availability=FULL_WEEK if rng.random() < 0.7 else c.availability,
                has_live_in_placement=False,
                busy=Schedule() if rng.random() < 0.6 else c.busy,
            )
        )
    demands = []
    for _ in range(n_dem):
        d = random_demand(rng, [])
        day = rng.randrange(7)
        start = rng.randrange(24)
        hours = rng.randint(2, 6)
        sched = Schedule.from_hours(
            (day * 24 + start + h + 24 * extra) % 168
            for h in range(hours)
            for extra in range(rng.randint(1, 3))
        )
        demands.append(
            dataclasses.replace(
                d,
                max_distance_km=50.0,
                required_qualifications=frozenset(),
                required_languages=frozenset(),
                gender_preference="none",
                gender=None,
                schedule=FULL_WEEK if d.arrangement == "live_in" else sched,
                weekly_hours=None if rng.random() < 0.7 else float(rng.randint(5, 30)),
                min_free_share=None,
            )
        )
    return MatchIndex().fit(Candidates.from_records(cands)), demands


def check_feasible(
    index: MatchIndex, demands: list[Demand], pairs: list[tuple[int, int, float]]
) -> None:
    """Independent check with Schedule objects: nobody double-booked, limits kept."""
    assert len({j for j, _, _ in pairs}) == len(pairs)
    per: dict[int, list[int]] = {}
    for j, c, s in pairs:
        e = index.explain(demands[j], c)
        assert e.eligible and abs(e.score - s) < 1e-12  # type: ignore[operator]
        per.setdefault(c, []).append(j)
    for c, js in per.items():
        if len(js) < 2:
            continue
        assert not any(demands[j].arrangement == "live_in" for j in js)
        for a, b in itertools.combinations(js, 2):
            assert not demands[a].schedule.overlaps(demands[b].schedule)
        busy = index.candidate(c).busy.hours
        assert busy + sum(index.rules.weekly_hours(demands[j]) for j in js) <= 40


def exhaustive(edges: Edges) -> float:
    """Best total over every choice of at most one edge per demand."""
    options: dict[int, list[tuple[int, float]]] = {}
    for j, c, s in zip(
        edges.demand.tolist(), edges.candidate.tolist(), edges.score.tolist(), strict=True
    ):
        options.setdefault(j, []).append((c, s))
    best = 0.0
    keys = sorted(options)
    for choice in itertools.product(*[[None, *options[j]] for j in keys]):
        per: dict[int, list[int]] = {}
        total = 0.0
        ok = True
        for j, opt in zip(keys, choice, strict=True):
            if opt is None:
                continue
            c, s = opt
            for o in per.get(c, []):
                if (edges.words[o] & edges.words[j]).any():
                    ok = False
            per.setdefault(c, []).append(j)
            total += s
        if not ok:
            continue
        for c, js in per.items():
            if len(js) > 1 and sum(edges.hours[j] for j in js) > edges.cap[c]:
                ok = False
        if ok:
            best = max(best, total)
    return best


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.sampled_from([0, 30_000]))
def test_never_double_books_and_beats_greedy(seed: int, exact_edges: int) -> None:
    index, demands = instance(seed, 25, 30)
    result = assign(index, demands, k=8, exact_edges=exact_edges)
    check_feasible(index, demands, result.pairs)
    edges = build_edges(index, demands, 8)
    g = greedy(edges)
    check_feasible(index, demands, g)
    assert result.total >= sum(s for _, _, s in g) - 1e-9
    assert result.total <= result.bound + 1e-9


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_small_instances_are_optimal(seed: int) -> None:
    index, demands = instance(seed, 4, 5)
    edges = build_edges(index, demands, 3)
    best = exhaustive(edges)
    result = solve(edges)
    assert result.optimal
    assert abs(result.total - best) < 1e-9
    check_feasible(index, demands, result.pairs)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(60, 40), (100, 60)]))
def test_decomposition_equals_the_whole_milp(seed: int, size: tuple[int, int]) -> None:
    """Reductions + independent parts reach the optimum of the undecomposed MILP."""
    index, demands = instance(seed, *size)
    edges = build_edges(index, demands, 5)
    whole = solve(edges, decompose=False, exact_edges=10**9)
    parts = solve(edges)
    assert whole.optimal and parts.optimal
    assert abs(whole.total - parts.total) < 1e-9
    assert parts.bound >= parts.total - 1e-9
    assert parts.info["fixed_edges"] + parts.info["solver_edges"] <= len(edges.score)
    check_feasible(index, demands, parts.pairs)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_small_instances_are_optimal_without_decomposition(seed: int) -> None:
    index, demands = instance(seed, 4, 5)
    edges = build_edges(index, demands, 3)
    result = solve(edges, decompose=False)
    assert result.optimal
    assert abs(result.total - exhaustive(edges)) < 1e-9


def test_parallel_edges_equal_sequential() -> None:
    index, demands = instance(7, 80, 30)
    one = build_edges(index, demands, 4, workers=1)
    two = build_edges(index, demands, 4, workers=2)
    for name in ("demand", "candidate", "score", "hours", "words", "live_in"):
        assert (getattr(one, name) == getattr(two, name)).all(), name
    assert one.cap == two.cap
    r = assign(index, demands, k=4, workers=2)
    assert r.total == solve(one).total


def test_hourly_candidate_takes_two_disjoint_demands_live_in_one() -> None:
    c = random_candidate(random.Random(3), 1)
    c = dataclasses.replace(
        c,
        lat=45.0,
        lon=7.6,
        travel_radius_km=30.0,
        is_active=True,
        arrangements=frozenset({"hourly", "live_in"}),
        availability=FULL_WEEK,
        busy=Schedule(),
        has_live_in_placement=False,
        available_from=None,
    )
    index = MatchIndex().fit(Candidates.from_records([c]))
    base = random_demand(random.Random(4), [])
    base = dataclasses.replace(
        base,
        lat=45.0,
        lon=7.6,
        max_distance_km=10.0,
        required_qualifications=frozenset(),
        required_languages=frozenset(),
        gender_preference="none",
        gender=None,
        weekly_hours=None,
        min_free_share=None,
        arrangement="hourly",
    )
    morning = dataclasses.replace(base, schedule=Schedule.parse("lun-ven 08:00-12:00"))
    evening = dataclasses.replace(base, schedule=Schedule.parse("lun-ven 17:00-20:00"))
    overlap = dataclasses.replace(base, schedule=Schedule.parse("lun-ven 11:00-13:00"))
    r = assign(index, [morning, evening, overlap])
    assert sorted(j for j, _, _ in r.pairs) in ([0, 1], [1, 2])
    live = dataclasses.replace(base, arrangement="live_in", schedule=FULL_WEEK, weekly_hours=54.0)
    r2 = assign(index, [morning, live])
    assert len(r2.pairs) == 1


def test_empty() -> None:
    index, demands = instance(1, 0, 0)
    r = assign(index, demands)
    assert r.pairs == [] and r.total == 0.0


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_excluded_pairs_are_never_assigned_and_each_demand_keeps_its_best_k(
    seed: int, k: int
) -> None:
    index, demands = instance(seed, 30, 12)
    rng = random.Random(seed)
    everyone = {j: [m.id for m in index.rank(d, None)] for j, d in enumerate(demands)}
    exclude = {
        j: set(rng.sample(ids, rng.randint(0, min(3, len(ids)))))
        for j, ids in everyone.items()
        if ids
    }
    edges = build_edges(index, demands, k, exclude=exclude)
    for j, ids in everyone.items():
        expected = [c for c in ids if c not in exclude.get(j, set())][:k]
        assert edges.candidate[edges.demand == j].tolist() == expected
    result = assign(index, demands, k=k, exclude=exclude)
    assert all(p.candidate not in exclude.get(p.demand, set()) for p in result.pairs)
