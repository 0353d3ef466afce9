"""Notifications as plain dicts, their text in the current language."""

from __future__ import annotations

from typing import Any

from carenet.notifications import messages
from carenet.notifications.models import Notification


def present_notification(notification: Notification) -> dict[str, Any]:
    """A notification with its rendered title and body."""
    text = messages.render(notification.kind, notification.data or {})
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": text.title,
        "body": text.body,
        "link": notification.link or "",
        "data": notification.data or {},
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "emailed_at": notification.emailed_at,
    }
