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
class _Part:
    """The edges of one part, as the column generation reads them (never changed).

    Edge positions ``p`` index ``idx`` of :func:`solve_bundles`. Rows of the set packing:
    one per demand (``demand_row``), then one per candidate group (``group_row``).
    """

    score: FloatArray  # (e,) each edge's score
    demand: list[int]  # (e,) each edge's demand index in ``Edges``
    hours: list[float]  # (e,) each edge's weekly hours
    live_in: npt.NDArray[np.bool_]  # (e,)
    feasible: npt.NDArray[np.bool_]  # (e,) the single edge fits beside the fixed edges
    demand_row: IntArray  # (e,) row of the edge's demand, 0..n_demands-1
    group_row: IntArray  # (e,) row of the edge's candidate group, 0..n_groups-1
    n_demands: int
    groups: IntArray  # (g,) candidate group of each group row
    by_group: IntArray  # edge positions sorted by group row
    group_start: IntArray  # (g + 1,) where each group row's edges start in ``by_group``
    bundle_groups: list[int]  # group rows with two or more feasible hourly/night edges
    schedule_bits: list[int]  # each demand's 168-bit schedule as one int
    cap: FloatArray  # weekly hours still allowed, per candidate group
    blocked: dict[int, int]  # candidate group -> hours taken by fixed edges (bits)

    def members(self, g: int) -> list[int]:
        """Edge positions of group row ``g``."""
        members: list[int] = self.by_group[self.group_start[g] : self.group_start[g + 1]].tolist()
        return members


def _part(edges: Edges, idx: IntArray, cgrp: IntArray, cap: FloatArray, fixed: IntArray) -> _Part:
    """What :func:`solve_bundles` needs of the edges ``idx`` (see its parameters)."""
    bits = _word_ints(edges.words)
    demand = edges.demand[idx]
    live = edges.live_in[demand]
    hours = edges.hours[demand]
    group = cgrp[idx]
    blocked: dict[int, int] = {}
    for f in fixed.tolist():
        g = int(cgrp[f])
        blocked[g] = blocked.get(g, 0) | bits[int(edges.demand[f])]
    # singles that do not fit next to the fixed edges are infeasible
    feasible = np.ones(len(idx), bool)
    touched = np.isin(group, np.fromiter(blocked, np.int64, len(blocked)))
    for p in np.flatnonzero(touched).tolist():
        g = int(group[p])
        if blocked[g] & bits[int(demand[p])] or (not live[p] and hours[p] > cap[g] + _EPS):
            feasible[p] = False
    groups, group_row = np.unique(group, return_inverse=True)
    group_row = group_row.reshape(-1)
    demands, demand_row = np.unique(demand, return_inverse=True)
    by_group = np.argsort(group_row, kind="stable")
    group_start = np.searchsorted(group_row[by_group], np.arange(len(groups) + 1))
    n_feasible = np.bincount(group_row[feasible], minlength=len(groups))
    # what bundles are made of: feasible hourly and night edges
    n_material = np.bincount(group_row[~live & feasible], minlength=len(groups))
    bundle_groups = np.flatnonzero((n_feasible >= 2) & (n_material >= 2)).tolist()
    return _Part(
        score=edges.score[idx],
        demand=demand.tolist(),
        hours=hours.tolist(),
        live_in=live,
        feasible=feasible,
        demand_row=demand_row.reshape(-1),
        group_row=group_row,
        n_demands=len(demands),
        groups=groups,
        by_group=by_group,
        group_start=group_start,
        bundle_groups=bundle_groups,
        schedule_bits=bits,
        cap=cap,
        blocked=blocked,
    )


