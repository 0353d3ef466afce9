"""Writing to the append-only audit log."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
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
