"""Plain inputs of the engine: candidates, demands, weights and rules."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from . import contract
from ._schedule import EMPTY, N_WORDS, Schedule

ARRANGEMENTS: Final = ("live_in", "hourly", "night")
ARRANGEMENT_BITS: Final = {"live_in": 1, "hourly": 2, "night": 4}
QUALIFICATIONS: Final = (
    "oss",
    "osa",
    "assistente_familiare",
    "nurse",
    "first_aid",
    "dementia_care",
    "driving_licence",
)
LANGUAGES: Final = ("it", "ro", "uk", "es", "ar", "tl", "en", "ru", "sq", "pl", "fr", "pt")
CONDITIONS: Final = ("dementia", "parkinson", "disability", "children", "stroke", "mobility")
GENDERS: Final = ("f", "m", "x")
GENDER_PREFERENCES: Final = ("none", "preferred", "required")
CCNL_LEVELS: Final = contract.LEVELS

#: Day ordinal stored for a qualification that never expires.
NO_EXPIRY: Final = 2**31 - 1
#: Day ordinal stored for a qualification that is not held.
NOT_HELD: Final = 0

Arrangement = Literal["live_in", "hourly", "night"]
GenderPreference = Literal["none", "preferred", "required"]


class Vocabulary:
    """String codes mapped to bit positions, one catalogue per kind.

    Kinds are ``"qualifications"``, ``"languages"``, ``"conditions"`` and ``"genders"``.
    Codes not seen before are added on first use (at most 64 per kind), so the catalogues
    stay extensible without changing the engine.
    """

    KINDS: Final = ("qualifications", "languages", "conditions", "genders")

    def __init__(self) -> None:
        self._codes: dict[str, dict[str, int]] = {
            "qualifications": {c: i for i, c in enumerate(QUALIFICATIONS)},
            "languages": {c: i for i, c in enumerate(LANGUAGES)},
            "conditions": {c: i for i, c in enumerate(CONDITIONS)},
            "genders": {c: i + 1 for i, c in enumerate(GENDERS)},
        }

    def code(self, kind: str, value: str, *, add: bool = True) -> int | None:
        """Bit position (or small code for genders) of ``value``; ``None`` when unknown."""
        table = self._codes[kind]
        pos = table.get(value)
        if pos is None and add:
            pos = len(table) + (1 if kind == "genders" else 0)
            if pos >= 64:
                raise ValueError(f"too many {kind} codes (at most 64): cannot add {value!r}")
            table[value] = pos
        return pos

    def mask(self, kind: str, values: Iterable[str], *, add: bool = True) -> int:
        """Bit mask of the known codes among ``values`` (unknown ones are added or skipped)."""
        m = 0
        for v in values:
            pos = self.code(kind, v, add=add)
            if pos is not None:
                m |= 1 << pos
        return m

    def codes(self, kind: str) -> dict[str, int]:
        """A copy of the catalogue of ``kind``: code -> position."""
        return dict(self._codes[kind])

    def decode(self, kind: str, mask: int) -> list[str]:
        """The codes whose bits are set in ``mask``, in catalogue order."""
        return [c for c, p in self._codes[kind].items() if mask >> p & 1]


@dataclass(frozen=True)
class Candidate:
    """One assistant as plain values (what the service reads from its rows).

    ``qualifications`` maps a code to its expiry date (``None``: no expiry);
    ``feedback`` is in [0, 1] or ``None`` when there is no past placement.
    """

    id: int
    lat: float
    lon: float
    travel_radius_km: float
    is_active: bool = True
    arrangements: frozenset[str] = frozenset({"hourly"})
    qualifications: Mapping[str, dt.date | None] = field(default_factory=dict)
    languages: frozenset[str] = frozenset({"it"})
    gender: str | None = None
    available_from: dt.date | None = None
    availability: Schedule = EMPTY
    busy: Schedule = EMPTY
    has_live_in_placement: bool = False
    years_experience: float = 0.0
    conditions: frozenset[str] = frozenset()
    feedback: float | None = None

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0 or not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"candidate {self.id}: lat/lon out of range")
        if not self.travel_radius_km >= 0.0:
            raise ValueError(f"candidate {self.id}: travel radius must be >= 0")
        bad = set(self.arrangements) - set(ARRANGEMENTS)
        if bad:
            raise ValueError(f"candidate {self.id}: unknown arrangements {sorted(bad)}")
        if self.feedback is not None and not 0.0 <= self.feedback <= 1.0:
            raise ValueError(f"candidate {self.id}: feedback must be in [0, 1]")
        if not self.years_experience >= 0.0:
            raise ValueError(f"candidate {self.id}: years of experience must be >= 0")


def _ordinal(d: dt.date | None, default: int) -> int:
    return default if d is None else d.toordinal()


@dataclass
class Candidates:
    """A table of candidates as columns, shape ``(n,)`` unless stated.

    Build it with :meth:`from_records`; the constructor takes already encoded columns.

    Attributes
    ----------
    ids : ndarray of int64, shape (n,)
    lat, lon : ndarray of float64, shape (n,)
        Degrees.
    travel_radius_km : ndarray of float64, shape (n,)
    is_active : ndarray of bool, shape (n,)
    arrangements : ndarray of uint8, shape (n,)
        Bit mask, see ``ARRANGEMENT_BITS``.
    qual_expiry : ndarray of int32, shape (q, n)
        Row ``j`` is qualification position ``j`` of the vocabulary: expiry day ordinal,
        ``NO_EXPIRY`` when it never expires, ``NOT_HELD`` (0) when not held.
    languages, conditions : ndarray of uint64, shape (n,)
        Bit masks over the vocabulary.
    gender : ndarray of int8, shape (n,)
        Vocabulary code, 0 when unknown.
    available_from : ndarray of int32, shape (n,)
        Day ordinal (0 when always available).
    availability, busy : ndarray of uint64, shape (n, 3)
        Schedule words.
    has_live_in_placement : ndarray of bool, shape (n,)
    years_experience : ndarray of float64, shape (n,)
    feedback : ndarray of float64, shape (n,)
        NaN when missing.
    vocabulary : Vocabulary
    """

    ids: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    travel_radius_km: npt.NDArray[np.float64]
    is_active: npt.NDArray[np.bool_]
    arrangements: npt.NDArray[np.uint8]
    qual_expiry: npt.NDArray[np.int32]
    languages: npt.NDArray[np.uint64]
    gender: npt.NDArray[np.int8]
    available_from: npt.NDArray[np.int32]
    availability: npt.NDArray[np.uint64]
    busy: npt.NDArray[np.uint64]
    has_live_in_placement: npt.NDArray[np.bool_]
    years_experience: npt.NDArray[np.float64]
    conditions: npt.NDArray[np.uint64]
    feedback: npt.NDArray[np.float64]
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    def __post_init__(self) -> None:
        n = len(self.ids)
        for f in fields(self):
            if f.name in ("vocabulary", "qual_expiry"):
                continue
            arr = getattr(self, f.name)
            if len(arr) != n:
                raise ValueError(f"column {f.name} has {len(arr)} rows, expected {n}")
        if self.qual_expiry.ndim != 2 or self.qual_expiry.shape[1] != n:
            raise ValueError("qual_expiry must have shape (q, n)")
        if self.availability.shape != (n, N_WORDS) or self.busy.shape != (n, N_WORDS):
            raise ValueError("availability and busy must have shape (n, 3)")
        if len(np.unique(self.ids)) != n:
            raise ValueError("candidate ids must be unique")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_records(
        cls, records: Sequence[Candidate], vocabulary: Vocabulary | None = None
    ) -> Candidates:
        """Encode per-candidate records into columns (codes are added to ``vocabulary``)."""
        voc = vocabulary if vocabulary is not None else Vocabulary()
        n = len(records)
        for r in records:
            for q in r.qualifications:
                voc.code("qualifications", q)
        nq = max(len(voc.codes("qualifications")), 1)
        qual = np.zeros((nq, n), dtype=np.int32)
        for i, r in enumerate(records):
            for q, exp in r.qualifications.items():
                pos = voc.code("qualifications", q)
                assert pos is not None
                qual[pos, i] = _ordinal(exp, NO_EXPIRY)
        return cls(
            ids=np.array([r.id for r in records], dtype=np.int64),
            lat=np.array([r.lat for r in records], dtype=np.float64),
            lon=np.array([r.lon for r in records], dtype=np.float64),
            travel_radius_km=np.array([r.travel_radius_km for r in records], dtype=np.float64),
            is_active=np.array([r.is_active for r in records], dtype=bool),
            arrangements=np.array(
                [sum(ARRANGEMENT_BITS[a] for a in r.arrangements) for r in records],
                dtype=np.uint8,
            ),
            qual_expiry=qual,
            languages=np.array(
                [voc.mask("languages", r.languages) for r in records], dtype=np.uint64
            ),
            gender=np.array(
                [0 if r.gender is None else voc.code("genders", r.gender) for r in records],
                dtype=np.int8,
            ),
            available_from=np.array(
                [_ordinal(r.available_from, 0) for r in records], dtype=np.int32
            ),
            availability=np.array(
                [r.availability.to_words() for r in records], dtype=np.uint64
            ).reshape(n, N_WORDS),
            busy=np.array([r.busy.to_words() for r in records], dtype=np.uint64).reshape(
                n, N_WORDS
            ),
            has_live_in_placement=np.array([r.has_live_in_placement for r in records], dtype=bool),
            years_experience=np.array([r.years_experience for r in records], dtype=np.float64),
            conditions=np.array(
                [voc.mask("conditions", r.conditions) for r in records], dtype=np.uint64
            ),
            feedback=np.array(
                [math.nan if r.feedback is None else r.feedback for r in records],
                dtype=np.float64,
            ),
            vocabulary=voc,
        )

    def record(self, i: int) -> Candidate:
        """Row ``i`` decoded back into a :class:`Candidate`."""
        voc = self.vocabulary
        quals: dict[str, dt.date | None] = {}
        for code, pos in voc.codes("qualifications").items():
            if pos < self.qual_expiry.shape[0]:
                v = int(self.qual_expiry[pos, i])
                if v != NOT_HELD:
                    quals[code] = None if v == NO_EXPIRY else dt.date.fromordinal(v)
        genders = {p: c for c, p in voc.codes("genders").items()}
        af = int(self.available_from[i])
        fb = float(self.feedback[i])
        return Candidate(
            id=int(self.ids[i]),
            lat=float(self.lat[i]),
            lon=float(self.lon[i]),
            travel_radius_km=float(self.travel_radius_km[i]),
            is_active=bool(self.is_active[i]),
            arrangements=frozenset(
                a for a, b in ARRANGEMENT_BITS.items() if int(self.arrangements[i]) & b
            ),
            qualifications=quals,
            languages=frozenset(voc.decode("languages", int(self.languages[i]))),
            gender=genders.get(int(self.gender[i])),
            available_from=None if af == 0 else dt.date.fromordinal(af),
            availability=Schedule.from_words(self.availability[i]),
            busy=Schedule.from_words(self.busy[i]),
            has_live_in_placement=bool(self.has_live_in_placement[i]),
            years_experience=float(self.years_experience[i]),
            conditions=frozenset(voc.decode("conditions", int(self.conditions[i]))),
            feedback=None if math.isnan(fb) else fb,
        )


@dataclass(frozen=True)
class Demand:
    """A care request as plain values.

    ``weekly_hours`` defaults to the schedule's hours (the schedule is the working time,
    live-in included); ``live_in_part_time`` marks a part-time live-in contract (its own
    weekly limit); ``min_free_share`` defaults to the rules' share for the arrangement.
    ``continuity`` maps a candidate id to a value in [0, 1] (the service computes it from
    past placements with this household). ``ccnl_level`` defaults to "CS" when
    ``non_self_sufficient`` and to "BS" otherwise, and must be one that
    :func:`matching.contract.allowed_levels` allows.
    """

    lat: float
    lon: float
    max_distance_km: float
    arrangement: Arrangement
    schedule: Schedule
    start_date: dt.date
    weekly_hours: float | None = None
    live_in_part_time: bool = False
    required_qualifications: frozenset[str] = frozenset()
    preferred_qualifications: frozenset[str] = frozenset()
    required_languages: frozenset[str] = frozenset()
    preferred_languages: frozenset[str] = frozenset()
    gender: str | None = None
    gender_preference: GenderPreference = "none"
    conditions: frozenset[str] = frozenset()
    non_self_sufficient: bool = False
    ccnl_level: str | None = None
    household_id: int | None = None
    continuity: Mapping[int, float] = field(default_factory=dict)
    min_free_share: float | None = None

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0 or not -180.0 <= self.lon <= 180.0:
            raise ValueError("demand lat/lon out of range")
        if not self.max_distance_km >= 0.0:
            raise ValueError("max_distance_km must be >= 0")
        if self.arrangement not in ARRANGEMENTS:
            raise ValueError(f"unknown arrangement {self.arrangement!r}")
        if not self.schedule:
            raise ValueError("the demand's schedule is empty")
        if self.weekly_hours is not None and not self.weekly_hours > 0:
            raise ValueError("weekly_hours must be > 0")
        if self.gender_preference not in GENDER_PREFERENCES:
            raise ValueError(f"unknown gender preference {self.gender_preference!r}")
        if self.gender_preference != "none" and self.gender is None:
            raise ValueError("a gender preference needs a gender")
        if self.ccnl_level is not None and self.ccnl_level not in CCNL_LEVELS:
            raise ValueError(f"unknown CCNL level {self.ccnl_level!r}")
        if self.live_in_part_time and self.arrangement != "live_in":
            raise ValueError("part time applies to live-in demands only")
        allowed = contract.allowed_levels(self.non_self_sufficient)
        if self.ccnl_level is not None and self.ccnl_level not in allowed:
            raise ValueError(
                "a non-self-sufficient recipient implies CCNL level CS or DS"
                if self.non_self_sufficient
                else "CCNL levels CS and DS are for recipients who are not self-sufficient"
            )
        if self.min_free_share is not None and not 0.0 <= self.min_free_share <= 1.0:
            raise ValueError("min_free_share must be in [0, 1]")
        for cid, v in self.continuity.items():
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"continuity of candidate {cid} must be in [0, 1]")

    @property
    def level(self) -> str:
        """The CCNL level the request implies."""
        if self.ccnl_level is not None:
            return self.ccnl_level
        return contract.implied_level(self.non_self_sufficient, requires_trained=False)


COMPONENTS: Final = (
    "distance",
    "schedule",
    "qualifications",
    "languages",
    "conditions",
    "experience",
    "feedback",
    "continuity",
    "gender",
)


@dataclass(frozen=True)
class Weights:
    """Weights of the score components; each >= 0, their sum > 0.

    The score is ``sum(w_i * c_i) / sum(w_i)``, so it stays in [0, 1].
    """

    distance: float = 0.25
    schedule: float = 0.20
    qualifications: float = 0.15
    languages: float = 0.10
    conditions: float = 0.10
    experience: float = 0.05
    feedback: float = 0.05
    continuity: float = 0.05
    gender: float = 0.05

    def __post_init__(self) -> None:
        values = self.as_tuple()
        for name, v in zip(COMPONENTS, values, strict=True):
            if not (isinstance(v, int | float) and math.isfinite(v) and v >= 0.0):
                raise ValueError(f"weight {name} must be a finite number >= 0, got {v!r}")
        if sum(values) <= 0.0:
            raise ValueError("the weights must not all be zero")

    def as_tuple(self) -> tuple[float, ...]:
        """The weights in ``COMPONENTS`` order."""
        return tuple(float(getattr(self, c)) for c in COMPONENTS)

    def normalised(self) -> npt.NDArray[np.float64]:
        """The weights divided by their sum, shape ``(9,)``."""
        values = self.as_tuple()
        total = 0.0
        for v in values:
            total += v
        return np.array([v / total for v in values], dtype=np.float64)


@dataclass(frozen=True)
class Rules:
    """Scoring parameters (configuration, not data).

    The contract rules (weekly limits, an assistant's total hours, who is trained) are not
    parameters: they come from :mod:`matching.contract`, the one source the service
    shares.

    Attributes
    ----------
    weights : Weights
    distance_half_life_km : float
        The distance component is ``0.5 ** (km / distance_half_life_km)``.
    experience_saturation_years : float
        The experience component is ``min(years / saturation, 1)``.
    feedback_neutral : float
        Feedback component of a candidate without past placements.
    min_free_share : mapping
        Default minimum share of the demand's hours that must be free, per arrangement.
    """

    weights: Weights = field(default_factory=Weights)
    distance_half_life_km: float = 10.0
    experience_saturation_years: float = 10.0
    feedback_neutral: float = 0.5
    min_free_share: Mapping[str, float] = field(
        default_factory=lambda: {"live_in": 1.0, "hourly": 0.5, "night": 0.5}
    )

    def __post_init__(self) -> None:
        if not self.distance_half_life_km > 0 or not self.experience_saturation_years > 0:
            raise ValueError("half-life and saturation must be > 0")
        if not 0.0 <= self.feedback_neutral <= 1.0:
            raise ValueError("feedback_neutral must be in [0, 1]")
        for a in ARRANGEMENTS:
            if not 0.0 <= self.min_free_share.get(a, -1.0) <= 1.0:
                raise ValueError(f"min_free_share[{a!r}] must be in [0, 1]")

    def max_hours(self, demand: Demand) -> float:
        """The weekly hour limit of the demand's contract (``contract.max_weekly_hours``)."""
        return float(contract.max_weekly_hours(demand.arrangement, demand.live_in_part_time))

    def weekly_hours(self, demand: Demand) -> float:
        """The demand's weekly contract hours (explicit, or its schedule's)."""
        if demand.weekly_hours is not None:
            return float(demand.weekly_hours)
        return float(demand.schedule.hours)

    def free_share(self, demand: Demand) -> float:
        """The minimum free-hours share that applies to the demand."""
        if demand.min_free_share is not None:
            return float(demand.min_free_share)
        return float(self.min_free_share[demand.arrangement])
