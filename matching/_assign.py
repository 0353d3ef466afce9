"""Bulk assignment of many demands at once: no candidate double-booked.

Edges are the top ``k`` eligible candidates of each demand (from the index). A candidate
may take several demands when their schedules do not overlap and its weekly hours stay
within the limit; a live-in demand takes the whole week. The total score is maximised by
a 0/1 programme over the edges (rows built in :mod:`._assign_model`):

* one row per demand: at most one of its edges;
* per candidate with two or more edges, one "clique" row per distinct set of its edges
  sharing an hour (live-in demands count as the whole week): at most one of them;
* per candidate whose edges' weekly hours could exceed its limit, one knapsack row.

Before solving, exact reductions drop edges that an optimal solution never needs and fix
demands whose best edge constrains nobody; what is left splits into independent parts
(demands linked through shared candidates). Small parts are batched into HiGHS's MILP
solver (``scipy.optimize``) with the rows above; a large part is solved exactly by column
generation over candidate *bundles* (:mod:`._assign_bundle`): a set-packing LP whose
columns are the sets of demands one candidate can take together, tight enough to be
integral on the instances measured, closed by a 0/1 programme when it is not.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import time
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from . import _assign_bundle as ab
from . import _assign_model as am
from . import contract
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


class Pair(NamedTuple):
    """One assigned pair: the demand's index in the input, the candidate's id, the score."""

    demand: int
    candidate: int
    score: float


@dataclass(frozen=True)
class Assignment:
    """Result of :func:`assign`.

    ``pairs`` lists the assigned :class:`Pair` s, by demand index; ``greedy_total`` is the total
    of one-by-one greedy proposals over the same edges; ``bound`` is the solver's proven
    upper bound over those edges (``optimal`` when the total reaches it, or when every
    part was proven optimal by HiGHS). ``info`` counts edges fixed by the reductions,
    edges left for the solver and the independent parts they split into.
    """

    pairs: list[Pair]
    total: float
    greedy_total: float
    bound: float
    optimal: bool
    method: str
    n_edges: int
    timings: dict[str, float] = field(default_factory=dict)
    info: dict[str, int] = field(default_factory=dict)


_JOB: tuple[MatchIndex, Sequence[Demand], int | None, Mapping[int, Collection[int]]] | None = None


def _rank_chunk(
    js: list[int],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Rank the demands ``js`` of the current job (in a worker, inherited by fork)."""
    assert _JOB is not None
    index, demands, k, exclude = _JOB
    dem: list[npt.NDArray[np.int64]] = []
    cand: list[npt.NDArray[np.int64]] = []
    score: list[npt.NDArray[np.float64]] = []
    for j in js:
        left_out = exclude.get(j, ())
        ranked = index.rank_arrays(demands[j], None if k is None else k + len(left_out))
        ids, sc = ranked.ids, ranked.scores
        if left_out:
            keep = ~np.isin(ids, np.fromiter(left_out, np.int64, len(left_out)))
            ids, sc = ids[keep][:k], sc[keep][:k]
        dem.append(np.full(len(ids), j, np.int64))
        cand.append(ids)
        score.append(sc)
    if not dem:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    return np.concatenate(dem), np.concatenate(cand), np.concatenate(score)


def _default_workers(n_demands: int) -> int:
    if n_demands < 2_000 or "fork" not in mp.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, n_demands // 1_000))


