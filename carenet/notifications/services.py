"""Notifications: one call for every feature that tells a user something.

``notify`` adds the in-app row inside the caller's transaction and asks the job queue to
send the e-mail copy once that transaction commits (a rolled-back request sends
nothing). The user reads them in the bell, the page and the API.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.core.db import utcnow
from carenet.core.errors import NotFound
from carenet.jobs.queue import enqueue_after_commit
from carenet.notifications.models import Notification

ORDERS = ("unread_first", "newest")


def notify(
    session: Session,
    user_id: int,
    kind: str,
    data: dict[str, Any] | None = None,
    link: str = "",
) -> Notification:
    """Tell ``user_id`` about something (``kind`` names a message template)."""
    from carenet.notifications.tasks import send_notification_email

    notification = Notification(user_id=user_id, kind=kind, data=data or {}, link=link)
    session.add(notification)
    session.flush()
    enqueue_after_commit(session, send_notification_email, notification.id)
    return notification


def list_notifications(
    session: Session,
    actor: User,
    *,
    order: str = "unread_first",
    unread_only: bool = False,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Notification], int]:
    """A page of ``actor``'s notifications (unread first, or newest first) and their total."""
    stmt = sa.select(Notification).where(Notification.user_id == actor.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    ordering: list[Any] = []
    if order == "unread_first":
        ordering.append(sa.case((Notification.read_at.is_(None), 0), else_=1))
    ordering += [Notification.created_at.desc(), Notification.id.desc()]
    rows = session.scalars(stmt.order_by(*ordering).offset((page - 1) * per_page).limit(per_page))
    return list(rows), total


def count_unread(session: Session, actor: User) -> int:
    """How many of ``actor``'s notifications are unread (the bell)."""
    stmt = sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == actor.id, Notification.read_at.is_(None)
    )
    return session.scalar(stmt) or 0


def get_notification(session: Session, actor: User, notification_id: int) -> Notification:
    """One of ``actor``'s notifications, or NotFound (someone else's is not found either)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound(_("Notification %(id)s not found.", id=notification_id))
    return notification


def mark_read(session: Session, actor: User, notification_id: int) -> Notification:
    """Mark one notification read (already read: unchanged)."""
    notification = get_notification(session, actor, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
        record_event(session, actor, "notification.read", "notification", notification.id)
    return notification


def mark_all_read(session: Session, actor: User) -> int:
    """Mark every unread notification of ``actor`` read; how many were."""
    result = session.execute(
        sa.update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        record_event(session, actor, "notification.read_all", "user", actor.id, {"count": count})
    return count
