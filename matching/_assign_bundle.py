"""Exact bulk assignment by column generation over candidate *bundles*.

A bundle is a set of demands one candidate can take together: a single edge, or two or
more hourly/night demands whose hours do not overlap and whose weekly hours fit the
candidate's cap. The assignment is then a set packing: each demand in at most one chosen
bundle, each candidate at most one bundle. Its LP relaxation is as tight as the convex
hull of each candidate's feasible sets (tighter than clique and knapsack rows), and on the
instances measured it is integral.

The LP starts with the single edges only (a bipartite matching LP) and bundles are added
while one prices out (reduced profit > 0 at the LP duals); when none does, the LP value is
a proven upper bound over every bundle. An integral LP solution is then optimal. If it is
fractional, the restricted 0/1 programme gives a feasible total ``lb``; every bundle whose
reduced profit is at least ``-(bound - lb)`` (the only ones that can appear in a better
solution: forcing a bundle in lowers the LP bound by at least its reduced cost) is added
and the 0/1 programme solved again, which is then optimal over all bundles.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

if TYPE_CHECKING:
    from ._assign import Edges

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_EPS = 1e-9
_START = 3  # singles per demand in the first LP
_PER_ROUND = 5  # bundles per candidate added in one pricing round
_FORK_GROUPS = 1_000  # candidate groups with bundles from which pricing is shared


def _word_ints(words: npt.NDArray[np.uint64]) -> list[int]:
    """Each demand's 168-bit schedule as one Python int."""
    w = words.tolist()
    return [int(a) | (int(b) << 64) | (int(c) << 128) for a, b, c in w]


class _Bundles:
    """Columns of the set packing: tuples of edge positions, all of one candidate."""

    def __init__(self) -> None:
        self.cols: list[tuple[int, ...]] = []
        self.seen: set[tuple[int, ...]] = set()

    def add(self, col: tuple[int, ...]) -> bool:
        if col in self.seen:
            return False
        self.seen.add(col)
        self.cols.append(col)
        return True


def _enumerate(
    items: list[tuple[int, int, float, float]],
    cap: float,
    mask: int,
    floor: float,
    out: list[tuple[int, ...]],
    limit: int,
) -> None:
    """Bundles of two or more ``items`` (edge, word, hours, weight) whose weight > floor.

    Items are sorted by weight desc; the search prunes when even every remaining item of
    positive weight cannot lift the bundle above ``floor``. Stops after ``limit`` bundles.
    """
    n = len(items)
    suffix = [0.0] * (n + 1)
    for q in range(n - 1, -1, -1):
        suffix[q] = suffix[q + 1] + max(items[q][3], 0.0)

    def dfs(start: int, cur: tuple[int, ...], used: int, hours: float, weight: float) -> None:
        for q in range(start, n):
            if len(out) >= limit:
                return
            if weight + suffix[q] <= floor:
                return
            i, w, h, wt = items[q]
            if w & used or hours + h > cap + _EPS:
                continue
            nxt = (*cur, i)
            if len(nxt) >= 2 and weight + wt > floor:
                out.append(tuple(sorted(nxt)))
            dfs(q + 1, nxt, used | w, hours + h, weight + wt)

    dfs(0, (), mask, 0.0, 0.0)


@dataclass(frozen=True)
class _Pricing:
    """What pricing reads and never changes during one :func:`solve_bundles` call."""

    order: IntArray
    starts: IntArray
    ok: npt.NDArray[np.bool_]
    live: npt.NDArray[np.bool_]
    wint: list[int]
    dem: list[int]
    hrs: list[float]
    cap: FloatArray
    ug: IntArray
    block: dict[int, int]


_STATE: _Pricing | None = None  # the current call's, for a forked pricing process


def _price_groups(
    state: _Pricing,
    groups: list[int],
    w: FloatArray,
    z: FloatArray,
    floor_gap: float,
    limit: int,
) -> list[list[tuple[int, ...]]]:
    """The bundles of each group in ``groups`` whose reduced profit > -floor_gap (at most
    ``_PER_ROUND`` each, the best ones, when ``floor_gap`` is 0)."""
    wl: list[float] = w.tolist()
    out: list[list[tuple[int, ...]]] = []
    for g in groups:
        members = state.order[state.starts[g] : state.starts[g + 1]].tolist()
        items = [
            (p, state.wint[state.dem[p]], state.hrs[p], wl[p])
            for p in members
            if state.ok[p] and not state.live[p] and (wl[p] > _EPS or floor_gap > 0)
        ]
        found: list[tuple[int, ...]] = []
        if len(items) >= 2:
            items.sort(key=lambda it: -it[3])
            _enumerate(
                items,
                float(state.cap[state.ug[g]]),
                state.block.get(int(state.ug[g]), 0),
                float(z[g]) - floor_gap + _EPS,
                found,
                limit,
            )
            if floor_gap <= 0 and len(found) > _PER_ROUND:
                wsum = [sum(wl[p] for p in col) for col in found]
                keep = np.argsort(wsum)[::-1][:_PER_ROUND]
                found = [found[k] for k in keep.tolist()]
        out.append(found)
    return out


