"""Vectorised hard filters and score components over a subset of stored candidates.

Both :meth:`MatchIndex.rank` and :meth:`MatchIndex.explain` go through these functions,
so an explanation always agrees with the ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from . import contract
from ._geo import EARTH_RADIUS_KM, unit_vectors
from ._model import ARRANGEMENT_BITS, Demand, Rules, Vocabulary

#: Hard filters in the order they are checked; ``explain`` names the first that fails.
FILTERS: Final = (
    "inactive",
    "distance",
    "travel_radius",
    "qualification",
    "arrangement",
    "language",
    "gender",
    "available_from",
    "free_hours",
    "weekly_hours",
)

#: Flag bit: the candidate has no busy hours and no live-in placement.
FREE_WEEK: Final = 8
#: Flag bit: active, not removed and without a live-in placement (else never eligible).
BASE: Final = 16

#: Scores are rounded to multiples of this, so that mathematically equal scores reached by
#: different floating-point paths tie (and break by id) the same way everywhere.
SCORE_QUANTUM: Final = 2.0**-36


IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FreeArray = npt.NDArray[np.uint8]


class Store:
    """Growable columns of the index, indexed by slot (see ``Candidates`` for meanings)."""

    def __init__(self, capacity: int, n_quals: int) -> None:
        c = max(capacity, 16)
        self.n = 0
        self.ids = np.zeros(c, np.int64)
        self.lat = np.zeros(c, np.float64)
        self.lon = np.zeros(c, np.float64)
        # unit vectors, one column per axis: gathers and arithmetic over 1-d columns
        # are several times faster than over the rows of an (n, 3) array
        self.x = np.zeros(c, np.float64)
        self.y = np.zeros(c, np.float64)
        self.z = np.zeros(c, np.float64)
        self.radius = np.zeros(c, np.float64)
        self.alive = np.zeros(c, bool)
        self.active = np.zeros(c, bool)
        self.arrangements = np.zeros(c, np.uint8)
        self.qual_expiry = np.zeros((max(n_quals, 1), c), np.int32)
        self.trained_expiry = np.zeros(c, np.int32)
        self.languages = np.zeros(c, np.uint64)
        self.conditions = np.zeros(c, np.uint64)
        self.gender = np.zeros(c, np.int8)
        self.available_from = np.zeros(c, np.int32)
        self.avail = np.zeros((c, 3), np.uint64)
        self.busy = np.zeros((c, 3), np.uint64)
        self.busy_hours = np.zeros(c, np.int16)
        # availability minus busy hours (all zero with a live-in placement), one column
        # per 64-hour word (see ``x``)
        self.free0 = np.zeros(c, np.uint64)
        self.free1 = np.zeros(c, np.uint64)
        self.free2 = np.zeros(c, np.uint64)
        # bits 0-2 arrangements; FREE_WEEK; BASE (active, not removed, no live-in placement)
        self.flags = np.zeros(c, np.uint8)
        self.has_live_in = np.zeros(c, bool)
        self.years = np.zeros(c, np.float64)
        self.feedback = np.zeros(c, np.float64)
        # the weighted experience and feedback components, which depend on the candidate
        # alone: with distance, a cheap upper bound of the score (``MatchIndex._ranked``)
        self.static = np.zeros(c, np.float64)

    _COLUMNS: Final = [
        "ids",
        "lat",
        "lon",
        "x",
        "y",
        "z",
        "radius",
        "alive",
        "active",
        "arrangements",
        "trained_expiry",
        "languages",
        "conditions",
        "gender",
        "available_from",
        "avail",
        "busy",
        "busy_hours",
        "free0",
        "free1",
        "free2",
        "flags",
        "has_live_in",
        "years",
        "feedback",
        "static",
    ]

    @property
    def capacity(self) -> int:
        return len(self.ids)

    def reserve(self, capacity: int, n_quals: int) -> None:
        """Grow the columns to hold ``capacity`` slots and ``n_quals`` qualifications."""
        if n_quals > self.qual_expiry.shape[0]:
            extra = np.zeros((n_quals - self.qual_expiry.shape[0], self.capacity), np.int32)
            self.qual_expiry = np.vstack([self.qual_expiry, extra])
        if capacity <= self.capacity:
            return
        new = max(capacity, 2 * self.capacity)
        for name in self._COLUMNS:
            old = getattr(self, name)
            arr = np.full((new, *old.shape[1:]), 0, old.dtype)
            arr[: self.n] = old[: self.n]
            setattr(self, name, arr)
        q = np.zeros((self.qual_expiry.shape[0], new), np.int32)
        q[:, : self.n] = self.qual_expiry[:, : self.n]
        self.qual_expiry = q

    def permute(self, order: IntArray) -> None:
        """Keep only the slots in ``order``, in that order (compaction)."""
        for name in self._COLUMNS:
            old = getattr(self, name)
            arr = np.full_like(old, 0)
            arr[: len(order)] = old[order]
            setattr(self, name, arr)
        q = np.zeros_like(self.qual_expiry)
        q[:, : len(order)] = self.qual_expiry[:, order]
        self.qual_expiry = q
        self.n = len(order)


@dataclass
class Query:
    """A demand prepared for the vectorised kernel."""

    demand: Demand
    q: FloatArray  # (3,) unit vector
    max_km: float
    start: int
    req_quals: list[int]  # positions; -1 when unknown (nobody holds it)
    pref_quals: list[int]
    lang_req: int
    lang_pref: int
    n_lang_pref: int
    cond_mask: int
    n_cond: int
    arrangement_bit: int
    need: np.uint8  # flag bits every eligible slot has
    gender_code: int
    words: npt.NDArray[np.uint64]  # (3,)
    total_hours: int
    min_share: float
    weekly: float
    limit: float  # one contract's weekly limit
    total_limit: float  # the assistant's weekly hours across placements
    level: str
    cont_slots: IntArray
    cont_values: FloatArray
    weights: FloatArray
    half_life: float
    saturation: float
    neutral: float


def prepare(
    demand: Demand,
    rules: Rules,
    vocabulary: Vocabulary,
    weights: FloatArray,
    id_to_slot: dict[int, int],
) -> Query:
    """Turn a demand into the masks and numbers the kernel needs."""

    def positions(codes: frozenset[str]) -> list[int]:
        out = []
        for c in sorted(codes):
            p = vocabulary.code("qualifications", c, add=False)
            out.append(-1 if p is None else p)
        return out

    voc_gender = vocabulary.code("genders", demand.gender, add=False) if demand.gender else 0
    cont = sorted((id_to_slot[cid], v) for cid, v in demand.continuity.items() if cid in id_to_slot)
    lang_req = vocabulary.mask("languages", demand.required_languages, add=False)
    return Query(
        demand=demand,
        q=unit_vectors([demand.lat], [demand.lon])[0],
        max_km=float(demand.max_distance_km),
        start=demand.start_date.toordinal(),
        req_quals=positions(demand.required_qualifications),
        pref_quals=positions(demand.preferred_qualifications),
        lang_req=lang_req,
        lang_pref=vocabulary.mask("languages", demand.preferred_languages, add=False),
        n_lang_pref=len(demand.preferred_languages),
        cond_mask=vocabulary.mask("conditions", demand.conditions, add=False),
        n_cond=len(demand.conditions),
        arrangement_bit=ARRANGEMENT_BITS[demand.arrangement],
        need=np.uint8(
            ARRANGEMENT_BITS[demand.arrangement]
            | BASE
            | (FREE_WEEK if demand.arrangement == "live_in" else 0)
        ),
        gender_code=-1 if voc_gender is None else voc_gender,
        words=demand.schedule.to_words(),
        total_hours=demand.schedule.hours,
        min_share=rules.free_share(demand),
        weekly=rules.weekly_hours(demand),
        limit=rules.max_hours(demand),
        total_limit=float(contract.ASSISTANT_MAX_WEEKLY_HOURS),
        level=demand.level,
        cont_slots=np.array([s for s, _ in cont], dtype=np.intp),
        cont_values=np.array([v for _, v in cont], dtype=np.float64),
        weights=weights,
        half_life=rules.distance_half_life_km,
        saturation=rules.experience_saturation_years,
        neutral=rules.feedback_neutral,
    )


def distances(st: Store, slots: IntArray, qr: Query) -> FloatArray:
    """Haversine km from the demand to each slot, shape ``(m,)`` (chord form, exact)."""
    dx = st.x.take(slots) - qr.q[0]
    dy = st.y.take(slots) - qr.q[1]
    dz = st.z.take(slots) - qr.q[2]
    chord = np.sqrt(dx * dx + dy * dy + dz * dz)
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord * 0.5, 1.0)))


def free_hours(st: Store, slots: IntArray, qr: Query) -> FreeArray:
    """Hours of the demand's schedule available and not busy, shape ``(m,)``."""
    w = qr.words
    free: FreeArray = np.bitwise_count(st.free0.take(slots) & w[0])
    free += np.bitwise_count(st.free1.take(slots) & w[1])
    free += np.bitwise_count(st.free2.take(slots) & w[2])
    return free


