"""Reading the audit log of one case: its timeline, and who read its health information.

The timeline gathers the events about a household, its people, their care requests, and
the proposals, placements and referrals of those; reads of health information are left
out of it (they are the access log, which fewer people may see). Nothing shown carries a
health detail: only the action, who did it, when, and status changes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.audit.models import AuditEvent
from carenet.audit.services import HEALTH_READ
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.errors import NotFound
from carenet.families.models import CareRecipient, Household
from carenet.organizations.models import Organization
from carenet.organizations.presenters import organization_ref
from carenet.placements.models import Placement
from carenet.proposals.models import Proposal
from carenet.referrals.models import Referral

# Keys of an event's data that may be shown: statuses only, never field values; and,
# for a referral revoked by cascade, the referral whose end caused it.
SHOWN_DATA_KEYS = ("from", "to", "status", "cascade_of")


def timeline_household(session: Session, actor: User, household_id: int) -> Household:
    """The household, or NotFound unless ``actor`` may see it (its family owner included)."""
    household = session.get(Household, household_id)
    if household is None or not policy.can_see_household(actor, household):
        raise NotFound(_("Household %(id)s not found.", id=household_id))
    return household


def access_log_household(session: Session, actor: User, household_id: int) -> Household:
    """The household, or NotFound unless ``actor`` may see who read its health information."""
    household = session.get(Household, household_id)
    if household is None or not policy.can_see_access_log(actor, household):
        raise NotFound(_("Household %(id)s not found.", id=household_id))
    return household


def _ids(session: Session, stmt: sa.Select) -> list[str]:  # type: ignore[type-arg]
    return [str(i) for i in session.scalars(stmt)]


def _entity(entity_type: str, ids: list[str]) -> sa.ColumnElement[bool]:
    return sa.and_(AuditEvent.entity_type == entity_type, AuditEvent.entity_id.in_(ids))


def _case_condition(
    session: Session, household: Household, sent_only: bool = False
) -> sa.ColumnElement[bool]:
    """Events about the household and everything hanging from it; with ``sent_only``,
    none about proposals never sent (drafts are the brokers' working material)."""
    recipients = sa.select(CareRecipient.id).where(CareRecipient.household_id == household.id)
    recipient_ids = _ids(session, recipients)
    request_ids = _ids(
        session, sa.select(CareRequest.id).where(CareRequest.recipient_id.in_(recipients))
    )
    requests_sub = sa.select(CareRequest.id).where(CareRequest.recipient_id.in_(recipients))
    proposals = sa.select(Proposal.id).where(Proposal.request_id.in_(requests_sub))
    if sent_only:
        proposals = proposals.where(Proposal.sent_at.is_not(None))
    proposal_ids = _ids(session, proposals)
    placement_ids = _ids(
        session, sa.select(Placement.id).where(Placement.request_id.in_(requests_sub))
    )
    referral_ids = _ids(
        session, sa.select(Referral.id).where(Referral.household_id == household.id)
    )
    # Proposals and placements also name their request in the event's data.
    by_request = sa.and_(
        AuditEvent.entity_type.in_(("placement",) if sent_only else ("proposal", "placement")),
        sa.cast(AuditEvent.data["request_id"].as_string(), sa.String).in_(request_ids),
    )
    return sa.or_(
        _entity("household", [str(household.id)]),
        _entity("care_recipient", recipient_ids),
        _entity("care_request", request_ids),
        _entity("proposal", proposal_ids),
        _entity("placement", placement_ids),
        _entity("referral", referral_ids),
        by_request,
    )


def _page(
    session: Session,
    stmt: sa.Select,
    page: int,
    per_page: int,  # type: ignore[type-arg]
) -> tuple[list[AuditEvent], int]:
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def case_timeline(
    session: Session, actor: User, household_id: int, page: int = 1, per_page: int = 50
) -> tuple[Household, list[AuditEvent], int]:
    """The case's events, newest first (reads of health information left out)."""
    household = timeline_household(session, actor, household_id)
    sent_only = not policy.can_broker(actor, household)
    stmt = sa.select(AuditEvent).where(
        _case_condition(session, household, sent_only), AuditEvent.action != HEALTH_READ
    )
    rows, total = _page(session, stmt, page, per_page)
    return household, rows, total


def access_log(
    session: Session, actor: User, household_id: int, page: int = 1, per_page: int = 50
) -> tuple[Household, list[AuditEvent], int]:
    """Reads of the health information of the household's people, newest first."""
    household = access_log_household(session, actor, household_id)
    recipients = _ids(
        session, sa.select(CareRecipient.id).where(CareRecipient.household_id == household.id)
    )
    stmt = sa.select(AuditEvent).where(
        AuditEvent.action == HEALTH_READ, _entity("care_recipient", recipients)
    )
    rows, total = _page(session, stmt, page, per_page)
    return household, rows, total


def _names(session: Session, events: list[AuditEvent]) -> tuple[dict[int, str], dict[int, Any]]:
    """Actors' names and organizations of ``events``, in two queries."""
    user_ids = {e.actor_user_id for e in events if e.actor_user_id is not None}
    org_ids = {e.organization_id for e in events if e.organization_id is not None}
    users: dict[int, str] = {}
    if user_ids:
        for user in session.scalars(sa.select(User).where(User.id.in_(user_ids))):
            users[user.id] = user.full_name
    organizations: dict[int, Any] = {}
    if org_ids:
        stmt = sa.select(Organization).where(Organization.id.in_(org_ids))
        organizations = {o.id: o for o in session.scalars(stmt)}
    return users, organizations


def _actor_and_organization(
    event: AuditEvent, users: dict[int, str], organizations: dict[int, Any]
) -> dict[str, Any]:
    organization = organizations.get(event.organization_id) if event.organization_id else None
    return {
        "actor": None
        if event.actor_user_id is None
        else {"id": event.actor_user_id, "name": users.get(event.actor_user_id, "")},
        "organization": None if organization is None else organization_ref(organization),
    }


def present_timeline(session: Session, events: list[AuditEvent]) -> list[dict[str, Any]]:
    """Timeline entries: when, who, their organization, what; statuses only from the data."""
    users, organizations = _names(session, events)
    return [
        {
            "id": e.id,
            "at": e.at,
            "action": e.action,
            "entity_type": e.entity_type,
            "entity_id": e.entity_id,
            "changes": {
                k: str(e.data[k])
                for k in SHOWN_DATA_KEYS
                if isinstance(e.data, dict) and isinstance(e.data.get(k), str | int)
            },
            **_actor_and_organization(e, users, organizations),
        }
        for e in events
    ]


def present_access_log(session: Session, events: list[AuditEvent]) -> list[dict[str, Any]]:
    """Access-log entries: who read whose health information, when, in which request."""
    users, organizations = _names(session, events)
    out = []
    for e in events:
        fields = e.data.get("fields") if isinstance(e.data, dict) else None
        out.append(
            {
                "id": e.id,
                "at": e.at,
                "recipient_id": int(e.entity_id),
                "what": [str(f) for f in fields] if isinstance(fields, list) else [],
                "request_id": e.request_id,
                **_actor_and_organization(e, users, organizations),
            }
        )
    return out
