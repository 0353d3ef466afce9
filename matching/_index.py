"""The spatial index that ranks and explains candidates for a demand."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from . import contract
from ._geo import EARTH_RADIUS_KM, unit_vectors
from ._kernel import (
    BASE,
    FILTERS,
    FREE_WEEK,
    FloatArray,
    FreeArray,
    IntArray,
    Query,
    Store,
    components,
    distances,
    eligible,
    filter_masks,
    free_hours,
    prepare,
    scores,
    static_components,
)
from ._model import (
    ARRANGEMENT_BITS,
    COMPONENTS,
    NOT_HELD,
    Candidate,
    Candidates,
    Demand,
    Rules,
)
from ._schedule import Schedule

_KM_PER_DEG: float = math.pi * EARTH_RADIUS_KM / 180.0
_MAX_CELLS = 4_000_000
_MAX_KEY_TABLE = 40_000_000
# Upper bounds (km, inclusive) of the travel-radius bands the grid is split by.
_BANDS = np.array([2.0, 5.0, 8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0, np.inf])
_BAND_IDS = np.arange(len(_BANDS))
_N_FLAGS = 16  # arrangement bits and FREE_WEEK
# The first search reach of a top-k query searched outwards (km; see ``dense_slots``).
_FIRST_REACH_KM = 2.0
# Scores are rounded to 2**-36; a bound must clear the k-th score by more than that.
_BOUND_MARGIN = 1e-9
_SCHEDULE = COMPONENTS.index("schedule")
_CONTINUITY = COMPONENTS.index("continuity")
_EXPERIENCE = COMPONENTS.index("experience")
_FEEDBACK = COMPONENTS.index("feedback")


def _groups(bit: int, need_free_week: bool) -> npt.NDArray[np.int64]:
    return np.array(
        [f for f in range(_N_FLAGS) if f & bit and (f & FREE_WEEK or not need_free_week)],
        dtype=np.int64,
    )


_GROUPS = {
    "live_in": _groups(ARRANGEMENT_BITS["live_in"], True),
    "hourly": _groups(ARRANGEMENT_BITS["hourly"], False),
    "night": _groups(ARRANGEMENT_BITS["night"], False),
}


class Ranked(NamedTuple):
    """The top-k as arrays (:meth:`MatchIndex.rank_arrays`), best first; ``k' <= k``.

    ``components`` has shape ``(k', 9)``, columns in ``COMPONENTS`` order; the other
    arrays shape ``(k',)``.
    """

    ids: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]
    distance_km: npt.NDArray[np.float64]
    components: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Match:
    """A ranked candidate with its score and every component value (each in [0, 1])."""

    id: int
    score: float
    distance_km: float
    components: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    """Why a candidate is, or is not, eligible for a demand.

    ``code`` is the first failing filter of ``FILTERS`` (``None`` when eligible) and
    ``message`` says it with numbers; for an eligible candidate ``score`` and
    ``components`` hold the breakdown.
    """

    candidate_id: int
    eligible: bool
    code: str | None
    message: str
    distance_km: float
    score: float | None = None
    components: dict[str, float] | None = None


class MatchIndex:
    """Ranks the candidates who could serve a demand; updatable without a rebuild.

    Candidates are kept in slots sorted by a latitude/longitude grid cell, so a query
    reads the few grid rows around the demand (cost grows with the nearby candidates,
    not with the register). Updates append to a small delta region scanned by brute
    force and tombstone the old slot; the grid is rebuilt when the delta grows past
    ``delta_threshold``.

    Parameters
    ----------
    rules : Rules, optional
        Weights, scoring parameters and contract limits.
    cell_km : float, default 4.0
        Grid cell edge (north-south) in km.
    delta_threshold : int, default 4096
        Appended or changed candidates scanned by brute force before the grid is rebuilt.
    dense_slots : int, default 30000
        A top-k query whose grid cells within the family's maximum distance hold more
        candidates than this is searched outwards from the family, pruned by the
        score's upper bound (same result, less work where the register is dense).
    """

    def __init__(
        self,
        rules: Rules | None = None,
        cell_km: float = 4.0,
        delta_threshold: int = 4096,
        dense_slots: int = 30_000,
    ) -> None:
        self.rules = rules if rules is not None else Rules()
        self.cell_km = cell_km
        self.delta_threshold = delta_threshold
        self.dense_slots = dense_slots

    # -- building -----------------------------------------------------------------------
    def fit(self, candidates: Candidates) -> MatchIndex:
        """Build the index over ``candidates`` (n rows); returns ``self``."""
        if not self.cell_km > 0:
            raise ValueError("cell_km must be > 0")
        self.vocabulary_ = candidates.vocabulary
        self.weights_ = self.rules.weights.normalised()
        n = len(candidates)
        # headroom for the delta region, so that updates never reallocate the columns
        st = Store(n + self.delta_threshold + 16, candidates.qual_expiry.shape[0])
        self.store_ = st
        self.id_to_slot_: dict[int, int] = {}
        self._trained_pos: list[int] = []
        self._n_built = 0
        self._dead_built = 0
        self._append_columns(candidates)
        self._rebuild()
        return self

    def _trained_positions(self) -> list[int]:
        voc = self.vocabulary_
        out = []
        for c in sorted(contract.TRAINED_QUALIFICATIONS):
            p = voc.code("qualifications", c, add=False)
            if p is not None:
                out.append(p)
        return out

    def _append_columns(self, c: Candidates) -> IntArray:
        st = self.store_
        n = len(c)
        first = st.n
        for i in c.ids.tolist():
            old = self.id_to_slot_.get(i)
            if old is not None:
                self._tombstone(old)
        st.reserve(first + n, c.qual_expiry.shape[0])
        sl = slice(first, first + n)
        st.ids[sl] = c.ids
        st.lat[sl] = c.lat
        st.lon[sl] = c.lon
        xyz = unit_vectors(c.lat, c.lon)
        st.x[sl], st.y[sl], st.z[sl] = xyz[:, 0], xyz[:, 1], xyz[:, 2]
        st.radius[sl] = c.travel_radius_km
        st.alive[sl] = True
        st.active[sl] = c.is_active
        st.arrangements[sl] = c.arrangements
        st.qual_expiry[:, sl] = NOT_HELD
        st.qual_expiry[: c.qual_expiry.shape[0], sl] = c.qual_expiry
        pos = self._trained_positions()
        q = st.qual_expiry[:, sl]
        st.trained_expiry[sl] = q[pos].max(axis=0) if pos else NOT_HELD
        st.languages[sl] = c.languages
        st.conditions[sl] = c.conditions
        st.gender[sl] = c.gender
        st.available_from[sl] = c.available_from
        st.avail[sl] = c.availability
        st.busy[sl] = c.busy
        st.busy_hours[sl] = np.bitwise_count(c.busy).sum(axis=1)
        st.has_live_in[sl] = c.has_live_in_placement
        live_in = c.has_live_in_placement[:, None]
        free = np.where(live_in, np.uint64(0), c.availability & ~c.busy)
        st.free0[sl], st.free1[sl], st.free2[sl] = free[:, 0], free[:, 1], free[:, 2]
        base = c.is_active & ~c.has_live_in_placement
        free_week = (st.busy_hours[sl] == 0) & ~c.has_live_in_placement
        st.flags[sl] = (
            c.arrangements | np.where(free_week, FREE_WEEK, 0) | np.where(base, BASE, 0)
        ).astype(np.uint8)
        st.years[sl] = c.years_experience
        st.feedback[sl] = c.feedback
        exp, fb = static_components(
            c.years_experience,
            c.feedback,
            self.rules.experience_saturation_years,
            self.rules.feedback_neutral,
        )
        w = self.weights_
        st.static[sl] = exp * w[_EXPERIENCE] + fb * w[_FEEDBACK]
        # an upper bound of ``static`` over the index (removals leave it as it is)
        self._static_max = max(
            getattr(self, "_static_max", 0.0), float(st.static[sl].max(initial=0.0))
        )
        st.n = first + n
        for k, i in enumerate(c.ids.tolist()):
            self.id_to_slot_[i] = first + k
        self._max_radius = max(
            getattr(self, "_max_radius", 0.0), float(c.travel_radius_km.max(initial=0.0))
        )
        return np.arange(first, first + n)

    def _rebuild(self) -> None:
        """Drop removed slots and sort the rest by (radius band, flags, grid cell)."""
        st = self.store_
        alive = np.flatnonzero(st.alive[: st.n])
        lat = st.lat[alive]
        lon = st.lon[alive]
        if len(alive):
            lat_min, lat_max = float(lat.min()), float(lat.max())
            lon_min, lon_max = float(lon.min()), float(lon.max())
        else:
            lat_min = lat_max = lon_min = lon_max = 0.0
        dlat = self.cell_km / _KM_PER_DEG
        mid = math.radians(max(abs(lat_min), abs(lat_max)))
        dlon = dlat / max(math.cos(mid), 0.05)
        nrows = int((lat_max - lat_min) / dlat) + 1
        ncols = int((lon_max - lon_min) / dlon) + 1
        while nrows * ncols > _MAX_CELLS:
            dlat *= 2.0
            dlon *= 2.0
            nrows = int((lat_max - lat_min) / dlat) + 1
            ncols = int((lon_max - lon_min) / dlon) + 1
        rows = np.minimum(((lat - lat_min) / dlat).astype(np.int64), nrows - 1)
        cols = np.minimum(((lon - lon_min) / dlon).astype(np.int64), ncols - 1)
        band = np.searchsorted(_BANDS, st.radius[alive], side="left")
        flags = st.flags[alive]
        group = band * _N_FLAGS + (flags & (_N_FLAGS - 1))
        keys = group * (nrows * ncols) + rows * ncols + cols
        keys[(flags & BASE) == 0] = -1  # never eligible: kept for explain, never searched
        order = np.argsort(keys, kind="stable")
        st.permute(alive[order])
        st.reserve(st.n + self.delta_threshold + 16, st.qual_expiry.shape[0])
        self._keys = keys[order]
        n_keys = len(_BANDS) * _N_FLAGS * nrows * ncols
        self._key_start: npt.NDArray[np.int32] | None = None
        if n_keys <= _MAX_KEY_TABLE and st.n < 2**31:
            # where each key starts in the sorted slots: two gathers per query instead
            # of two binary searches
            counts = np.bincount(self._keys[self._keys >= 0], minlength=n_keys)
            start = np.empty(n_keys + 1, np.int32)
            start[0] = int((self._keys < 0).sum())
            np.cumsum(counts, out=start[1:])
            start[1:] += start[0]
            self._key_start = start
        self._grid = (lat_min, lon_min, dlat, dlon, nrows, ncols)
        self._n_built = st.n
        self._dead_built = 0  # removed slots still in the grid: flags must be checked
        self.id_to_slot_ = dict(zip(st.ids[: st.n].tolist(), range(st.n), strict=True))
        self._max_radius = float(st.radius[: st.n].max(initial=0.0))
        self._trained_pos = self._trained_positions()

    def compact(self) -> None:
        """Merge the delta region into the grid and drop removed candidates now."""
        self._rebuild()

    # -- updates ------------------------------------------------------------------------
    def upsert(self, candidate: Candidate | Candidates) -> None:
        """Add or replace candidates (matched by id); visible to the next query."""
        table = (
            Candidates.from_records([candidate], self.vocabulary_)
            if isinstance(candidate, Candidate)
            else candidate
        )
        if table.vocabulary is not self.vocabulary_:
            raise ValueError("the candidates must be encoded with the index's vocabulary")
        if self._trained_pos != self._trained_positions():
            # a trained qualification was first seen: refresh the derived column. A code
            # first seen in this table has no row in the store yet (nobody stored holds it).
            st = self.store_
            pos = self._trained_positions()
            stored = [p for p in pos if p < st.qual_expiry.shape[0]]
            st.trained_expiry[: st.n] = (
                st.qual_expiry[stored, : st.n].max(axis=0) if stored else NOT_HELD
            )
            self._trained_pos = pos
        self._append_columns(table)
        self._maybe_rebuild()

    def _maybe_rebuild(self) -> None:
        if self.store_.n - self._n_built + self._dead_built > self.delta_threshold:
            self._rebuild()

    def remove(self, candidate_id: int) -> None:
        """Remove a candidate; unknown ids raise ``KeyError``."""
        self._tombstone(self.id_to_slot_.pop(int(candidate_id)))
        self._maybe_rebuild()

    def _tombstone(self, slot: int) -> None:
        st = self.store_
        st.alive[slot] = False
        st.flags[slot] &= np.uint8(~BASE & 0xFF)
        if slot < self._n_built:
            self._dead_built += 1

    def __len__(self) -> int:
        return len(self.id_to_slot_)

    def __contains__(self, candidate_id: object) -> bool:
        return candidate_id in self.id_to_slot_

    def candidate(self, candidate_id: int) -> Candidate:
        """The stored record of a candidate (``KeyError`` when unknown)."""
        st = self.store_
        s = self.id_to_slot_[int(candidate_id)]
        voc = self.vocabulary_
        quals: dict[str, dt.date | None] = {}
        for code, p in voc.codes("qualifications").items():
            v = int(st.qual_expiry[p, s]) if p < st.qual_expiry.shape[0] else NOT_HELD
            if v != NOT_HELD:
                quals[code] = None if v == 2**31 - 1 else dt.date.fromordinal(v)
        genders = {p: c for c, p in voc.codes("genders").items()}
        af = int(st.available_from[s])
        fb = float(st.feedback[s])
        return Candidate(
            id=int(st.ids[s]),
            lat=float(st.lat[s]),
            lon=float(st.lon[s]),
            travel_radius_km=float(st.radius[s]),
            is_active=bool(st.active[s]),
            arrangements=frozenset(
                a for a, b in ARRANGEMENT_BITS.items() if int(st.arrangements[s]) & b
            ),
            qualifications=quals,
            languages=frozenset(voc.decode("languages", int(st.languages[s]))),
            gender=genders.get(int(st.gender[s])),
            available_from=None if af == 0 else dt.date.fromordinal(af),
            availability=Schedule.from_words(st.avail[s]),
            busy=Schedule.from_words(st.busy[s]),
            has_live_in_placement=bool(st.has_live_in[s]),
            years_experience=float(st.years[s]),
            conditions=frozenset(voc.decode("conditions", int(st.conditions[s]))),
            feedback=None if math.isnan(fb) else fb,
        )

    # -- queries ------------------------------------------------------------------------
    def _prepare(self, demand: Demand) -> Query:
        return prepare(demand, self.rules, self.vocabulary_, self.weights_, self.id_to_slot_)

    def _near(
        self, qr: Query, reach_km: float = math.inf, limit: int | None = None
    ) -> tuple[IntArray, int] | None:
        """Slots in the grid cells around the demand (a superset of the distance filters).

        For each travel-radius band the search radius is ``min(max distance, band's
        largest radius, reach_km)``; only the flag groups that can pass the arrangement
        and live-in rules are read, one contiguous slice per (band, group, grid row).
        Every grid slot left out is farther than ``reach_km``; the delta region (slots
        changed since the last rebuild) is always included. ``None`` when the grid
        holds more than ``limit`` such slots (counted before they are listed).
        """
        st = self.store_
        parts: list[IntArray] = []
        if self._n_built:
            lat_min, lon_min, dlat, dlon, nrows, ncols = self._grid
            lat, lon = qr.demand.lat, qr.demand.lon
            reach = min(qr.max_km, reach_km, self._max_radius)
            ang = np.minimum(_BANDS, reach)
            ang = ang / EARTH_RADIUS_KM + 1e-6
            ddeg = np.degrees(ang)
            r0 = np.maximum(np.floor((lat - ddeg - lat_min) / dlat), 0).astype(np.int64)
            r1 = np.minimum(np.floor((lat + ddeg - lat_min) / dlat), nrows - 1).astype(np.int64)
            ratio = np.sin(ang) / max(math.cos(math.radians(lat)), 1e-12)
            dl = np.degrees(np.arcsin(np.minimum(ratio, 1.0)))
            full = (ang >= math.pi / 2) | (ratio >= 1.0) | (abs(lat) + ddeg >= 90.0)
            full |= (lon - dl < -180.0) | (lon + dl > 180.0)
            c0 = np.where(full, 0, np.maximum(np.floor((lon - dl - lon_min) / dlon), 0))
            c1 = np.where(
                full, ncols - 1, np.minimum(np.floor((lon + dl - lon_min) / dlon), ncols - 1)
            )
            nr = np.maximum(r1 - r0 + 1, 0) * (c0 <= c1)
            total = int(nr.sum())
            if total:
                band = np.repeat(_BAND_IDS, nr)
                row = r0[band] + np.arange(total) - np.repeat(np.cumsum(nr) - nr, nr)
                cells = nrows * ncols
                base = band * (_N_FLAGS * cells) + row * ncols
                groups = _GROUPS[qr.demand.arrangement] * cells
                lo = (base + c0[band].astype(np.int64))[None, :] + groups[:, None]
                hi = (base + c1[band].astype(np.int64) + 1)[None, :] + groups[:, None]
                if self._key_start is not None:
                    starts = self._key_start[lo.ravel()].astype(np.intp)
                    lengths = self._key_start[hi.ravel()] - starts
                else:
                    starts = np.searchsorted(self._keys, lo.ravel())
                    lengths = np.searchsorted(self._keys, hi.ravel()) - starts
                n_idx = int(lengths.sum())
                if limit is not None and n_idx > limit:
                    return None
                if n_idx:
                    shift = starts - (np.cumsum(lengths) - lengths)
                    parts.append(np.arange(n_idx) + np.repeat(shift, lengths))
        n_grouped = len(parts[0]) if parts and not self._dead_built else 0
        if st.n > self._n_built:
            parts.append(np.arange(self._n_built, st.n))
        if not parts:
            return np.zeros(0, np.intp), 0
        idx = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return idx, n_grouped

    def _eligible(
        self, qr: Query, reach_km: float = math.inf
    ) -> tuple[IntArray, npt.NDArray[np.float64], FreeArray]:
        near = self._near(qr, reach_km)
        assert near is not None
        return eligible(self.store_, near[0], qr, near[1])

    def _bounds(self, qr: Query) -> tuple[float, float, float]:
        """``(w_distance, w_schedule, rest)``: a candidate ``d`` km away with ``f`` free
        hours scores at most ``w_distance * 0.5 ** (d / half_life) + w_schedule * f /
        total + rest + static`` (her ``Store.static``, at most ``_static_max``).

        Both are her exact components; qualifications, languages, conditions and
        gender are at most 1 each; continuity at most the largest value the demand
        gives (0 without continuity).
        """
        w = qr.weights
        cont = float(qr.cont_values.max()) if len(qr.cont_values) else 0.0
        exact = w[0] + w[_SCHEDULE] + w[_CONTINUITY] + w[_EXPERIENCE] + w[_FEEDBACK]
        rest = float(w.sum() - exact) + float(w[_CONTINUITY]) * cont
        return float(w[0]), float(w[_SCHEDULE]), rest

    def _ranked(
        self, qr: Query, k: int | None
    ) -> tuple[IntArray, npt.NDArray[np.float64], FloatArray, FloatArray]:
        """Eligible slots that can reach the top ``k`` (all when k is None): slots,
        distances, components ``(m, 9)`` and scores.

        Searched outwards, from ``_FIRST_REACH_KM`` around the demand. Once ``k``
        candidates are found, their k-th best score ``kth`` only grows as the search
        widens, and a candidate whose score bound (``_bounds``: her distance and static
        components) is below it cannot enter the top k: later searches read only the
        candidates that can, and stop at the distance beyond which even the best static
        components fall short. The result holds the exact top k, found where the
        register is dense without scoring everyone within the family's maximum distance.
        """
        st = self.store_
        near = self._near(qr, limit=None if k is None or k <= 0 else self.dense_slots)
        if near is not None:  # few enough to score them all
            slots, d, free = eligible(st, near[0], qr, near[1])
            comp = components(st, slots, d, free, qr)
            return slots, d, comp, scores(comp, qr.weights)
        assert k is not None
        full = min(qr.max_km, self._max_radius)
        reach = _FIRST_REACH_KM
        w_dist, w_sched, rest = self._bounds(qr)
        kth = -math.inf
        while True:
            near = self._near(qr, reach)
            assert near is not None
            slots, n_grouped = near
            known = None
            if kth > -math.inf:
                d, free = distances(st, slots, qr), free_hours(st, slots, qr)
                bound = w_dist * np.exp2(-d / qr.half_life) + st.static.take(slots)
                bound += w_sched * (free / qr.total_hours)
                keep = bound + rest >= kth
                n_grouped = int(np.count_nonzero(keep[:n_grouped]))
                slots, known = slots[keep], (d[keep], free[keep])
            slots, d, free = eligible(st, slots, qr, n_grouped, known)
            comp = components(st, slots, d, free, qr)
            sc = scores(comp, qr.weights)
            if reach >= full:
                return slots, d, comp, sc
            if len(sc) < k:
                # candidates grow with the area: aim for twice k in the next search
                reach *= min(max(math.sqrt(2.0 * k / max(len(sc), 1)), 2.0), 8.0)
                continue
            # the top k so far stay in every wider search, so kth never decreases
            kth = float(np.partition(sc, len(sc) - k)[len(sc) - k]) - _BOUND_MARGIN
            margin = kth - rest - w_sched - self._static_max
            if w_dist <= 0.0 or margin <= 0.0:
                needed = math.inf
            else:
                needed = qr.half_life * math.log2(w_dist / margin)
            if needed <= reach:
                return slots, d, comp, sc
            reach = needed

    def rank_arrays(self, demand: Demand, k: int | None = 20) -> Ranked:
        """The top-k as arrays, without building objects (every eligible one when k is
        None); see :class:`Ranked`."""
        qr = self._prepare(demand)
        slots, d, comp, sc = self._ranked(qr, k)
        ids = self.store_.ids[slots]
        if k is not None and len(sc) > k:
            if k <= 0:
                return Ranked(ids[:0], sc[:0], d[:0], comp[:0])
            kth = np.partition(sc, len(sc) - k)[len(sc) - k]
            sel = np.flatnonzero(sc >= kth)
        else:
            sel = np.arange(len(sc))
        order = sel[np.lexsort((ids[sel], -sc[sel]))][: (len(sel) if k is None else k)]
        return Ranked(ids[order], sc[order], d[order], comp[order])

    def rank(self, demand: Demand, k: int | None = 20) -> list[Match]:
        """The best ``k`` eligible candidates, by score desc then id asc.

        Parameters
        ----------
        demand : Demand
        k : int or None, default 20
            ``None`` ranks every eligible candidate.

        Returns
        -------
        list of Match
            At most ``k``, each with its score, distance and every component value.
        """
        ids, sc, d, comp = self.rank_arrays(demand, k)
        return [
            Match(i, s, dd, dict(zip(COMPONENTS, cc, strict=True)))
            for i, s, dd, cc in zip(
                ids.tolist(), sc.tolist(), d.tolist(), comp.tolist(), strict=True
            )
        ]

    def explain(self, demand: Demand, candidate_id: int) -> Explanation:
        """The first hard filter excluding a candidate, or its score breakdown.

        Raises
        ------
        KeyError
            When no candidate has this id.
        """
        st = self.store_
        slot = self.id_to_slot_[int(candidate_id)]
        qr = self._prepare(demand)
        slots = np.array([slot], dtype=np.intp)
        d = distances(st, slots, qr)
        free = free_hours(st, slots, qr)
        dist = float(d[0])
        for code, mask in filter_masks(st, slots, d, free, qr):
            if not mask[0]:
                return Explanation(
                    int(candidate_id),
                    False,
                    code,
                    self._message(code, slot, dist, int(free[0]), qr),
                    dist,
                )
        comp = components(st, slots, d, free, qr)
        sc = float(scores(comp, qr.weights)[0])
        parts = dict(zip(COMPONENTS, comp[0].tolist(), strict=True))
        return Explanation(
            int(candidate_id),
            True,
            None,
            f"eligible: score {sc:.3f} at {dist:.1f} km",
            dist,
            sc,
            parts,
        )

    def _message(self, code: str, slot: int, dist: float, free: int, qr: Query) -> str:
        st = self.store_
        dem = qr.demand
        voc = self.vocabulary_
        if code == "inactive":
            return "not verified or not active"
        if code == "distance":
            return f"distance {dist:.1f} km > family's maximum {qr.max_km:g} km"
        if code == "travel_radius":
            return f"travel radius {float(st.radius[slot]):g} km < distance {dist:.1f} km"
        if code == "qualification":
            for c in sorted(dem.required_qualifications):
                p = voc.code("qualifications", c, add=False)
                v = NOT_HELD
                if p is not None and p < st.qual_expiry.shape[0]:
                    v = int(st.qual_expiry[p, slot])
                if v == NOT_HELD:
                    return f"required qualification {c} not held"
                if v < qr.start:
                    return (
                        f"required qualification {c} expired on "
                        f"{dt.date.fromordinal(v).isoformat()}, before the start "
                        f"{dem.start_date.isoformat()}"
                    )
            return "a required qualification is missing"  # pragma: no cover
        if code == "arrangement":
            held = [a for a, b in ARRANGEMENT_BITS.items() if int(st.arrangements[slot]) & b]
            return f"does not accept {dem.arrangement} (accepts {', '.join(held) or 'none'})"
        if code == "language":
            return (
                f"speaks none of the required languages {', '.join(sorted(dem.required_languages))}"
            )
        if code == "gender":
            genders = {p: c for c, p in voc.codes("genders").items()}
            g = genders.get(int(st.gender[slot]), "unknown")
            return f"gender {g}, the family requires {dem.gender}"
        if code == "available_from":
            af = dt.date.fromordinal(int(st.available_from[slot])).isoformat()
            return f"available from {af}, after the start {dem.start_date.isoformat()}"
        if code == "free_hours":
            if st.has_live_in[slot]:
                return "has a live-in placement, so no free hours"
            if dem.arrangement == "live_in" and st.busy_hours[slot] > 0:
                return (
                    f"a live-in placement needs the whole week free; "
                    f"{int(st.busy_hours[slot])} h/week already busy"
                )
            return (
                f"free {free} of {qr.total_hours} h ({100 * free / qr.total_hours:.0f}%) "
                f"< required {100 * qr.min_share:.0f}%"
            )
        if code == "weekly_hours":
            if qr.weekly > qr.limit:
                kind = "part-time live-in" if dem.live_in_part_time else dem.arrangement
                return f"{kind} {qr.weekly:g} h/week > limit {qr.limit:g} h"
            busy = int(st.busy_hours[slot])
            return (
                f"existing {busy} h + requested {qr.weekly:g} h = {busy + qr.weekly:g} h/week "
                f"> the assistant's limit {qr.total_limit:g} h"
            )
        return code  # pragma: no cover


__all__ = ["FILTERS", "Explanation", "Match", "MatchIndex", "Ranked"]
