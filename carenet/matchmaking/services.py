"""Matching in the service: rank the assistants for a care request, explain any one.

The process's index lives on the application (``app.extensions``) and is refreshed from
the shared change log before every use (see ``live``). Access: only operators who may
broker the household (``access.policy.can_broker``) match; everyone else gets a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from carenet.access.policy import can_broker, can_see_candidate
from carenet.assistants.models import Assistant
from carenet.audit.services import record_health_read
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.errors import Conflict, NotFound
from carenet.families.models import CareRecipient, Household
from carenet.families.services import HEALTH_FIELDS
from carenet.gazetteer.models import Municipality
from carenet.matchmaking.adapter import demand_for
from carenet.matchmaking.live import LiveIndex
from carenet.matchmaking.messages import filter_message
from carenet.proposals.models import Proposal
from matching import Candidate, Demand, Explanation, Match, Rules, Weights

EXTENSION = "carenet.matching"
#: Statuses in which a request can be matched.
MATCHABLE = frozenset({"open", "matching", "proposed"})


def live_index() -> LiveIndex:
    """This process's index for the current application (built on first use)."""
    live = current_app.extensions.get(EXTENSION)
    if live is None:
        weights = current_app.config.get("MATCHING_WEIGHTS") or {}
        live = LiveIndex(rules=Rules(weights=Weights(**weights)))
        current_app.extensions[EXTENSION] = live
    return live  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Filters:
    """What an operator narrows a match with; each only tightens the request's rules."""

    k: int = 20
    max_km: float | None = None
    languages: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    min_score: float = 0.0


@dataclass(frozen=True)
class RankedCandidate:
    """A ranked assistant with what the operator needs to judge it."""

    rank: int
    match: Match
    assistant: Any  # a row: id, display_name, municipality name, province, lat, lon
    proposal_status: str | None


def get_matchable(session: Session, actor: User, request_id: int) -> CareRequest:
    """The request, if ``actor`` may broker it; otherwise 404 (its existence not revealed).

    Everything matching reads of the request comes in one query: the person, the
    household and its comune, the required and preferred codes, the conditions.
    """
    recipient = joinedload(CareRequest.recipient)
    stmt = (
        sa.select(CareRequest)
        .where(CareRequest.id == request_id)
        .options(
            recipient.joinedload(CareRecipient.household).joinedload(Household.municipality),
            recipient.joinedload(CareRecipient.conditions),
            joinedload(CareRequest.qualifications),
            joinedload(CareRequest.languages),
        )
    )
    request = session.execute(stmt).unique().scalar_one_or_none()
    if request is None or not can_broker(actor, request.recipient.household):
        raise NotFound(_("Care request not found."))
    return request


def _demand(session: Session, request: CareRequest, filters: Filters | None = None) -> Demand:
    f = filters or Filters()
    return demand_for(
        session,
        request,
        max_km=f.max_km,
        extra_languages=f.languages,
        extra_qualifications=f.qualifications,
    )


def rank(
    session: Session, actor: User, request: CareRequest, filters: Filters | None = None
) -> tuple[Demand, list[RankedCandidate]]:
    """The best ``filters.k`` eligible assistants for ``request``, with every component,
    and the demand they were ranked for."""
    if request.status not in MATCHABLE:
        raise Conflict(
            _("A request in status %(status)s cannot be matched.", status=request.status),
            {"status": request.status},
        )
    f = filters or Filters()
    demand = _demand(session, request, f)
    with live_index().use(session) as index:
        matches = index.rank(demand, k=f.k)
    matches = [m for m in matches if m.score >= f.min_score]
    rows = _assistant_rows(session, [m.id for m in matches], request.id)
    audit_health_read(session, actor, request, "match", returned=len(matches))
    return demand, [
        RankedCandidate(i + 1, m, rows[m.id], rows[m.id].proposal_status)
        for i, m in enumerate(matches)
        if m.id in rows
    ]


def audit_health_read(
    session: Session, actor: User, request: CareRequest, via: str, **data: Any
) -> None:
    """A match, an explanation or a bulk run reads the person's conditions and
    self-sufficiency (the demand is built from them, and the score shows them): it is a
    read of health information, in the case's access log ("who viewed this case")."""
    record_health_read(
        session,
        actor,
        request.recipient_id,
        HEALTH_FIELDS,
        via=via,
        care_request_id=request.id,
        **data,
    )


def _assistant_not_found() -> NotFound:
    """The one answer about an assistant the operator may not learn about, whether she
    exists or not: no name, no distance, no reason."""
    return NotFound(_("Assistant not found."))


def explain_visible(
    session: Session, actor: User, request: CareRequest, assistant_id: int
) -> tuple[Explanation, Candidate, Demand]:
    """The engine's explanation of ``assistant_id`` for ``request``, if ``actor`` may learn
    about her through it (``policy.can_see_candidate``); otherwise ``NotFound``, the same
    answer as for an assistant who does not exist.

    "Why not" and proposing (by hand, or a bulk run's drafts) both ask through here, so
    neither reveals a name, a distance or a reason the other would not.
    """
    demand = _demand(session, request)
    with live_index().use(session) as index:
        if assistant_id not in index:
            raise _assistant_not_found()
        explanation = index.explain(demand, assistant_id)
        candidate = index.candidate(assistant_id)
    assistant = session.get(Assistant, assistant_id)
    if assistant is None or not can_see_candidate(
        actor, assistant, explanation.distance_km, demand.max_distance_km
    ):
        raise _assistant_not_found()
    return explanation, candidate, demand


@dataclass(frozen=True)
class WhyNot:
    """An explanation in the reader's language, with the assistant it concerns."""

    explanation: Explanation
    reason: str
    assistant: Any


def why_not(session: Session, actor: User, request: CareRequest, assistant_id: int) -> WhyNot:
    """Explain one assistant to an operator who may broker ``request``.

    Only assistants the operator could meet through this request are explained: those
    within the family's maximum distance, or in the operator's own register (territory).
    Anyone else is "not found", so ids cannot be walked to learn names across Italy.
    """
    explanation, candidate, demand = explain_visible(session, actor, request, assistant_id)
    rows = _assistant_rows(session, [assistant_id])
    if assistant_id not in rows:
        raise _assistant_not_found()
    reason = filter_message(explanation, candidate, demand)
    audit_health_read(session, actor, request, "why_not", assistant_id=assistant_id)
    return WhyNot(explanation, reason, rows[assistant_id])


def _assistant_rows(
    session: Session, ids: Iterable[int], request_id: int | None = None
) -> dict[int, Any]:
    """Name and municipality of each assistant, and the status of a proposal already made
    for ``request_id`` (one query)."""
    ids = list(ids)
    if not ids:
        return {}
    a = Assistant
    stmt = (
        sa.select(
            a.id,
            a.display_name,
            Municipality.name.label("municipality"),
            Municipality.province,
            # The map shows the municipality, never an assistant's precise address.
            Municipality.lat,
            Municipality.lon,
            Proposal.status.label("proposal_status"),
        )
        .join(Municipality, Municipality.istat == a.municipality_id)
        .outerjoin(
            Proposal,
            sa.and_(Proposal.assistant_id == a.id, Proposal.request_id == (request_id or -1)),
        )
        .where(a.id.in_(ids))
    )
    return {row.id: row for row in session.execute(stmt)}
