"""Bundle column generation (the path of large parts): exact, feasible, >= greedy.

``exact_edges=0`` sends every part left after the reductions to
:func:`matching._assign_bundle.solve_bundles`, so these small instances exercise it.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Schedule
from matching._assign import Edges, build_edges, greedy, is_feasible, solve
from matching._assign_bundle import solve_bundles

from .test_assign import check_feasible, exhaustive, instance


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_bundles_reach_the_exhaustive_optimum(seed: int) -> None:
    index, demands = instance(seed, 4, 6)
    edges = build_edges(index, demands, 4)
    result = solve(edges, exact_edges=0)
    assert result.optimal
    assert abs(result.total - exhaustive(edges)) < 1e-9
    check_feasible(index, demands, result.pairs)


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(60, 40), (100, 60)]))
def test_bundles_equal_the_whole_milp(seed: int, size: tuple[int, int]) -> None:
    index, demands = instance(seed, *size)
    edges = build_edges(index, demands, 5)
    whole = solve(edges, decompose=False, exact_edges=10**9)
    bundles = solve(edges, exact_edges=0)
    assert whole.optimal and bundles.optimal
    assert abs(whole.total - bundles.total) < 1e-9
    assert bundles.total >= sum(s for _, _, s in greedy(edges)) - 1e-9
    check_feasible(index, demands, bundles.pairs)


def _edges(
    pairs: list[tuple[int, int, float]], schedules: list[str], cap: dict[int, float]
) -> Edges:
    scheds = [Schedule.parse(s) for s in schedules]
    return Edges(
        demand=np.array([j for j, _, _ in pairs], np.int64),
        candidate=np.array([c for _, c, _ in pairs], np.int64),
        score=np.array([s for _, _, s in pairs], np.float64),
        hours=np.array([float(s.hours) for s in scheds], np.float64),
        words=np.array([s.to_words() for s in scheds], np.uint64).reshape(len(scheds), 3),
        live_in=np.zeros(len(scheds), bool),
        cap=cap,
    )


def _run(edges: Edges) -> tuple[list[tuple[int, int]], bool]:
    idx = np.arange(len(edges.score), dtype=np.int64)
    ucand, inv = np.unique(edges.candidate, return_inverse=True)
    cap = np.array([edges.cap[c] for c in ucand.tolist()], np.float64)
    chosen, bound, optimal, _ = solve_bundles(
        edges, idx, inv.reshape(-1).astype(np.int64), cap, np.zeros(0, np.int64)
    )
    assert chosen is not None
    picked = sorted(
        (int(j), int(c)) for j, c in zip(edges.demand[chosen], edges.candidate[chosen], strict=True)
    )
    assert bound >= float(edges.score[chosen].sum()) - 1e-9
    return picked, optimal


def test_a_candidate_takes_two_disjoint_demands_over_one_better_single() -> None:
    # candidate 1: morning (0.6) + evening (0.6) beat the overlapping 0.9 alone;
    # candidate 2 can only do the overlapping one, at 0.5: total 1.7 > 0.9 + 0.6
    edges = _edges(
        [(0, 1, 0.6), (1, 1, 0.6), (2, 1, 0.9), (2, 2, 0.5)],
        ["lun-ven 08:00-12:00", "lun-ven 17:00-20:00", "lun-ven 11:00-13:00"],
        {1: 40.0, 2: 40.0},
    )
    picked, optimal = _run(edges)
    assert optimal
    assert picked == [(0, 1), (1, 1), (2, 2)]
    assert is_feasible(edges, [(j, c, 0.0) for j, c in picked])


def test_weekly_hours_cap_limits_a_bundle() -> None:
    # 20 h + 15 h do not fit a cap of 30 h: only the better single
    edges = _edges(
        [(0, 1, 0.6), (1, 1, 0.7)],
        ["lun-ven 08:00-12:00", "lun-ven 17:00-20:00"],
        {1: 30.0},
    )
    picked, optimal = _run(edges)
    assert optimal
    assert picked == [(1, 1)]


def test_overlapping_demands_never_share_a_candidate() -> None:
    edges = _edges(
        [(0, 1, 0.9), (1, 1, 0.8), (1, 2, 0.1)],
        ["lun-ven 08:00-12:00", "lun-ven 11:00-13:00"],
        {1: 40.0, 2: 40.0},
    )
    picked, optimal = _run(edges)
    assert optimal
    assert picked == [(0, 1), (1, 2)]


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_pricing_shared_with_a_forked_process_gives_the_same_columns(seed: int) -> None:
    import matching._assign_bundle as ab

    index, demands = instance(seed, 100, 60)
    edges = build_edges(index, demands, 5)
    alone = solve(edges, exact_edges=0)
    shared_from = ab._FORK_GROUPS
    ab._FORK_GROUPS = 0  # share pricing however few the groups
    try:
        forked = solve(edges, exact_edges=0, workers=2)
    finally:
        ab._FORK_GROUPS = shared_from
    assert forked.pairs == alone.pairs
    assert (forked.total, forked.greedy_total, forked.optimal) == (
        alone.total,
        alone.greedy_total,
        alone.optimal,
    )
    assert forked.info == alone.info  # the same rounds and the same number of bundles