class _Master:
    """The restricted master LP: the bundles found so far, as columns in HiGHS."""

    def __init__(self, part: _Part) -> None:
        self.part = part
        self.bundles = _Bundles()
        self.in_master = np.zeros(len(part.score), bool)  # singles already columns
        self._rows: list[int] = []
        self._cols: list[int] = []
        self._objective: list[float] = []
        self._score: list[float] = part.score.tolist()
        self._demand_row: list[int] = part.demand_row.tolist()
        self._group_row: list[int] = part.group_row.tolist()
        self._in_lp = 0  # columns already pushed to the LP
        self._lp: highspy.Highs | None = None  # made on the first solve, after any fork

    def _highs(self) -> highspy.Highs:
        if self._lp is None:
            lp = highspy.Highs()  # type: ignore[no-untyped-call]
            lp.setOptionValue("output_flag", False)
            lp.setOptionValue("solver", "simplex")
            lp.setOptionValue("threads", 1)
            n_rows = self.n_rows
            lp.addRows(
                n_rows,
                np.full(n_rows, -highspy.kHighsInf),
                np.ones(n_rows),
                0,
                np.zeros(0, np.int32),
                np.zeros(0, np.int32),
                np.zeros(0, np.float64),
            )
            self._lp = lp
        return self._lp

    @property
    def n_rows(self) -> int:
        """One row per demand, then one per candidate group."""
        return self.part.n_demands + len(self.part.groups)

    def add(self, col: tuple[int, ...]) -> int:
        """Add a bundle (edge positions of one group) unless known; 1 if added, else 0."""
        if not self.bundles.add(col):
            return 0
        k = len(self.bundles.cols) - 1
        total = 0.0
        for p in col:
            self._rows.append(self._demand_row[p])
            self._cols.append(k)
            total += self._score[p]
        self._rows.append(self.part.n_demands + self._group_row[col[0]])
        self._cols.append(k)
        self._objective.append(total)
        return 1

    def add_best_singles(self, per_demand: int) -> None:
        """Start with each demand's best ``per_demand`` feasible single edges."""
        part = self.part
        feasible = np.flatnonzero(part.feasible)
        rows = part.demand_row[feasible]
        by_demand = feasible[np.lexsort((-part.score[feasible], rows))]
        first = np.searchsorted(part.demand_row[by_demand], np.arange(part.n_demands))
        rank = np.arange(len(by_demand)) - first[part.demand_row[by_demand]]
        for p in by_demand[rank < per_demand].tolist():
            self.add((p,))
        self.in_master[by_demand[rank < per_demand]] = True

    def matrix(self) -> tuple[sp.csc_matrix, FloatArray]:
        """The constraint matrix (rows x bundles) and each bundle's total score."""
        a = sp.csc_matrix(
            (np.ones(len(self._rows)), (self._rows, self._cols)),
            shape=(self.n_rows, len(self._objective)),
        )
        return a, np.asarray(self._objective, np.float64)

    def solve_lp(self) -> tuple[FloatArray, FloatArray, FloatArray, float] | None:
        """Push the new columns and solve: (x, demand duals, group duals, LP value)."""
        lp = self._highs()
        n_new = len(self.bundles.cols) - self._in_lp
        if n_new:
            a, obj = self.matrix()
            sub = a[:, self._in_lp :]
            lp.addCols(
                n_new,
                -obj[self._in_lp :],
                np.zeros(n_new),
                np.ones(n_new),
                sub.nnz,
                sub.indptr[:-1].astype(np.int32),
                sub.indices.astype(np.int32),
                sub.data,
            )
            self._in_lp = len(self.bundles.cols)
        lp.run()
        if lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = lp.getSolution()
        marg = -np.asarray(sol.row_dual, np.float64)
        n_d = self.part.n_demands
        y = np.maximum(marg[:n_d], 0.0)
        z = np.maximum(marg[n_d:], 0.0)
        value = -float(lp.getInfo().objective_function_value)
        return np.asarray(sol.col_value, np.float64), y, z, value

    def solve_integer(self, time_limit: float) -> tuple[IntArray | None, float, bool]:
        """The 0/1 programme over the columns so far: (chosen columns, total, optimal)."""
        a, obj = self.matrix()
        res = milp(
            -obj,
            constraints=LinearConstraint(a, -np.inf, np.ones(a.shape[0])),
            integrality=np.ones(len(obj)),
            bounds=Bounds(0, 1),
            options={"time_limit": time_limit, "mip_rel_gap": 0.0},
        )
        if res.x is None:
            return None, 0.0, False
        return np.flatnonzero(np.asarray(res.x) > 0.5), -float(res.fun), res.status == 0


def _price_groups(
    part: _Part,
    groups: list[int],
    profit: FloatArray,
    group_dual: FloatArray,
    floor_gap: float,
    limit: int,
) -> list[list[tuple[int, ...]]]:
    """The bundles of each group row in ``groups`` whose reduced profit > -floor_gap (at
    most ``_PER_ROUND`` each, the best ones, when ``floor_gap`` is 0).

    ``profit`` is each edge's score less its demand's dual price.
    """
    wl: list[float] = profit.tolist()
    out: list[list[tuple[int, ...]]] = []
    for g in groups:
        items = [
            (p, part.schedule_bits[part.demand[p]], part.hours[p], wl[p])
            for p in part.members(g)
            if part.feasible[p] and not part.live_in[p] and (wl[p] > _EPS or floor_gap > 0)
        ]
        found: list[tuple[int, ...]] = []
        if len(items) >= 2:
            items.sort(key=lambda it: -it[3])
            candidate_group = int(part.groups[g])
            _enumerate(
                items,
                float(part.cap[candidate_group]),
                part.blocked.get(candidate_group, 0),
                float(group_dual[g]) - floor_gap + _EPS,
                found,
                limit,
            )
            if floor_gap <= 0 and len(found) > _PER_ROUND:
                wsum = [sum(wl[p] for p in col) for col in found]
                keep = np.argsort(wsum)[::-1][:_PER_ROUND]
                found = [found[k] for k in keep.tolist()]
        out.append(found)
    return out


_PART: _Part | None = None  # the current call's, for a forked pricing process


def _price_forked(
    groups: list[int], profit: FloatArray, group_dual: FloatArray, floor_gap: float, limit: int
) -> list[list[tuple[int, ...]]]:
    """:func:`_price_groups` in the forked process, on the part it inherited."""
    assert _PART is not None
    return _price_groups(_PART, groups, profit, group_dual, floor_gap, limit)


