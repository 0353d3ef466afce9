"""The match request's statements (SQLAlchemy Core, no ORM objects): a fixed handful per
request, each returning typed plain values.

1. the request, its household's place and the access check (``can_broker`` in SQL);
2. the request's codes and the person's conditions (one ``UNION ALL``);
3. continuity: the assistants who already worked for the household;
4. the ranked assistants' names, places and proposal statuses.

Statements that do not depend on the actor are built once, so SQLAlchemy's cache key is
memoized and psycopg prepares them on the server after a few uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.access.policy import scope_brokered_households
from carenet.assistants.models import Assistant
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest, RequestLanguage, RequestQualification
from carenet.families.models import CareRecipient, Household, RecipientCondition
from carenet.gazetteer.models import Municipality
from carenet.placements.models import Placement
from carenet.proposals.models import Proposal


@dataclass(frozen=True)
class MatchRequest:
    """What matching reads of a care request, as plain values (``adapter.demand`` turns
    it into the engine's ``Demand``)."""

    id: int
    status: str
    recipient_id: int
    household_id: int
    lat: float
    lon: float
    arrangement: str
    schedule: bytes
    start_date: dt.date
    weekly_hours: float
    live_in_part_time: bool
    max_distance_km: float
    gender: str | None
    gender_preference: str
    ccnl_level: str
    self_sufficiency: str
    required_qualifications: frozenset[str]
    preferred_qualifications: frozenset[str]
    required_languages: frozenset[str]
    preferred_languages: frozenset[str]
    conditions: frozenset[str]
    continuity: dict[int, float]


class AssistantRow(NamedTuple):
    """A ranked assistant as the result shows her (her comune, never her address)."""

    id: int
    display_name: str
    municipality: str
    province: str
    lat: float
    lon: float
    proposal_status: str | None


_REQUEST_COLUMNS = (
    CareRequest.id,
    CareRequest.status,
    CareRequest.recipient_id,
    Household.id.label("household_id"),
    sa.func.coalesce(Household.lat, Municipality.lat).label("lat"),
    sa.func.coalesce(Household.lon, Municipality.lon).label("lon"),
    CareRequest.arrangement,
    CareRequest.schedule,
    CareRequest.start_date,
    CareRequest.weekly_hours,
    CareRequest.live_in_part_time,
    CareRequest.max_distance_km,
    CareRequest.gender,
    CareRequest.gender_preference,
    CareRequest.ccnl_level,
    CareRecipient.self_sufficiency,
)
_REQUEST = (
    sa.select(*_REQUEST_COLUMNS)
    .join(CareRecipient, CareRecipient.id == CareRequest.recipient_id)
    .join(Household, Household.id == CareRecipient.household_id)
    .join(Municipality, Municipality.istat == Household.municipality_id)
    .where(CareRequest.id == sa.bindparam("request_id"))
)

# kind, code, required: "q" qualifications, "l" languages, "c" the person's conditions
_CODES = sa.union_all(
    sa.select(
        sa.literal("q"), RequestQualification.qualification_code, RequestQualification.is_required
    ).where(RequestQualification.request_id == sa.bindparam("request_id")),
    sa.select(sa.literal("l"), RequestLanguage.language, RequestLanguage.is_required).where(
        RequestLanguage.request_id == sa.bindparam("request_id")
    ),
    sa.select(sa.literal("c"), RecipientCondition.condition, sa.true()).where(
        RecipientCondition.recipient_id == sa.bindparam("recipient_id")
    ),
)

# Continuity: an earlier placement with this household rated at least this well by the
# family counts fully; one without a rating, or ended early with a lower one, counts half.
CONTINUITY_GOOD_RATING = 4
_CONTINUITY = (
    sa.select(Placement.assistant_id, sa.func.max(Placement.family_rating))
    .join(CareRequest, CareRequest.id == Placement.request_id)
    .join(CareRecipient, CareRecipient.id == CareRequest.recipient_id)
    .where(CareRecipient.household_id == sa.bindparam("household_id"))
    .group_by(Placement.assistant_id)
)

_ASSISTANTS = (
    sa.select(
        Assistant.id,
        Assistant.display_name,
        Municipality.name.label("municipality"),
        Municipality.province,
        # The map shows the municipality, never an assistant's precise address.
        Municipality.lat,
        Municipality.lon,
        Proposal.status.label("proposal_status"),
    )
    .join(Municipality, Municipality.istat == Assistant.municipality_id)
    .outerjoin(
        Proposal,
        sa.and_(
            Proposal.assistant_id == Assistant.id,
            Proposal.request_id == sa.bindparam("request_id"),
        ),
    )
    .where(Assistant.id.in_(sa.bindparam("ids", expanding=True)))
)


def match_request(session: Session, actor: User, request_id: int) -> MatchRequest | None:
    """The request if ``actor`` may broker its household, else None (two statements
    and one for continuity; the access check is part of the first)."""
    stmt = scope_brokered_households(_REQUEST, actor)
    row = session.execute(stmt, {"request_id": request_id}).one_or_none()
    if row is None:
        return None
    codes: dict[tuple[str, bool], set[str]] = {}
    params = {"request_id": request_id, "recipient_id": row.recipient_id}
    for kind, code, required in session.execute(_CODES, params):
        codes.setdefault((kind, bool(required)), set()).add(code)
    return MatchRequest(
        **row._asdict(),
        required_qualifications=frozenset(codes.get(("q", True), ())),
        preferred_qualifications=frozenset(codes.get(("q", False), ())),
        required_languages=frozenset(codes.get(("l", True), ())),
        preferred_languages=frozenset(codes.get(("l", False), ())),
        conditions=frozenset(codes.get(("c", True), ())),
        continuity=continuity(session, row.household_id),
    )


def continuity(session: Session, household_id: int) -> dict[int, float]:
    """Assistants who already worked for this household, and how well (0..1)."""
    rows = session.execute(_CONTINUITY, {"household_id": household_id})
    return {
        int(aid): 1.0 if best is not None and best >= CONTINUITY_GOOD_RATING else 0.5
        for aid, best in rows
    }


def assistant_rows(
    session: Session, ids: Sequence[int], request_id: int | None = None
) -> dict[int, AssistantRow]:
    """Name and comune of each assistant, and the status of a proposal already made for
    ``request_id`` (one statement)."""
    if not ids:
        return {}
    params: dict[str, Any] = {"ids": list(ids), "request_id": request_id or -1}
    return {row.id: AssistantRow(*row) for row in session.execute(_ASSISTANTS, params)}