def _price_forked(
    groups: list[int], w: FloatArray, z: FloatArray, floor_gap: float, limit: int
) -> list[list[tuple[int, ...]]]:
    """:func:`_price_groups` in the forked process, on the state it inherited."""
    assert _STATE is not None
    return _price_groups(_STATE, groups, w, z, floor_gap, limit)


def solve_bundles(
    edges: Edges,
    idx: IntArray,
    cgrp: IntArray,
    cap: FloatArray,
    fixed: IntArray,
    time_limit: float = 60.0,
    workers: int = 1,
) -> tuple[npt.NDArray[np.bool_] | None, float, bool, dict[str, float]]:
    """Optimal choice among the edges ``idx``: (chosen mask over idx, bound, optimal, stats).

    ``cgrp`` is each edge's candidate group, ``cap`` each group's weekly hours still
    allowed and ``fixed`` the edges already taken (their schedules block the candidate's
    hours). ``optimal`` is True when the result is proven optimal over ``idx``. With
    ``workers`` > 1 a forked process prices every other group (the columns, and so the
    result, are the same).
    """
    global _STATE
    t0 = time.perf_counter()
    stats: dict[str, float] = {"rounds": 0, "bundles": 0, "lp_s": 0.0, "price_s": 0.0}
    e = len(idx)
    if e == 0:
        return np.zeros(0, bool), 0.0, True, stats
    wint = _word_ints(edges.words)
    dem = edges.demand[idx]
    live = edges.live_in[dem]
    hrs = edges.hours[dem]
    score = edges.score[idx]
    grp = cgrp[idx]
    # hours already blocked on each group by fixed edges
    block: dict[int, int] = {}
    for f in fixed.tolist():
        g = int(cgrp[f])
        block[g] = block.get(g, 0) | wint[int(edges.demand[f])]
    # singles that do not fit next to the fixed edges are infeasible
    ok = np.ones(e, bool)
    for p in np.flatnonzero(np.isin(grp, np.fromiter(block, np.int64, len(block)))).tolist():
        g = int(grp[p])
        if block[g] & wint[int(dem[p])] or (not live[p] and hrs[p] > cap[g] + _EPS):
            ok[p] = False
    ug, ginv = np.unique(grp, return_inverse=True)
    ginv = ginv.reshape(-1)
    ud, dinv = np.unique(dem, return_inverse=True)
    dinv = dinv.reshape(-1)
    n_d = len(ud)
    # candidate rows only for groups with two or more feasible edges
    gcount = np.bincount(ginv[ok], minlength=len(ug))
    # per group: positions of its feasible non-live-in edges (bundle material)
    order = np.argsort(ginv, kind="stable")
    starts = np.searchsorted(ginv[order], np.arange(len(ug) + 1))
    multi = [
        g
        for g in np.flatnonzero(gcount >= 2).tolist()
        if int(
            ((~live[order[starts[g] : starts[g + 1]]]) & ok[order[starts[g] : starts[g + 1]]]).sum()
        )
        >= 2
    ]
    bundles = _Bundles()
    a_rows: list[int] = []
    a_cols: list[int] = []
    objs: list[float] = []

    score_l: list[float] = score.tolist()
    dem_l: list[int] = dem.tolist()
    hrs_l: list[float] = hrs.tolist()
    dinv_l: list[int] = dinv.tolist()
    ginv_l: list[int] = ginv.tolist()

    def add(col: tuple[int, ...]) -> int:
        if not bundles.add(col):
            return 0
        k = len(bundles.cols) - 1
        total = 0.0
        for p in col:
            a_rows.append(dinv_l[p])
            a_cols.append(k)
            total += score_l[p]
        a_rows.append(n_d + ginv_l[col[0]])
        a_cols.append(k)
        objs.append(total)
        return 1

    # start with each demand's three best singles; the others are priced in
    okp = np.flatnonzero(ok)
    by_dem = okp[np.lexsort((-score[okp], dinv[okp]))]
    first = np.searchsorted(dinv[by_dem], np.arange(n_d))
    rank = np.arange(len(by_dem)) - first[dinv[by_dem]]
    for p in by_dem[rank < _START].tolist():
        add((p,))
    in_master = np.zeros(e, bool)
    in_master[by_dem[rank < _START]] = True

    def matrix() -> tuple[sp.csc_matrix, FloatArray]:
        a = sp.csc_matrix(
            (np.ones(len(a_rows)), (a_rows, a_cols)), shape=(n_d + len(ug), len(objs))
        )
        return a, np.asarray(objs, np.float64)

    state = _Pricing(order, starts, ok, live, wint, dem_l, hrs_l, cap, ug, block)
    pool: ProcessPoolExecutor | None = None
    if workers > 1 and len(multi) > _FORK_GROUPS and "fork" in mp.get_all_start_methods():
        # Forked now, before HiGHS starts, so the child inherits the state and no threads.
        _STATE = state
        pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
        pool.submit(int).result()
        _STATE = None

    def price(y: FloatArray, z: FloatArray, floor_gap: float, limit: int) -> int:
        """Add bundles with reduced profit > -floor_gap; the number added."""
        added = 0
        w = score - y[dinv]
        rc1 = w - z[ginv]
        new = np.flatnonzero(ok & ~in_master & (rc1 > -floor_gap + _EPS))
        in_master[new] = True
        for p in new.tolist():
            added += add((p,))
        pos_ok = ok & ~live & ((w > _EPS) | (floor_gap > 0))
        n_pos = np.bincount(ginv[pos_ok], minlength=len(ug))
        groups = [g for g in multi if n_pos[g] >= 2]
        if pool is None:
            found = _price_groups(state, groups, w, z, floor_gap, limit)
        else:
            theirs = pool.submit(_price_forked, groups[1::2], w, z, floor_gap, limit)
            mine = _price_groups(state, groups[0::2], w, z, floor_gap, limit)
            other = theirs.result()
            found = [[]] * len(groups)
            found[0::2], found[1::2] = mine, other
        for cols in found:  # in group order, whoever priced them: the same columns
            for col in cols:
                added += add(col)
        return added

    try:
        x: FloatArray | None = None
        bound = float("inf")
        lp = highspy.Highs()  # type: ignore[no-untyped-call]
        lp.setOptionValue("output_flag", False)
        lp.setOptionValue("solver", "simplex")
        lp.setOptionValue("threads", 1)
        n_rows = n_d + len(ug)
        lp.addRows(
            n_rows,
            np.full(n_rows, -highspy.kHighsInf),
            np.ones(n_rows),
            0,
            np.zeros(0, np.int32),
            np.zeros(0, np.int32),
            np.zeros(0, np.float64),
        )
        done = 0  # columns already in the LP

        def push() -> None:
            nonlocal done
            n_new = len(bundles.cols) - done
            if n_new == 0:
                return
            a, obj = matrix()
            sub = a[:, done:]
            lp.addCols(
                n_new,
                -obj[done:],
                np.zeros(n_new),
                np.ones(n_new),
                sub.nnz,
                sub.indptr[:-1].astype(np.int32),
                sub.indices.astype(np.int32),
                sub.data,
            )
            done = len(bundles.cols)

        added = 1
        while True:
            stats["rounds"] += 1
            tl = time.perf_counter()
            push()
            lp.run()
            stats["lp_s"] += time.perf_counter() - tl
            if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None, float("inf"), False, stats
            sol = lp.getSolution()
            marg = -np.asarray(sol.row_dual, np.float64)
            y = np.maximum(marg[:n_d], 0.0)
            z = np.maximum(marg[n_d:], 0.0)
            bound = -float(lp.getInfo().objective_function_value)
            x = np.asarray(sol.col_value, np.float64)
            tp = time.perf_counter()
            added = price(y, z, 0.0, 5_000)
            stats["price_s"] += time.perf_counter() - tp
            if added == 0:
                break
            if time.perf_counter() - t0 > time_limit:
                break
        a, obj = matrix()
        stats["bundles"] = len(bundles.cols)
        assert x is not None
        frac = (x > 1e-7) & (x < 1 - 1e-7)
        chosen_cols = np.flatnonzero(x > 0.5)
        optimal = not frac.any() and added == 0
        if frac.any():
            # restricted 0/1 programme, then every bundle that could still improve on it
            integral = np.ones(len(obj))
            left = max(time_limit - (time.perf_counter() - t0), 1.0)
            res = milp(
                -obj,
                constraints=LinearConstraint(a, -np.inf, np.ones(a.shape[0])),
                integrality=integral,
                bounds=Bounds(0, 1),
                options={"time_limit": left, "mip_rel_gap": 0.0},
            )
            if res.x is None:
                return None, bound, False, stats
            lb = -float(res.fun)
            if added == 0 and lb < bound - _EPS:
                gap = bound - lb
                price(y, z, gap, 10_000_000)
                a, obj = matrix()
                left = max(time_limit - (time.perf_counter() - t0), 1.0)
                res = milp(
                    -obj,
                    constraints=LinearConstraint(a, -np.inf, np.ones(a.shape[0])),
                    integrality=np.ones(len(obj)),
                    bounds=Bounds(0, 1),
                    options={"time_limit": left, "mip_rel_gap": 0.0},
                )
                if res.x is None:
                    return None, bound, False, stats
                stats["bundles"] = len(bundles.cols)
                optimal = res.status == 0
            else:
                optimal = added == 0 and res.status == 0
            chosen_cols = np.flatnonzero(np.asarray(res.x) > 0.5)
        chosen = np.zeros(e, bool)
        for k in chosen_cols.tolist():
            for p in bundles.cols[k]:
                chosen[p] = True
        total = float(score[chosen].sum())
        return chosen, total if optimal else max(bound, total), optimal, stats
    finally:
        if pool is not None:
            pool.shutdown()