class _Pricer:
    """Finds the columns that price out at given duals; with a forked process that
    prices every other group (the columns, and so the result, are the same)."""

    def __init__(self, master: _Master, workers: int) -> None:
        global _PART
        self.master = master
        self.pool: ProcessPoolExecutor | None = None
        part = master.part
        forkable = "fork" in mp.get_all_start_methods()
        if workers > 1 and len(part.bundle_groups) > _FORK_GROUPS and forkable:
            # Forked now, before HiGHS solves, so the child inherits the part, no threads.
            _PART = part
            self.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
            self.pool.submit(int).result()
            _PART = None

    def close(self) -> None:
        """Stop the forked process, if any."""
        if self.pool is not None:
            self.pool.shutdown()

    def price(self, y: FloatArray, z: FloatArray, floor_gap: float, limit: int) -> int:
        """Add the singles and bundles with reduced profit > -floor_gap; how many."""
        master, part = self.master, self.master.part
        added = 0
        profit = part.score - y[part.demand_row]
        reduced = profit - z[part.group_row]
        new = np.flatnonzero(part.feasible & ~master.in_master & (reduced > -floor_gap + _EPS))
        master.in_master[new] = True
        for p in new.tolist():
            added += master.add((p,))
        material = part.feasible & ~part.live_in & ((profit > _EPS) | (floor_gap > 0))
        n_material = np.bincount(part.group_row[material], minlength=len(part.groups))
        groups = [g for g in part.bundle_groups if n_material[g] >= 2]
        if self.pool is None:
            found = _price_groups(part, groups, profit, z, floor_gap, limit)
        else:
            theirs = self.pool.submit(_price_forked, groups[1::2], profit, z, floor_gap, limit)
            mine = _price_groups(part, groups[0::2], profit, z, floor_gap, limit)
            found = [[]] * len(groups)
            found[0::2], found[1::2] = mine, theirs.result()
        for cols in found:  # in group order, whoever priced them: the same columns
            for col in cols:
                added += master.add(col)
        return added


@dataclass
class _Relaxation:
    """The last LP of the column generation."""

    x: FloatArray  # column values
    y: FloatArray  # demand duals
    z: FloatArray  # group duals
    bound: float  # LP value: an upper bound when ``complete``
    complete: bool  # no column priced out: the bound holds over every bundle


def _generate_columns(
    master: _Master, pricer: _Pricer, stats: dict[str, float], deadline: float
) -> _Relaxation | None:
    """Solve the LP and add the columns that price out, until none does (or time's up)."""
    while True:
        stats["rounds"] += 1
        t = time.perf_counter()
        lp = master.solve_lp()
        stats["lp_s"] += time.perf_counter() - t
        if lp is None:
            return None
        x, y, z, bound = lp
        t = time.perf_counter()
        added = pricer.price(y, z, 0.0, 5_000)
        stats["price_s"] += time.perf_counter() - t
        if added == 0 or time.perf_counter() > deadline:
            return _Relaxation(x, y, z, bound, complete=added == 0)


def _round(
    master: _Master, pricer: _Pricer, lp: _Relaxation, stats: dict[str, float], deadline: float
) -> tuple[IntArray | None, bool]:
    """Chosen columns of a fractional LP, and whether they are proven optimal.

    The restricted 0/1 programme gives a total ``lb``; every bundle whose reduced profit
    is at least ``-(bound - lb)`` (the only ones in a better solution) is added and the
    0/1 programme solved again, optimal then over all bundles.
    """
    cols, lb, proven = master.solve_integer(max(deadline - time.perf_counter(), 1.0))
    if cols is None:
        return None, False
    if not (lp.complete and lb < lp.bound - _EPS):
        return cols, lp.complete and proven
    pricer.price(lp.y, lp.z, lp.bound - lb, 10_000_000)
    cols, _, proven = master.solve_integer(max(deadline - time.perf_counter(), 1.0))
    stats["bundles"] = len(master.bundles.cols)
    return cols, proven


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
    deadline = time.perf_counter() + time_limit
    stats: dict[str, float] = {"rounds": 0, "bundles": 0, "lp_s": 0.0, "price_s": 0.0}
    if len(idx) == 0:
        return np.zeros(0, bool), 0.0, True, stats
    part = _part(edges, idx, cgrp, cap, fixed)
    master = _Master(part)
    master.add_best_singles(_START)
    pricer = _Pricer(master, workers)
    try:
        lp = _generate_columns(master, pricer, stats, deadline)
        if lp is None:
            return None, float("inf"), False, stats
        stats["bundles"] = len(master.bundles.cols)
        cols: IntArray | None
        if not ((lp.x > 1e-7) & (lp.x < 1 - 1e-7)).any():  # integral
            cols, optimal = np.flatnonzero(lp.x > 0.5), lp.complete
        else:
            cols, optimal = _round(master, pricer, lp, stats, deadline)
        if cols is None:
            return None, lp.bound, False, stats
    finally:
        pricer.close()
    chosen = np.zeros(len(idx), bool)
    for k in cols.tolist():
        for p in master.bundles.cols[k]:
            chosen[p] = True
    total = float(part.score[chosen].sum())
    return chosen, total if optimal else max(lp.bound, total), optimal, stats