def eligible(
    st: Store,
    slots: IntArray,
    qr: Query,
    n_grouped: int = 0,
    known: tuple[FloatArray, FreeArray] | None = None,
) -> tuple[IntArray, FloatArray, FreeArray]:
    """The slots passing every hard filter, with their distances and free hours.

    The same rules as :func:`filter_masks`, ordered for speed: cheap column tests first,
    then free hours, then exact distances on the few left. The first ``n_grouped`` slots
    come from grid groups that already pass the flag tests (active, arrangement, live-in).
    ``known`` gives the slots' distances and free hours when the caller has them.
    """
    dem = qr.demand
    ok = st.available_from.take(slots) <= qr.start
    if n_grouped < len(slots):
        rest = slots[n_grouped:]
        ok[n_grouped:] &= (st.flags.take(rest) & qr.need) == qr.need
    for p in qr.req_quals:
        if p < 0 or p >= st.qual_expiry.shape[0]:
            ok[:] = False
        else:
            ok &= st.qual_expiry[p].take(slots) >= qr.start
    if dem.required_languages:
        ok &= (st.languages.take(slots) & np.uint64(qr.lang_req)) != 0
    if dem.gender_preference == "required":
        ok &= st.gender.take(slots) == qr.gender_code
    if not qr.weekly <= qr.limit:
        ok[:] = False
    if dem.arrangement != "live_in":
        ok &= st.busy_hours.take(slots) + qr.weekly <= qr.total_limit
    s2 = slots[ok]
    if known is None:
        free = free_hours(st, s2, qr)
        ok2 = free / qr.total_hours >= qr.min_share
        s2, free = s2[ok2], free[ok2]
        d = distances(st, s2, qr)
    else:
        d, free = known[0][ok], known[1][ok]
        ok2 = free / qr.total_hours >= qr.min_share
        s2, free, d = s2[ok2], free[ok2], d[ok2]
    ok3 = (d <= qr.max_km) & (d <= st.radius.take(s2))
    return s2[ok3], d[ok3], free[ok3]


