"""From database rows to the engine's plain inputs: assistants to ``Candidates``, a care
request to a ``Demand``.

The engine knows nothing of SQLAlchemy; this module is the only place that knows both.
Loading reads a handful of column-only selects (no ORM objects), so the whole register
(100,000 assistants) loads in seconds, and a few changed assistants in milliseconds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

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
from carenet.placements.models import Placement
from matching import EMPTY, Candidate, Candidates, Demand, Schedule, Vocabulary

# Rows are read in chunks of ids so that an IN list stays within every backend's limits.
CHUNK = 5_000
# A placement rating r in 1..5 maps to the feedback component (r - 1) / 4.
RATING_MIN, RATING_SPAN = 1, 4
# Continuity: an earlier placement with this household rated at least this well by the
# family counts fully; one without a rating, or ended early with a lower one, counts half.
CONTINUITY_GOOD_RATING = 4


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _by_assistant(
    session: Session, stmt: Any, column: Any, ids: Sequence[int] | None
) -> dict[int, list[Any]]:
    """Rows of ``stmt`` grouped by their first column (the assistant id)."""
    out: dict[int, list[Any]] = defaultdict(list)
    if ids is None:
        for row in session.execute(stmt):
            out[row[0]].append(row)
        return out
    for chunk in _chunks(ids):
        for row in session.execute(stmt.where(column.in_(chunk))):
            out[row[0]].append(row)
    return out


def load_candidates(
    session: Session, ids: Sequence[int] | None = None, vocabulary: Vocabulary | None = None
) -> Candidates:
    """The assistants (all of them, or those in ``ids``) as the engine's candidate table.

    Every assistant is included whatever its status: one that is not verified is
    inactive, so the engine can say why it is not ranked.
    """
    return Candidates.from_records(load_records(session, ids), vocabulary)


def load_records(session: Session, ids: Sequence[int] | None = None) -> list[Candidate]:
    """The assistants (all, or those in ``ids``) as :class:`matching.Candidate` records."""
    a = Assistant
    base = (
        sa.select(
            a.id,
            sa.func.coalesce(a.lat, Municipality.lat),
            sa.func.coalesce(a.lon, Municipality.lon),
            a.travel_radius_km,
            a.status,
            a.accepts_live_in,
            a.accepts_hourly,
            a.accepts_night,
            a.gender,
            a.available_from,
            a.availability,
            a.years_experience,
        )
        .join(Municipality, Municipality.istat == a.municipality_id)
        .order_by(a.id)
    )
    rows: list[Any] = []
    if ids is None:
        rows = list(session.execute(base))
    else:
        for chunk in _chunks(sorted(set(ids))):
            rows.extend(session.execute(base.where(a.id.in_(chunk))))
    if not rows:
        return []
    wanted = None if ids is None else [r[0] for r in rows]

    q = AssistantQualification
    quals = _by_assistant(
        session,
        sa.select(q.assistant_id, q.qualification_code, q.issued_on, q.expires_on, q.verified_at),
        q.assistant_id,
        wanted,
    )
    langs = _by_assistant(
        session,
        sa.select(AssistantLanguage.assistant_id, AssistantLanguage.language),
        AssistantLanguage.assistant_id,
        wanted,
    )
    conds = _by_assistant(
        session,
        sa.select(AssistantCondition.assistant_id, AssistantCondition.condition),
        AssistantCondition.assistant_id,
        wanted,
    )
    p = Placement
    active = _by_assistant(
        session,
        sa.select(p.assistant_id, p.schedule, p.arrangement).where(p.status == "active"),
        p.assistant_id,
        wanted,
    )
    ratings = _by_assistant(
        session,
        sa.select(p.assistant_id, sa.func.avg(p.family_rating))
        .where(p.family_rating.is_not(None))
        .group_by(p.assistant_id),
        p.assistant_id,
        wanted,
    )

    records = []
    for row in rows:
        (aid, lat, lon, radius, status, live_in, hourly, night, gender, available_from) = row[:10]
        availability, years = row[10], row[11]
        verified = status == "verified"
        busy = EMPTY
        live_in_placement = False
        for _aid, schedule, arrangement in active.get(aid, ()):
            busy = busy | Schedule.from_bytes(schedule)
            live_in_placement = live_in_placement or arrangement == "live_in"
        rating = ratings.get(aid)
        feedback = None
        if rating and rating[0][1] is not None:
            feedback = min(max((float(rating[0][1]) - RATING_MIN) / RATING_SPAN, 0.0), 1.0)
        records.append(
            Candidate(
                id=aid,
                lat=float(lat),
                lon=float(lon),
                travel_radius_km=float(radius),
                is_active=verified,
                arrangements=frozenset(
                    code
                    for code, accepted in (
                        ("live_in", live_in),
                        ("hourly", hourly),
                        ("night", night),
                    )
                    if accepted
                ),
                qualifications={
                    code: expires
                    for _aid, code, _issued, expires, verified_at in quals.get(aid, ())
                    if qualification_counts(verified_at, status)
                },
                languages=frozenset(lang for _aid, lang in langs.get(aid, ())),
                gender=gender,
                available_from=available_from,
                availability=Schedule.from_bytes(availability),
                busy=busy,
                has_live_in_placement=live_in_placement,
                years_experience=float(years),
                conditions=frozenset(c for _aid, c in conds.get(aid, ())),
                feedback=feedback,
            )
        )
    return records


def demand_for(
    session: Session,
    request: CareRequest,
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
    recipient = request.recipient
    household = recipient.household
    lat = household.lat if household.lat is not None else household.municipality.lat
    lon = household.lon if household.lon is not None else household.municipality.lon
    distance = float(request.max_distance_km)
    if max_km is not None:
        distance = min(distance, float(max_km))
    return Demand(
        lat=float(lat),
        lon=float(lon),
        max_distance_km=distance,
        arrangement=request.arrangement,  # type: ignore[arg-type]
        schedule=Schedule.from_bytes(request.schedule),
        start_date=request.start_date,
        weekly_hours=float(request.weekly_hours),
        live_in_part_time=request.live_in_part_time,
        required_qualifications=frozenset(request.qualification_codes(required=True))
        | frozenset(extra_qualifications),
        preferred_qualifications=frozenset(request.qualification_codes(required=False)),
        required_languages=frozenset(request.language_codes(required=True))
        | frozenset(extra_languages),
        preferred_languages=frozenset(request.language_codes(required=False)),
        gender=request.gender,
        gender_preference=request.gender_preference,  # type: ignore[arg-type]
        conditions=frozenset(c.condition for c in recipient.conditions),
        non_self_sufficient=rules.is_non_self_sufficient(recipient.self_sufficiency),
        ccnl_level=request.ccnl_level,
        household_id=household.id,
        continuity=continuity(session, household.id),
    )


def continuity(session: Session, household_id: int) -> dict[int, float]:
    """Assistants who already worked for this household, and how well (0..1)."""
    from carenet.families.models import CareRecipient

    p = Placement
    rows = session.execute(
        sa.select(p.assistant_id, sa.func.max(p.family_rating))
        .join(CareRequest, CareRequest.id == p.request_id)
        .join(CareRecipient, CareRecipient.id == CareRequest.recipient_id)
        .where(CareRecipient.household_id == household_id)
        .group_by(p.assistant_id)
    )
    out = {}
    for assistant_id, best in rows:
        out[int(assistant_id)] = 1.0 if best is not None and best >= CONTINUITY_GOOD_RATING else 0.5
    return out


def today() -> dt.date:
    """The day matching evaluates expiries against (UTC)."""
    return dt.datetime.now(dt.UTC).date()
