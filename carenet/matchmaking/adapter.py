"""From database rows to the engine's plain inputs: the register to ``Candidates``
columns, a care request to a ``Demand``.

The engine knows nothing of SQLAlchemy; this module is the only place that knows both.
The register is read column by column straight into numpy arrays (a handful of Core
selects, no ORM objects and no per-assistant records), so 1,000,000 assistants load in
seconds, and a few changed assistants in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantLanguage,
    AssistantQualification,
    qualification_counts,
)
from carenet.care_requests import rules
from carenet.care_requests.models import CareRequest
from carenet.gazetteer.models import Municipality
from carenet.matchmaking import queries
from carenet.placements.models import Placement
from matching import ARRANGEMENT_BITS, NO_EXPIRY, Candidates, Demand, Schedule, Vocabulary

# Rows are read in chunks of ids so that an IN list stays within every backend's limits.
CHUNK = 5_000
# A placement rating r in 1..5 maps to the feedback component (r - 1) / 4.
RATING_MIN, RATING_SPAN = 1, 4

Ints = npt.NDArray[np.int64]

_A = Assistant
_ASSISTANTS = (
    sa.select(
        _A.id,
        sa.func.coalesce(_A.lat, Municipality.lat),
        sa.func.coalesce(_A.lon, Municipality.lon),
        _A.travel_radius_km,
        _A.status,
        _A.accepts_live_in,
        _A.accepts_hourly,
        _A.accepts_night,
        _A.gender,
        _A.available_from,
        _A.availability,
        _A.years_experience,
    )
    .join(Municipality, Municipality.istat == _A.municipality_id)
    .order_by(_A.id)
)
_Q = AssistantQualification
# verified_at only matters as set or not: read as the driver gives it (UTCDateTime's
# per-row conversion to an aware datetime is skipped)
_QUALIFICATIONS = sa.select(
    _Q.assistant_id,
    _Q.qualification_code,
    _Q.expires_on,
    sa.type_coerce(_Q.verified_at, sa.DateTime),
)
_LANGUAGES = sa.select(AssistantLanguage.assistant_id, AssistantLanguage.language)
_CONDITIONS = sa.select(AssistantCondition.assistant_id, AssistantCondition.condition)
_P = Placement
_ACTIVE = sa.select(_P.assistant_id, _P.schedule, _P.arrangement).where(_P.status == "active")
_RATINGS = (
    sa.select(_P.assistant_id, sa.func.avg(_P.family_rating))
    .where(_P.family_rating.is_not(None))
    .group_by(_P.assistant_id)
)


def _driver_rows(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` as the driver returns them (plain tuples): the register is
    hundreds of thousands of rows, and building a SQLAlchemy row for each costs more
    than reading it. Every column read this way needs no type conversion."""
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _columns(
    session: Session, stmt: Any, column: Any, ids: Sequence[int] | None, width: int
) -> list[tuple[Any, ...]]:
    """The rows of ``stmt`` (for ``ids``, or all) as ``width`` columns."""
    rows: list[tuple[Any, ...]] = []
    if ids is None:
        rows = _driver_rows(session, stmt)
    else:
        for start in range(0, len(ids), CHUNK):
            rows.extend(_driver_rows(session, stmt.where(column.in_(ids[start : start + CHUNK]))))
    return list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]


def _ordinal(day: dt.date | str | None, default: int) -> int:
    if day is None:
        return default
    if isinstance(day, str):  # SQLite's driver gives dates as ISO text
        day = dt.date.fromisoformat(day)
    return day.toordinal()


def _ordinals(days: Iterable[dt.date | str | None], default: int, n: int) -> npt.NDArray[np.int32]:
    return np.fromiter((_ordinal(d, default) for d in days), np.int32, n)


def _positions(ids: Ints, column: Sequence[int]) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """Row position of each assistant id in ``ids`` (sorted), and which were found."""
    wanted = np.asarray(column, dtype=np.int64)
    pos = np.minimum(np.searchsorted(ids, wanted), max(len(ids) - 1, 0))
    return pos, ids[pos] == wanted if len(ids) else np.zeros(len(wanted), bool)