def filter_masks(
    st: Store, slots: IntArray, d: FloatArray, free: FreeArray, qr: Query
) -> list[tuple[str, BoolArray]]:
    """Pass masks of every hard filter, in ``FILTERS`` order, each shape ``(m,)``."""
    dem = qr.demand
    out: list[tuple[str, BoolArray]] = [("inactive", st.active[slots] & st.alive[slots])]
    out.append(("distance", d <= qr.max_km))
    out.append(("travel_radius", d <= st.radius[slots]))
    ok = np.ones(len(slots), bool)
    for p in qr.req_quals:
        if p < 0 or p >= st.qual_expiry.shape[0]:
            ok[:] = False
        else:
            ok &= st.qual_expiry[p][slots] >= qr.start
    out.append(("qualification", ok))
    out.append(("arrangement", (st.arrangements[slots] & qr.arrangement_bit) != 0))
    if dem.required_languages:
        out.append(("language", (st.languages[slots] & np.uint64(qr.lang_req)) != 0))
    else:
        out.append(("language", np.ones(len(slots), bool)))
    if dem.gender_preference == "required":
        out.append(("gender", st.gender[slots] == qr.gender_code))
    else:
        out.append(("gender", np.ones(len(slots), bool)))
    out.append(("available_from", st.available_from[slots] <= qr.start))
    free_ok = (free / qr.total_hours >= qr.min_share) & ~st.has_live_in[slots]
    if dem.arrangement == "live_in":
        free_ok &= st.busy_hours[slots] == 0
    out.append(("free_hours", free_ok))
    weekly_ok = np.full(len(slots), qr.weekly <= qr.limit)
    if dem.arrangement != "live_in":
        weekly_ok &= st.busy_hours[slots] + qr.weekly <= qr.total_limit
    out.append(("weekly_hours", weekly_ok))
    return out


