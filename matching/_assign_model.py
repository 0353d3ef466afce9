"""The 0/1 programme of a bulk assignment, vectorised: rows, exact reductions, components.

All functions work on a subset of the edges (``idx``, positions in the ``Edges`` arrays),
so that the programme can be reduced and split without copying the edges.

Hours are grouped into *classes*: two hours are in the same class when exactly the same
demand schedules cover them. A candidate's conflicts are then "two of its edges cover a
common class", and its clique rows are one per distinct set of edges covering a class.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

if TYPE_CHECKING:
    from ._assign import Edges

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Classes:
    """Hour classes of the demands' schedules.

    ``sched`` (d,) is each demand's distinct-schedule id; ``start``/``flat`` list, for
    each distinct schedule ``s``, the classes it covers: ``flat[start[s]:start[s + 1]]``;
    ``n`` is the number of classes.
    """

    sched: IntArray
    start: IntArray
    flat: IntArray
    n: int


def hour_classes(words: npt.NDArray[np.uint64]) -> Classes:
    """Group the 168 hours by the set of distinct schedules covering them."""
    if len(words) == 0:
        z = np.zeros(1, np.int64)
        return Classes(np.zeros(0, np.int64), z, np.zeros(0, np.int64), 0)
    uniq, sched = np.unique(words, axis=0, return_inverse=True)
    hours_of = np.unpackbits(uniq.view(np.uint8), axis=1, bitorder="little")[:, :168]
    covered = hours_of.any(axis=0)
    cols, hour_class = np.unique(hours_of[:, covered].T, axis=0, return_inverse=True)
    cover = cols.T.astype(bool)  # (schedules, classes)
    counts = cover.sum(axis=1)
    start = np.zeros(len(uniq) + 1, np.int64)
    np.cumsum(counts, out=start[1:])
    flat = np.nonzero(cover)[1].astype(np.int64)
    del hour_class
    return Classes(sched.reshape(-1).astype(np.int64), start, flat, int(cover.shape[1]))


def entries(cls: Classes, demand: IntArray) -> tuple[IntArray, IntArray]:
    """(position, class) pairs: every class covered by each given demand's schedule."""
    s = cls.sched[demand]
    n = cls.start[s + 1] - cls.start[s]
    pos = np.repeat(np.arange(len(demand), dtype=np.int64), n)
    offs = np.arange(int(n.sum()), dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)
    return pos, cls.flat[cls.start[s][pos] + offs]


