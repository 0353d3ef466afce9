"""Bulk assignment of many demands at once: no candidate double-booked.

Edges are the top ``k`` eligible candidates of each demand (from the index). A candidate
may take several demands when their schedules do not overlap and its weekly hours stay
within the limit; a live-in demand takes the whole week. The total score is maximised by
a mixed-integer programme solved with HiGHS (``scipy.optimize.milp``):

* one row per demand: at most one of its edges;
* per candidate with two or more edges, one "clique" row per distinct set of its edges
  sharing an hour (live-in demands count as the whole week): at most one of them;
* per candidate whose edges' weekly hours could exceed its limit, one knapsack row.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ._index import MatchIndex
from ._model import Demand
from ._schedule import FULL_WEEK


@dataclass(frozen=True)
class Edges:
    """Candidate edges of a bulk assignment, each array shape ``(e,)``.

    Attributes
    ----------
    demand : ndarray of int64
        Index of the demand in the input sequence.
    candidate : ndarray of int64
        Candidate id.
    score : ndarray of float64
        The candidate's score for the demand, in [0, 1].
    hours : ndarray of float64, shape (d,)
        Weekly hours of each demand.
    words : ndarray of uint64, shape (d, 3)
        Each demand's schedule words (the whole week for live-in).
    live_in : ndarray of bool, shape (d,)
    cap : dict
        Candidate id -> weekly hours still allowed (limit minus busy hours).
    """

    demand: npt.NDArray[np.int64]
    candidate: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    hours: npt.NDArray[np.float64]
    words: npt.NDArray[np.uint64]
    live_in: npt.NDArray[np.bool_]
    cap: dict[int, float]


@dataclass(frozen=True)
class Assignment:
    """Result of :func:`assign`.

    ``pairs`` lists ``(demand index, candidate id, score)``; ``greedy_total`` is the total
    of one-by-one greedy proposals over the same edges; ``bound`` is the solver's proven
    upper bound over those edges (``optimal`` when the total reaches it).
    """

    pairs: list[tuple[int, int, float]]
    total: float
    greedy_total: float
    bound: float
    optimal: bool
    method: str
    n_edges: int
    timings: dict[str, float] = field(default_factory=dict)


def build_edges(index: MatchIndex, demands: Sequence[Demand], k: int | None = 20) -> Edges:
    """Rank every demand and keep its top ``k`` eligible candidates as edges."""
    dem: list[npt.NDArray[np.int64]] = []
    cand: list[npt.NDArray[np.int64]] = []
    score: list[npt.NDArray[np.float64]] = []
    # demands sorted by place read neighbouring memory one after the other
    order = sorted(range(len(demands)), key=lambda j: (demands[j].lat, demands[j].lon))
    for j in order:
        ids, sc, _, _ = index.rank_arrays(demands[j], k)
        dem.append(np.full(len(ids), j, np.int64))
        cand.append(ids)
        score.append(sc)
    rules = index.rules
    cand_ids = np.concatenate(cand) if cand else np.zeros(0, np.int64)
    st = index.store_
    cap: dict[int, float] = {}
    limit = min(rules.hourly_max_hours, rules.night_max_hours)
    for cid in np.unique(cand_ids).tolist():
        cap[cid] = limit - float(st.busy_hours[index.id_to_slot_[cid]])
    return Edges(
        demand=np.concatenate(dem) if dem else np.zeros(0, np.int64),
        candidate=cand_ids,
        score=np.concatenate(score) if score else np.zeros(0, np.float64),
        hours=np.array([rules.weekly_hours(d) for d in demands], np.float64),
        words=np.array(
            [(FULL_WEEK if d.arrangement == "live_in" else d.schedule).to_words() for d in demands],
            np.uint64,
        ).reshape(len(demands), 3),
        live_in=np.array([d.arrangement == "live_in" for d in demands], bool),
        cap=cap,
    )


def _conflicts(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> bool:
    return bool(((a & b) != 0).any())


def greedy(edges: Edges) -> list[tuple[int, int, float]]:
    """One-by-one proposals: each demand in turn takes its best still-feasible edge."""
    by_demand: dict[int, list[tuple[float, int]]] = {}
    for j, c, s in zip(
        edges.demand.tolist(), edges.candidate.tolist(), edges.score.tolist(), strict=True
    ):
        by_demand.setdefault(j, []).append((-s, c))
    taken: dict[int, list[int]] = {}
    used_hours: dict[int, float] = {}
    out: list[tuple[int, int, float]] = []
    for j in sorted(by_demand):
        for neg, c in sorted(by_demand[j]):
            if _feasible(edges, taken.get(c, []), used_hours.get(c, 0.0), j, c):
                taken.setdefault(c, []).append(j)
                if not edges.live_in[j]:
                    used_hours[c] = used_hours.get(c, 0.0) + float(edges.hours[j])
                out.append((j, c, -neg))
                break
    return out


def _feasible(edges: Edges, others: list[int], used: float, j: int, c: int) -> bool:
    for o in others:
        if _conflicts(edges.words[o], edges.words[j]):
            return False
    if others and not edges.live_in[j]:
        return used + float(edges.hours[j]) <= edges.cap[c]
    return True


def is_feasible(edges: Edges, pairs: Sequence[tuple[int, int, float]]) -> bool:
    """Whether an assignment books no demand twice and no candidate beyond its rules."""
    demands_seen: set[int] = set()
    per_cand: dict[int, list[int]] = {}
    for j, c, _ in pairs:
        if j in demands_seen:
            return False
        demands_seen.add(j)
        per_cand.setdefault(c, []).append(j)
    for c, js in per_cand.items():
        for a in range(len(js)):
            for b in range(a + 1, len(js)):
                if _conflicts(edges.words[js[a]], edges.words[js[b]]):
                    return False
        if len(js) > 1 and sum(float(edges.hours[j]) for j in js) > edges.cap[c]:
            return False
    return True


def _model(edges: Edges) -> tuple[sp.csr_matrix, npt.NDArray[np.float64]]:
    """Constraint matrix (rows x edges) and row upper bounds of the programme."""
    e = len(edges.score)
    n_dem = len(edges.hours)
    rows: list[npt.NDArray[np.int64]] = [edges.demand]
    cols: list[npt.NDArray[np.int64]] = [np.arange(e)]
    vals: list[npt.NDArray[np.float64]] = [np.ones(e)]
    ub: list[npt.NDArray[np.float64]] = [np.ones(n_dem)]
    n_rows = n_dem
    # edges grouped by candidate
    order = np.argsort(edges.candidate, kind="stable")
    cand = edges.candidate[order]
    starts = np.flatnonzero(np.r_[True, cand[1:] != cand[:-1]])
    counts = np.diff(np.r_[starts, len(cand)])
    multi = np.flatnonzero(counts >= 2)
    if len(multi):
        # distinct schedules, so that hour patterns are computed once per schedule
        uniq, sched = np.unique(edges.words, axis=0, return_inverse=True)
        sched = sched.reshape(-1)
        hours_of = np.unpackbits(uniq.view(np.uint8), axis=1, bitorder="little")[:, :168]
        rng = np.random.default_rng(12345)
        salt = rng.integers(1, 2**63, len(uniq), dtype=np.int64).astype(np.uint64)
        for g in multi.tolist():
            ed = order[starts[g] : starts[g] + counts[g]]
            s_e = sched[edges.demand[ed]]
            inc = hours_of[s_e].astype(bool)  # (n_c, 168): edge covers hour
            sig = (salt[s_e][:, None] * inc).sum(axis=0)  # one signature per hour
            cnt = inc.sum(axis=0)
            hs = np.flatnonzero(cnt >= 2)
            if len(hs):
                _, first = np.unique(sig[hs], return_index=True)
                for h in hs[first].tolist():
                    members = ed[inc[:, h]]
                    rows.append(np.full(len(members), n_rows, np.int64))
                    cols.append(members)
                    vals.append(np.ones(len(members)))
                    ub.append(np.ones(1))
                    n_rows += 1
            part = ed[~edges.live_in[edges.demand[ed]]]
            c = int(cand[starts[g]])
            if len(part) >= 2 and edges.hours[edges.demand[part]].sum() > edges.cap[c]:
                rows.append(np.full(len(part), n_rows, np.int64))
                cols.append(part)
                vals.append(edges.hours[edges.demand[part]])
                ub.append(np.array([edges.cap[c]]))
                n_rows += 1
    a = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, e)
    )
    return a, np.concatenate(ub)


def _milp(
    score: npt.NDArray[np.float64],
    a: sp.csr_matrix,
    ub: npt.NDArray[np.float64],
    time_limit: float,
) -> tuple[npt.NDArray[np.bool_] | None, float, bool]:
    """Exact 0/1 programme: chosen edges, proven upper bound, whether proven optimal."""
    res = milp(
        c=-score,
        constraints=LinearConstraint(a, -np.inf, ub),
        integrality=np.ones(len(score)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9, "presolve": True},
    )
    if res.x is None:
        return None, float("inf"), False
    bound = getattr(res, "mip_dual_bound", None)
    up = -float(bound) if bound is not None else float("inf")
    return np.asarray(res.x > 0.5), up, bool(res.status == 0)


def _lp_then_residual(
    score: npt.NDArray[np.float64],
    demand_row: npt.NDArray[np.int64],
    a: sp.csr_matrix,
    ub: npt.NDArray[np.float64],
    time_limit: float,
) -> tuple[npt.NDArray[np.bool_] | None, float, bool]:
    """LP relaxation (its value bounds the optimum), then an exact MILP on its fractional part.

    Edges the LP sets to 1 are kept; the programme on every edge of the other demands,
    with the rows' leftover capacity, is solved exactly.
    Optimal when the total reaches the LP bound (always when the LP is integral).
    """
    t0 = time.perf_counter()
    lp = linprog(-score, A_ub=a, b_ub=ub, bounds=(0, 1), method="highs-ds")
    if lp.x is None:
        return None, float("inf"), False
    bound = -float(lp.fun)
    x = lp.x
    ones = x > 1 - 1e-7
    # free: every edge of a demand the LP did not settle on one edge
    settled = np.zeros(int(a.shape[0]), bool)
    settled[np.asarray(a[:, np.flatnonzero(ones)].getnnz(axis=1)) > 0] = True
    frac = np.flatnonzero(~ones & ~settled[demand_row])
    chosen = ones.copy()
    if len(frac):
        left = ub - a @ ones.astype(np.float64)
        sub = a[:, frac]
        rows = np.flatnonzero(sub.getnnz(axis=1))
        rest = max(time_limit - (time.perf_counter() - t0), 1.0)
        pick, _, _ = _milp(score[frac], sub[rows], left[rows], rest)
        if pick is not None:
            chosen[frac[pick]] = True
    total = float(score[chosen].sum())
    return chosen, bound, bool(total >= bound - 1e-9)


def solve(edges: Edges, time_limit: float = 60.0, exact_edges: int = 30_000) -> Assignment:
    """Maximise the total score over ``edges`` (HiGHS), compared with greedy.

    Up to ``exact_edges`` edges the whole 0/1 programme goes to HiGHS's MILP solver
    (optimal over the edges unless ``time_limit`` stops it). Above, the LP relaxation is
    solved first and only its fractional part goes to the MILP solver: the result is
    feasible, and its gap to the LP bound is reported (zero when the LP is integral).
    """
    t0 = time.perf_counter()
    greedy_pairs = greedy(edges)
    greedy_total = sum(s for _, _, s in greedy_pairs)
    t1 = time.perf_counter()
    e = len(edges.score)
    if e == 0:
        return Assignment([], 0.0, 0.0, 0.0, True, "empty", 0, {"greedy_s": t1 - t0})
    a, ub = _model(edges)
    t2 = time.perf_counter()
    if e <= exact_edges:
        method = "milp"
        x, bound, optimal = _milp(edges.score, a, ub, time_limit)
    else:
        method = "lp+milp"
        x, bound, optimal = _lp_then_residual(edges.score, edges.demand, a, ub, time_limit)
    t3 = time.perf_counter()
    timings = {"greedy_s": t1 - t0, "model_s": t2 - t1, "solve_s": t3 - t2}
    pairs: list[tuple[int, int, float]] = []
    if x is not None:
        pairs = [
            (int(j), int(c), float(s))
            for j, c, s in zip(edges.demand[x], edges.candidate[x], edges.score[x], strict=True)
        ]
    total = sum(s for _, _, s in pairs)
    bound = max(bound, total, greedy_total) if math.isfinite(bound) else bound
    if x is None or total < greedy_total or not is_feasible(edges, pairs):
        # the solver stopped early with a worse incumbent: never return less than greedy
        return Assignment(
            greedy_pairs, greedy_total, greedy_total, bound, False, "greedy", e, timings
        )
    pairs.sort()
    return Assignment(pairs, total, greedy_total, bound, optimal, method, e, timings)


def assign(
    index: MatchIndex,
    demands: Sequence[Demand],
    k: int | None = 20,
    time_limit: float = 60.0,
    exact_edges: int = 30_000,
) -> Assignment:
    """Assign many demands at once, maximising the total score (see module notes).

    Parameters
    ----------
    index : MatchIndex
    demands : sequence of Demand, length d
    k : int or None, default 20
        Edges kept per demand (its top-k eligible candidates); ``None`` keeps all, and the
        result is then optimal over every eligible pair.
    time_limit : float, default 60
        Seconds for the solver; if it stops early the best solution found is returned
        (never worse than greedy) with ``optimal=False``.
    exact_edges : int, default 30,000
        Largest number of edges sent whole to the MILP solver (see :func:`solve`).
    """
    t0 = time.perf_counter()
    edges = build_edges(index, demands, k)
    t1 = time.perf_counter()
    result = solve(edges, time_limit, exact_edges)
    timings = {"edges_s": t1 - t0, **result.timings}
    return Assignment(
        result.pairs,
        result.total,
        result.greedy_total,
        result.bound,
        result.optimal,
        result.method,
        result.n_edges,
        timings,
    )
