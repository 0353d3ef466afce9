"""JSON API of the notifications feature: my notifications, marking them read."""

from __future__ import annotations

from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import Blueprint, document_errors, provides
from carenet.core.db import db
from carenet.notifications import presenters, services
from carenet.notifications.schemas import (
    NotificationListQuery,
    NotificationPageSchema,
    NotificationSchema,
    ReadAllSchema,
)

blp = Blueprint(
    "notifications_api", __name__, url_prefix="/api/v1/notifications", description="notifications"
)


@blp.route("", methods=["GET"])
@login_required
@document_errors(blp, 401)
@blp.arguments(NotificationListQuery, location="query")
@blp.response(200, NotificationPageSchema)
@provides(blp, 200, notification_id="/items/0/id")
def list_notifications(args: dict[str, Any]) -> dict[str, Any]:
    """My notifications, unread first (or newest first), a page at a time."""
    user = current_actor()
    rows, total = services.list_notifications(
        db.session,
        user,
        order=args["order"],
        unread_only=args["unread"],
        page=args["page"],
        per_page=args["per_page"],
    )
    return {
        "items": [presenters.present_notification(n) for n in rows],
        "total": total,
        "page": args["page"],
        "per_page": args["per_page"],
        "unread": services.count_unread(db.session, user),
    }


@blp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
@document_errors(blp, 401, 404)
@blp.response(200, NotificationSchema)
def mark_notification_read(notification_id: int) -> dict[str, Any]:
    """Mark one of my notifications read."""
    notification = services.mark_read(db.session, current_actor(), notification_id)
    return presenters.present_notification(notification)


@blp.route("/read-all", methods=["POST"])
@login_required
@document_errors(blp, 401)
@blp.response(200, ReadAllSchema)
def mark_all_notifications_read() -> dict[str, Any]:
    """Mark all my notifications read."""
    user = current_actor()
    updated = services.mark_all_read(db.session, user)
    return {"updated": updated, "unread": services.count_unread(db.session, user)}