def _group(values: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct values, each element's group and each group's size."""
    u, inv, cnt = np.unique(values, return_inverse=True, return_counts=True)
    return u, inv.reshape(-1).astype(np.int64), cnt.astype(np.int64)


def conflicted(
    edges: Edges, cls: Classes, cgrp: IntArray, cap: FloatArray, idx: IntArray
) -> BoolArray:
    """Which edges of ``idx`` are *not free*.

    An edge (j, c) is free when j's schedule overlaps no other demand among c's edges in
    ``idx`` and the hours of all of c's hourly/night edges fit c's cap: whatever else c
    takes, adding j keeps c feasible. ``cgrp`` is each edge's candidate group and ``cap``
    each group's hours still allowed.
    """
    g = cgrp[idx]
    n_c = len(cap)
    size = np.bincount(g, minlength=n_c)[g]
    busy = np.zeros(len(idx), bool)
    multi = np.flatnonzero(size >= 2)
    if len(multi):
        pos, k = entries(cls, edges.demand[idx[multi]])
        key = g[multi][pos] * max(cls.n, 1) + k
        kcnt = np.bincount(key, minlength=n_c * max(cls.n, 1))
        busy[multi[pos[kcnt[key] >= 2]]] = True
    part = ~edges.live_in[edges.demand[idx]]
    hrs = np.bincount(g[part], edges.hours[edges.demand[idx[part]]], minlength=n_c)
    busy |= hrs[g] > cap[g] + 1e-9
    return busy


def reduce(
    edges: Edges, cls: Classes, cgrp: IntArray, cap: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Exact reductions: (edges fixed to 1, edges left, caps left, hourly demands held).

    Repeated until nothing changes, each step keeping the optimum over the edges:

    * a demand with a free edge (see :func:`conflicted`) of score ``f`` never needs an
      edge scoring ``<= f`` other than it (swap it for the free one: no worse, still
      feasible), so those are dropped;
    * a demand left with only a free edge takes it (fixed): it overlaps none of that
      candidate's other edges, and its hours are taken off the candidate's cap (the
      caps left are returned per candidate group, with the number of hourly/night
      demands fixed on each, for the knapsack rows).

    Edges with score <= 0 are dropped (taking them never helps).
    """
    n_dem = len(edges.hours)
    cap = cap.copy()
    held = np.zeros(len(cap), np.int64)
    idx = np.flatnonzero(edges.score > 0).astype(np.int64)
    fixed: list[IntArray] = []
    while len(idx):
        free = ~conflicted(edges, cls, cgrp, cap, idx)
        dem = edges.demand[idx]
        sc = edges.score[idx]
        best_free = np.full(n_dem, -np.inf)
        np.maximum.at(best_free, dem[free], sc[free])
        # one free edge per demand reaching its best free score (lowest position)
        top = np.flatnonzero(free & (sc == best_free[dem]))
        _, first = np.unique(dem[top], return_index=True)
        keep_free = np.zeros(len(idx), bool)
        keep_free[top[first]] = True
        drop = (sc <= best_free[dem]) & ~keep_free
        n_left = np.bincount(dem[~drop], minlength=n_dem)
        settle = keep_free & (n_left[dem] == 1)
        n_out = int(drop.sum() + settle.sum())
        if n_out == 0:
            break
        s_idx = idx[settle]
        part = s_idx[~edges.live_in[edges.demand[s_idx]]]
        np.subtract.at(cap, cgrp[part], edges.hours[edges.demand[part]])
        np.add.at(held, cgrp[part], 1)
        fixed.append(s_idx)
        idx = idx[~drop & ~settle]
        if n_out < 0.002 * (len(idx) + n_out):
            break  # later rounds remove little; what is left is solved exactly anyway
    out = np.concatenate(fixed) if fixed else np.zeros(0, np.int64)
    return np.sort(out), idx, cap, held


def components(edges: Edges, idx: IntArray) -> list[IntArray]:
    """Split ``idx`` into independent parts (demands linked by a shared candidate)."""
    if len(idx) == 0:
        return []
    _, dinv, _ = _group(edges.demand[idx])
    _, cinv, _ = _group(edges.candidate[idx])
    nd = int(dinv.max()) + 1
    nc = int(cinv.max()) + 1
    g = sp.csr_matrix(
        (np.ones(len(idx)), (dinv, cinv + nd)), shape=(nd + nc, nd + nc), dtype=np.float64
    )
    _, lab = connected_components(g, directed=False)
    comp = lab[dinv]
    order = np.argsort(comp, kind="stable")
    bounds = np.flatnonzero(np.r_[True, comp[order][1:] != comp[order][:-1], True])
    return [idx[order[a:b]] for a, b in itertools.pairwise(bounds)]


def model(
    edges: Edges,
    cls: Classes,
    cgrp: IntArray,
    cap: FloatArray,
    held: IntArray,
    idx: IntArray,
) -> tuple[sp.csr_matrix, FloatArray]:
    """Constraint matrix (rows x len(idx)) and row upper bounds over the edges ``idx``.

    * one row per demand: at most one of its edges;
    * per candidate with two or more edges, one row per distinct set of its edges
      covering a common hour class: at most one (identical sets merged);
    * per candidate whose hourly/night edges' hours exceed its cap (per candidate group
      ``cgrp``; ``held`` hourly/night demands already fixed on it): a knapsack row, when
      it could hold two or more hourly/night demands.
    """
    e = len(idx)
    dem = edges.demand[idx]
    _, dinv, _ = _group(dem)
    n_rows = int(dinv.max()) + 1 if e else 0
    rows: list[IntArray] = [dinv]
    cols: list[IntArray] = [np.arange(e, dtype=np.int64)]
    vals: list[FloatArray] = [np.ones(e)]
    ub: list[FloatArray] = [np.ones(n_rows)]
    _, cinv, ccnt = _group(edges.candidate[idx])
    multi = np.flatnonzero(ccnt[cinv] >= 2)
    if len(multi):
        pos, k = entries(cls, dem[multi])
        ecol = multi[pos]
        key = cinv[ecol] * max(cls.n, 1) + k
        ukey, kinv, kcnt = _group(key)
        # a signature of each (candidate, class) edge set: two independent 64-bit sums
        rng = np.random.default_rng(12345)
        salt = rng.integers(1, 2**63, (2, e), dtype=np.int64).astype(np.uint64)
        sig = np.zeros((2, len(ukey)), np.uint64)
        order = np.argsort(kinv, kind="stable")
        starts = np.flatnonzero(np.r_[True, kinv[order][1:] != kinv[order][:-1]])
        for r in range(2):
            sig[r] = np.add.reduceat(salt[r][ecol[order]], starts)
        many = np.flatnonzero(kcnt >= 2)
        cand_of_key = ukey[many] // max(cls.n, 1)
        table = np.stack([cand_of_key.astype(np.uint64), sig[0][many], sig[1][many]], axis=1)
        _, first = np.unique(table, axis=0, return_index=True)
        row_of_key = np.full(len(ukey), -1, np.int64)
        row_of_key[many[first]] = n_rows + np.arange(len(first), dtype=np.int64)
        r_e = row_of_key[kinv]
        sel = r_e >= 0
        rows.append(r_e[sel])
        cols.append(ecol[sel])
        vals.append(np.ones(int(sel.sum())))
        ub.append(np.ones(len(first)))
        n_rows += len(first)
    # knapsack rows
    part = np.flatnonzero(~edges.live_in[dem])
    hrs = edges.hours[dem[part]]
    tot = np.bincount(cinv[part], hrs, minlength=len(ccnt))
    npart = np.bincount(cinv[part], minlength=len(ccnt))
    gc = np.zeros(len(ccnt), np.int64)
    gc[cinv] = cgrp[idx]
    capc = cap[gc]
    need = np.flatnonzero((npart + held[gc] >= 2) & (tot > capc + 1e-9))
    if len(need):
        row_of_c = np.full(len(ccnt), -1, np.int64)
        row_of_c[need] = n_rows + np.arange(len(need), dtype=np.int64)
        rk = row_of_c[cinv[part]]
        sel = rk >= 0
        rows.append(rk[sel])
        cols.append(part[sel])
        vals.append(hrs[sel])
        ub.append(capc[need])
        n_rows += len(need)
    a = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_rows, e)
    )
    return a, np.concatenate(ub)
