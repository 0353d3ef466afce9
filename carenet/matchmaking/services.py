"""Matching in the service: rank the assistants for a care request, explain any one.

The index is the application's collaborator (``index.init_matching``), passed in by the
routes; it is refreshed from the shared change log before use (see ``live``). Access:
only operators who may broker the household (``access.policy.can_broker``) match;
everyone else gets a 404.

The match request (``match``) reads the request with plain Core statements
(``queries``), its access check folded into the first; the pages read it as a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
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
from carenet.matchmaking import adapter, queries
from carenet.matchmaking.index import live_index as live_index  # for pages and bulk runs
from carenet.matchmaking.live import LiveIndex
from carenet.matchmaking.messages import filter_message
from matching import Candidate, Demand, Explanation, Match

#: Statuses in which a request can be matched.
MATCHABLE = frozenset({"open", "matching", "proposed"})


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
    assistant: queries.AssistantRow
    proposal_status: str | None


def _request_not_found() -> NotFound:
    return NotFound(_("Care request not found."))


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
        raise _request_not_found()
    return request


def _demand(request: queries.MatchRequest, filters: Filters | None = None) -> Demand:
    f = filters or Filters()
    return adapter.demand(
        request,
        max_km=f.max_km,
        extra_languages=f.languages,
        extra_qualifications=f.qualifications,
    )


def match(
    session: Session, live: LiveIndex, actor: User, request_id: int, filters: Filters
) -> tuple[queries.MatchRequest, Demand, list[RankedCandidate]]:
    """The match request: the request ``actor`` may broker (else 404), the demand built
    from it and its best ``filters.k`` eligible assistants, each with every component."""
    request = queries.match_request(session, actor, request_id)
    if request is None:
        raise _request_not_found()
    demand, items = _rank(session, live, actor, request, filters)
    return request, demand, items


def rank(
    session: Session, actor: User, request: CareRequest, filters: Filters | None = None
) -> tuple[Demand, list[RankedCandidate]]:
    """:func:`match` for a request the page already loaded, on the application's index."""
    return _rank(session, live_index(), actor, adapter.request_of(session, request), filters)


def _rank(
    session: Session,
    live: LiveIndex,
    actor: User,
    request: queries.MatchRequest,
    filters: Filters | None = None,
) -> tuple[Demand, list[RankedCandidate]]:
    if request.status not in MATCHABLE:
        raise Conflict(
            _("A request in status %(status)s cannot be matched.", status=request.status),
            {"status": request.status},
        )
    f = filters or Filters()
    demand = _demand(request, f)
    with live.use(session) as index:
        matches = index.rank(demand, k=f.k)
    matches = [m for m in matches if m.score >= f.min_score]
    rows = queries.assistant_rows(session, [m.id for m in matches], request.id)
    audit_health_read(session, actor, request, "match", returned=len(matches))
    return demand, [
        RankedCandidate(i + 1, m, rows[m.id], rows[m.id].proposal_status)
        for i, m in enumerate(matches)
        if m.id in rows
    ]


def audit_health_read(
    session: Session,
    actor: User,
    request: CareRequest | queries.MatchRequest,
    via: str,
    **data: Any,
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
    demand = _demand(adapter.request_of(session, request))
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
    assistant: queries.AssistantRow


def why_not(session: Session, actor: User, request: CareRequest, assistant_id: int) -> WhyNot:
    """Explain one assistant to an operator who may broker ``request``.

    Only assistants the operator could meet through this request are explained: those
    within the family's maximum distance, or in the operator's own register (territory).
    Anyone else is "not found", so ids cannot be walked to learn names across Italy.
    """
    explanation, candidate, demand = explain_visible(session, actor, request, assistant_id)
    rows = queries.assistant_rows(session, [assistant_id])
    if assistant_id not in rows:
        raise _assistant_not_found()
    reason = filter_message(explanation, candidate, demand)
    audit_health_read(session, actor, request, "why_not", assistant_id=assistant_id)
    return WhyNot(explanation, reason, rows[assistant_id])