def build_edges(
    index: MatchIndex,
    demands: Sequence[Demand],
    k: int | None = 20,
    workers: int | None = None,
    exclude: Mapping[int, Collection[int]] | None = None,
) -> Edges:
    """Rank every demand and keep its top ``k`` eligible candidates as edges.

    ``exclude`` maps a demand's index to candidate ids never paired with it; the demand
    keeps its best ``k`` of the others. ``workers`` processes rank chunks of the demands
    in parallel (forked: they read the index as it is, read-only); ``None`` uses every
    core for 2,000 demands or more, 1 (no process) below. The edges are the same
    whatever the number of workers.
    """
    global _JOB
    # demands sorted by place read neighbouring memory one after the other
    order = sorted(range(len(demands)), key=lambda j: (demands[j].lat, demands[j].lon))
    n_work = _default_workers(len(demands)) if workers is None else max(1, workers)
    if "fork" not in mp.get_all_start_methods():
        n_work = 1  # pragma: no cover - not POSIX
    n_work = min(n_work, max(1, len(order)))
    # Interleaved chunks: each worker still walks the demands in place order, and the
    # dense and sparse parts of the region are shared evenly (halves were measured up to
    # 20% apart at 20,000 demands, and the slower one sets the wall time).
    chunks = [order[i::n_work] for i in range(n_work)]
    _JOB = (index, demands, k, exclude or {})
    try:
        if n_work == 1:
            parts = [_rank_chunk(order)]
        else:
            ctx = mp.get_context("fork")
            with ProcessPoolExecutor(n_work - 1, mp_context=ctx) as pool:
                futures = [pool.submit(_rank_chunk, c) for c in chunks[1:]]
                parts = [_rank_chunk(chunks[0])] + [f.result() for f in futures]
    finally:
        _JOB = None
    # Back to place order, demand by demand: the same arrays whatever the workers.
    position = np.empty(len(demands), np.int64)
    position[np.asarray(order, np.int64)] = np.arange(len(order))
    demand_ids = np.concatenate([p[0] for p in parts])
    canonical = np.argsort(position[demand_ids], kind="stable")
    demand_ids = demand_ids[canonical]
    cand_ids = np.concatenate([p[1] for p in parts])[canonical]
    scores = np.concatenate([p[2] for p in parts])[canonical]
    rules = index.rules
    st = index.store_
    limit = float(contract.ASSISTANT_MAX_WEEKLY_HOURS)
    uniq = np.unique(cand_ids)
    slots = np.array([index.id_to_slot_[c] for c in uniq.tolist()], np.int64)
    caps = limit - st.busy_hours[slots].astype(np.float64)
    cap = dict(zip(uniq.tolist(), caps.tolist(), strict=True))
    return Edges(
        demand=demand_ids,
        candidate=cand_ids,
        score=scores,
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


def greedy(edges: Edges) -> list[Pair]:
    """One-by-one proposals: each demand in turn takes its best still-feasible edge."""
    by_demand: dict[int, list[tuple[float, int]]] = {}
    for j, c, s in zip(
        edges.demand.tolist(), edges.candidate.tolist(), edges.score.tolist(), strict=True
    ):
        by_demand.setdefault(j, []).append((-s, c))
    taken: dict[int, list[int]] = {}
    used_hours: dict[int, float] = {}
    out: list[Pair] = []
    for j in sorted(by_demand):
        for neg, c in sorted(by_demand[j]):
            if _feasible(edges, taken.get(c, []), used_hours.get(c, 0.0), j, c):
                taken.setdefault(c, []).append(j)
                if not edges.live_in[j]:
                    used_hours[c] = used_hours.get(c, 0.0) + float(edges.hours[j])
                out.append(Pair(j, c, -neg))
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


def _batches(parts: list[npt.NDArray[np.int64]], size: int) -> list[npt.NDArray[np.int64]]:
    """Small parts grouped into batches of at most ``size`` edges (one solver call each)."""
    out: list[npt.NDArray[np.int64]] = []
    cur: list[npt.NDArray[np.int64]] = []
    n = 0
    for p in sorted(parts, key=len):
        if cur and n + len(p) > size:
            out.append(np.concatenate(cur))
            cur, n = [], 0
        cur.append(p)
        n += len(p)
    if cur:
        out.append(np.concatenate(cur))
    return out


_GREEDY: Edges | None = None


def _greedy_job() -> tuple[list[Pair], float]:
    """Greedy over the current solve's edges (in a forked process) and its seconds."""
    assert _GREEDY is not None
    t = time.perf_counter()
    return greedy(_GREEDY), time.perf_counter() - t


def solve(
    edges: Edges,
    time_limit: float = 60.0,
    exact_edges: int = 30_000,
    decompose: bool = True,
    workers: int = 1,
) -> Assignment:
    """Maximise the total score over ``edges`` (HiGHS), compared with greedy.

    With ``decompose`` (the default) the exact reductions of
    :func:`._assign_model.reduce` run first (they keep the optimum), and the edges left
    split into independent parts (no demand or candidate shared); parts of at most
    ``exact_edges`` edges are batched up to 5,000 edges per call to HiGHS's MILP
    solver; a larger part is solved by bundle column generation
    (:func:`._assign_bundle.solve_bundles`), exact as well. Without ``decompose`` the
    whole programme goes to the MILP solver (a slow reference). ``optimal`` is False
    only when ``time_limit`` stopped a solver before its proof. ``bound`` sums the
    parts' proven bounds and the fixed edges' scores. With ``workers`` > 1 (forked
    processes) the greedy comparison and half of each bundle pricing round run beside the
    solver, which uses one core; the result is the same.
    """
    global _GREEDY
    t0 = time.perf_counter()
    e = len(edges.score)
    if e == 0:
        return Assignment([], 0.0, 0.0, 0.0, True, "empty", 0, {"greedy_s": 0.0})
    forked = workers > 1 and "fork" in mp.get_all_start_methods()
    pool: ProcessPoolExecutor | None = None
    if forked:
        _GREEDY = edges
        pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
        later = pool.submit(_greedy_job)
        _GREEDY = None
        greedy_s = 0.0
    else:
        greedy_pairs = greedy(edges)
        greedy_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    try:
        result = _solve(edges, time_limit, exact_edges, decompose, t1, forked)
    finally:
        if pool is not None:
            greedy_pairs, greedy_s = later.result()
            pool.shutdown()
    greedy_total = sum(s for _, _, s in greedy_pairs)
    pairs, chosen_bound, optimal, method, timings, info = result
    timings = {"greedy_s": greedy_s, **timings}
    total = sum(s for _, _, s in pairs)
    bound = max(chosen_bound, total, greedy_total)
    optimal = optimal or total >= bound - 1e-9
    if total < greedy_total or not is_feasible(edges, pairs):
        # the solver stopped early with a worse incumbent: never return less than greedy
        return Assignment(
            greedy_pairs, greedy_total, greedy_total, bound, False, "greedy", e, timings, info
        )
    pairs.sort()
    return Assignment(pairs, total, greedy_total, bound, optimal, method, e, timings, info)


def _solve(
    edges: Edges, time_limit: float, exact_edges: int, decompose: bool, t1: float, forked: bool
) -> tuple[list[Pair], float, bool, str, dict[str, float], dict[str, int]]:
    """The optimisation of :func:`solve`: (pairs, bound, optimal, method, timings, info)."""
    e = len(edges.score)
    cls = am.hour_classes(edges.words)
    ucand, inv = np.unique(edges.candidate, return_inverse=True)
    cgrp = inv.reshape(-1).astype(np.int64)
    cap = np.array([edges.cap[c] for c in ucand.tolist()], np.float64)
    if decompose:
        fixed, rest, cap_left, held = am.reduce(edges, cls, cgrp, cap)
        parts = am.components(edges, rest)
        batches = _batches([p for p in parts if len(p) <= 5_000], 5_000)
        batches += [p for p in parts if len(p) > 5_000]
    else:
        fixed = np.zeros(0, np.int64)
        rest = np.arange(e, dtype=np.int64)
        cap_left, held = cap, np.zeros(len(cap), np.int64)
        parts = batches = [rest]
    t2 = time.perf_counter()
    chosen = np.zeros(e, bool)
    chosen[fixed] = True
    bound = float(edges.score[fixed].sum())
    optimal = True
    methods: set[str] = set()
    model_s = 0.0
    info: dict[str, int] = {}
    for idx in batches:
        tm = time.perf_counter()
        if len(idx) <= exact_edges or not decompose:
            a, ub = am.model(edges, cls, cgrp, cap_left, held, idx)
        model_s += time.perf_counter() - tm
        left = max(time_limit - (time.perf_counter() - t1), 1.0)
        sc = edges.score[idx]
        if len(idx) <= exact_edges or not decompose:
            methods.add("milp")
            x, b, opt = _milp(sc, a, ub, left)
        else:
            methods.add("bundles")
            x, b, opt, st = ab.solve_bundles(
                edges, idx, cgrp, cap_left, fixed, left, workers=2 if forked else 1
            )
            for key, val in st.items():
                info[f"bundle_{key}"] = int(info.get(f"bundle_{key}", 0) + val)
        # each demand's best edge bounds any part, whatever the solver managed
        best = np.zeros(len(edges.hours))
        np.maximum.at(best, edges.demand[idx], np.maximum(sc, 0.0))
        trivial = float(best.sum())
        bound += min(b, trivial) if math.isfinite(b) else trivial
        optimal &= opt and x is not None
        if x is not None:
            chosen[idx[x]] = True
    t3 = time.perf_counter()
    timings = {
        "reduce_s": t2 - t1,
        "model_s": model_s,
        "solve_s": t3 - t2 - model_s,
    }
    info |= {
        "fixed_edges": len(fixed),
        "solver_edges": len(rest),
        "parts": len(parts),
        "largest_part": max((len(p) for p in parts), default=0),
        "solver_calls": len(batches),
    }
    method = "+".join(sorted(methods)) or "reductions"
    if decompose:
        method = f"reduced, {len(parts)} parts: {method}"
    pairs = [
        Pair(int(j), int(c), float(s))
        for j, c, s in zip(
            edges.demand[chosen], edges.candidate[chosen], edges.score[chosen], strict=True
        )
    ]
    return pairs, bound, optimal, method, timings, info


def assign(
    index: MatchIndex,
    demands: Sequence[Demand],
    k: int | None = 20,
    time_limit: float = 60.0,
    exact_edges: int = 30_000,
    workers: int | None = None,
    exclude: Mapping[int, Collection[int]] | None = None,
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
        Largest number of edges of one part sent to the MILP solver; larger parts go
        to bundle column generation (see :func:`solve`).
    workers : int or None
        Processes ranking the demands (see :func:`build_edges`); above one, the greedy
        comparison and half of the bundle pricing also run in a forked process. A
        server's worker passes 1: it must not fork.
    exclude : mapping of int to collection of int, optional
        Demand index -> candidate ids never paired with it (e.g. already proposed);
        the demand keeps its best ``k`` of the others.

    ``optimal`` means optimal over the kept edges (each demand's top k): proven on every
    part left after the exact reductions (MILP, or bundle LP with an integral or
    closed solution), or the total reached the bound.
    """
    t0 = time.perf_counter()
    edges = build_edges(index, demands, k, workers, exclude)
    t1 = time.perf_counter()
    n_work = _default_workers(len(demands)) if workers is None else max(1, workers)
    result = solve(edges, time_limit, exact_edges, workers=n_work)
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
        result.info,
    )