def _masks(ids: Ints, rows: list[tuple[Any, ...]], voc: Vocabulary, kind: str) -> Any:
    """Bit masks over the vocabulary of ``kind``, one per assistant."""
    out = np.zeros(len(ids), dtype=np.uint64)
    pos, found = _positions(ids, rows[0])
    codes = {c: np.uint64(1 << voc.code(kind, c)) for c in set(rows[1])}  # type: ignore[operator]
    bits = np.fromiter((codes[c] for c in rows[1]), np.uint64, len(rows[1]))
    np.bitwise_or.at(out, pos[found], bits[found])
    return out


def _qualifications(
    ids: Ints, statuses: Sequence[str], rows: list[tuple[Any, ...]], voc: Vocabulary
) -> npt.NDArray[np.int32]:
    """Expiry ordinal of each counted qualification, shape (q, n) (see ``Candidates``)."""
    aid, code, expires, verified_at = rows
    for c in set(code):
        voc.code("qualifications", c)
    qual = np.zeros((max(len(voc.codes("qualifications")), 1), len(ids)), dtype=np.int32)
    pos, found = _positions(ids, aid)
    counts = np.fromiter(
        (
            ok and qualification_counts(v, statuses[p])
            for ok, v, p in zip(found.tolist(), verified_at, pos.tolist(), strict=True)
        ),
        bool,
        len(aid),
    )
    table = voc.codes("qualifications")
    rows_of = np.fromiter((table[c] for c in code), np.int64, len(code))
    qual[rows_of[counts], pos[counts]] = _ordinals(expires, NO_EXPIRY, len(aid))[counts]
    return qual