def components(st: Store, slots: IntArray, d: FloatArray, free: FreeArray, qr: Query) -> FloatArray:
    """Score components in ``COMPONENTS`` order, shape ``(m, 9)``, each in [0, 1]."""
    m = len(slots)
    c = np.empty((9, m), np.float64).T  # column-major: each component is contiguous
    c[:, 0] = np.exp2(-d / qr.half_life)
    c[:, 1] = free / qr.total_hours
    # qualifications: CCNL level fit, averaged with the share of preferred ones held
    trained = st.trained_expiry[slots] >= qr.start
    if qr.level == "DS":
        fit = trained.astype(np.float64)
    elif qr.level == "CS":
        fit = np.where(trained, 1.0, 0.75)
    else:
        fit = np.ones(m)
    if qr.pref_quals:
        held = np.zeros(m, np.float64)
        for p in qr.pref_quals:
            if 0 <= p < st.qual_expiry.shape[0]:
                held += st.qual_expiry[p][slots] >= qr.start
        c[:, 2] = (fit + held / len(qr.pref_quals)) / 2.0
    else:
        c[:, 2] = fit
    if qr.n_lang_pref:
        c[:, 3] = np.bitwise_count(st.languages[slots] & np.uint64(qr.lang_pref)) / qr.n_lang_pref
    else:
        c[:, 3] = 1.0
    if qr.n_cond:
        c[:, 4] = np.bitwise_count(st.conditions[slots] & np.uint64(qr.cond_mask)) / qr.n_cond
    else:
        c[:, 4] = 1.0
    c[:, 5], c[:, 6] = static_components(
        st.years[slots], st.feedback[slots], qr.saturation, qr.neutral
    )
    cont = np.zeros(m, np.float64)
    if len(qr.cont_slots):
        pos = np.searchsorted(qr.cont_slots, slots)
        pos = np.minimum(pos, len(qr.cont_slots) - 1)
        hit = qr.cont_slots[pos] == slots
        cont[hit] = qr.cont_values[pos[hit]]
    c[:, 7] = cont
    if qr.demand.gender_preference == "preferred":
        c[:, 8] = st.gender[slots] == qr.gender_code
    else:
        c[:, 8] = 1.0
    return c


def static_components(
    years: FloatArray, feedback: FloatArray, saturation: float, neutral: float
) -> tuple[FloatArray, FloatArray]:
    """The experience and feedback components, which depend on the candidate alone."""
    return (
        np.minimum(years / saturation, 1.0),
        np.where(np.isnan(feedback), neutral, feedback),
    )


def scores(comp: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted sum in a fixed order, rounded to ``SCORE_QUANTUM``, shape ``(m,)``."""
    s = comp[:, 0] * weights[0]
    for j in range(1, comp.shape[1]):
        s = s + comp[:, j] * weights[j]
    return np.asarray(np.rint(s / SCORE_QUANTUM) * SCORE_QUANTUM)
