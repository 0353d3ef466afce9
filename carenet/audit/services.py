"""Writing to the append-only audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import structlog
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.core.db import utcnow

if TYPE_CHECKING:
    from carenet.auth.models import User


def record_event(
    session: Session,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event (actor, organization, action, entity, request id) to the log."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    event = AuditEvent(
        actor_user_id=actor.id if actor is not None else None,
        organization_id=actor.organization_id if actor is not None else None,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        request_id=request_id,
        data=data or {},
    )
    session.add(event)
    return event


HEALTH_READ = "health.read"


def record_health_read(
    session: Session,
    actor: User | None,
    recipient_id: int,
    fields: Sequence[str],
    *,
    via: str,
    **data: Any,
) -> AuditEvent:
    """The one audited read of health information: a ``health.read`` event on the care
    recipient whose information was read, naming the fields and the path (``via``).

    Every path that reads it goes through here: the recipient's page and API, assessments,
    a request's health-derived fields, a match, a "why not", a bulk run (one event per
    request, by the operator who started it). "Who viewed this case" lists these events.
    """
    return record_event(
        session,
        actor,
        HEALTH_READ,
        "care_recipient",
        recipient_id,
        {"fields": list(fields), "via": via, **data},
    )


def record_health_reads(
    session: Session,
    actor: User | None,
    reads: Sequence[tuple[int, Sequence[str], dict[str, Any]]],
    *,
    via: str,
) -> None:
    """``record_health_read`` for a page of records at once, ``(recipient id, fields,
    data)`` each: one event per read, written in one statement (no query per row)."""
    if not reads:
        return
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    session.execute(
        sa.insert(AuditEvent),
        [
            {
                "at": utcnow(),
                "actor_user_id": actor.id if actor is not None else None,
                "organization_id": actor.organization_id if actor is not None else None,
                "action": HEALTH_READ,
                "entity_type": "care_recipient",
                "entity_id": str(recipient_id),
                "request_id": request_id,
                "data": {"fields": list(fields), "via": via, **data},
            }
            for recipient_id, fields, data in reads
        ],
    )