def _placements(
    ids: Ints, active: list[tuple[Any, ...]], ratings: list[tuple[Any, ...]]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Busy hours and live-in placement from active placements; feedback from ratings."""
    busy = np.zeros((len(ids), 3), dtype=np.uint64)  # Schedule words
    live_in = np.zeros(len(ids), dtype=bool)
    pos, found = _positions(ids, active[0])
    np.bitwise_or.at(busy, pos[found], Schedule.words_of(active[1])[found])
    is_live_in = np.array([a == "live_in" for a in active[2]], dtype=bool)
    live_in[pos[found & is_live_in]] = True
    feedback = np.full(len(ids), np.nan)
    pos, found = _positions(ids, ratings[0])
    mean = np.array([float(r) for r in ratings[1]], dtype=np.float64)
    feedback[pos[found]] = np.clip((mean[found] - RATING_MIN) / RATING_SPAN, 0.0, 1.0)
    return busy, live_in, feedback


def load_candidates(
    session: Session, ids: Sequence[int] | None = None, vocabulary: Vocabulary | None = None
) -> Candidates:
    """The assistants (all of them, or those in ``ids``) as the engine's candidate table.

    Every assistant is included whatever its status: one that is not verified is
    inactive, so the engine can say why it is not ranked.
    """
    # Millions of short-lived tuples, none in a cycle: the cyclic collector would walk
    # them again and again while they are read (seconds at 1M assistants).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_candidates(session, ids, vocabulary)
    finally:
        if collecting:
            gc.enable()


def _load_candidates(
    session: Session, ids: Sequence[int] | None, vocabulary: Vocabulary | None
) -> Candidates:
    voc = vocabulary if vocabulary is not None else Vocabulary()
    wanted = None if ids is None else sorted(set(ids))
    a = _columns(session, _ASSISTANTS, _A.id, wanted, 12)
    n = len(a[0])
    ids_ = np.array(a[0], dtype=np.int64)
    found = None if ids is None else ids_.tolist()

    def read(stmt: Any, column: Any, width: int) -> list[tuple[Any, ...]]:
        return _columns(session, stmt, column, found, width) if n else [()] * width

    busy, live_in, feedback = _placements(
        ids_, read(_ACTIVE, _P.assistant_id, 3), read(_RATINGS, _P.assistant_id, 2)
    )
    genders = {g: voc.code("genders", g) for g in set(a[8]) if g is not None}
    return Candidates(
        ids=ids_,
        lat=np.array(a[1], dtype=np.float64),
        lon=np.array(a[2], dtype=np.float64),
        travel_radius_km=np.array(a[3], dtype=np.float64),
        is_active=np.array([s == "verified" for s in a[4]], dtype=bool),
        arrangements=(
            np.array(a[5], dtype=np.uint8) * ARRANGEMENT_BITS["live_in"]
            | np.array(a[6], dtype=np.uint8) * ARRANGEMENT_BITS["hourly"]
            | np.array(a[7], dtype=np.uint8) * ARRANGEMENT_BITS["night"]
        ).astype(np.uint8),
        qual_expiry=_qualifications(ids_, a[4], read(_QUALIFICATIONS, _Q.assistant_id, 4), voc),
        languages=_masks(
            ids_, read(_LANGUAGES, AssistantLanguage.assistant_id, 2), voc, "languages"
        ),
        gender=np.fromiter((genders.get(g, 0) for g in a[8]), np.int8, n),
        available_from=_ordinals(a[9], 0, n),
        availability=Schedule.words_of(a[10]),
        busy=busy,
        has_live_in_placement=live_in,
        years_experience=np.array(a[11], dtype=np.float64),
        conditions=_masks(
            ids_, read(_CONDITIONS, AssistantCondition.assistant_id, 2), voc, "conditions"
        ),
        feedback=feedback,
        vocabulary=voc,
    )


def request_of(session: Session, request: CareRequest) -> queries.MatchRequest:
    """What matching reads of an already loaded request (the pages and bulk runs)."""
    recipient = request.recipient
    household = recipient.household
    return queries.MatchRequest(
        id=request.id,
        status=request.status,
        recipient_id=recipient.id,
        household_id=household.id,
        lat=household.lat if household.lat is not None else household.municipality.lat,
        lon=household.lon if household.lon is not None else household.municipality.lon,
        arrangement=request.arrangement,
        schedule=request.schedule,
        start_date=request.start_date,
        weekly_hours=request.weekly_hours,
        live_in_part_time=request.live_in_part_time,
        max_distance_km=request.max_distance_km,
        gender=request.gender,
        gender_preference=request.gender_preference,
        ccnl_level=request.ccnl_level,
        self_sufficiency=recipient.self_sufficiency,
        required_qualifications=frozenset(request.qualification_codes(required=True)),
        preferred_qualifications=frozenset(request.qualification_codes(required=False)),
        required_languages=frozenset(request.language_codes(required=True)),
        preferred_languages=frozenset(request.language_codes(required=False)),
        conditions=frozenset(c.condition for c in recipient.conditions),
        continuity=queries.continuity(session, household.id),
    )


def demand(
    request: queries.MatchRequest,
    *,
    max_km: float | None = None,
    extra_languages: Iterable[str] = (),
    extra_qualifications: Iterable[str] = (),
) -> Demand:
    """The engine's view of a care request; the optional arguments only tighten it.

    The contract rules are not passed: the engine reads them from ``matching.contract``,
    as the service does. What is passed is the request's side of them: its arrangement,
    part time, hours, level and whether the person is self-sufficient.
    """
    distance = float(request.max_distance_km)
    if max_km is not None:
        distance = min(distance, float(max_km))
    return Demand(
        lat=float(request.lat),
        lon=float(request.lon),
        max_distance_km=distance,
        arrangement=request.arrangement,  # type: ignore[arg-type]
        schedule=Schedule.from_bytes(request.schedule),
        start_date=request.start_date,
        weekly_hours=float(request.weekly_hours),
        live_in_part_time=request.live_in_part_time,
        required_qualifications=request.required_qualifications | frozenset(extra_qualifications),
        preferred_qualifications=request.preferred_qualifications,
        required_languages=request.required_languages | frozenset(extra_languages),
        preferred_languages=request.preferred_languages,
        gender=request.gender,
        gender_preference=request.gender_preference,  # type: ignore[arg-type]
        conditions=request.conditions,
        non_self_sufficient=rules.is_non_self_sufficient(request.self_sufficiency),
        ccnl_level=request.ccnl_level,
        household_id=request.household_id,
        continuity=request.continuity,
    )


def demand_for(
    session: Session,
    request: CareRequest,
    *,
    max_km: float | None = None,
    extra_languages: Iterable[str] = (),
    extra_qualifications: Iterable[str] = (),
) -> Demand:
    """:func:`demand` of an already loaded request (the pages and bulk runs)."""
    return demand(
        request_of(session, request),
        max_km=max_km,
        extra_languages=extra_languages,
        extra_qualifications=extra_qualifications,
    )
