"""Reminders 30 days before an assistant's qualification or residence permit expires.

Each reminder is one notification whose data carries a key naming the item and its
expiry date, so running the reminders again (the daily task, the CLI command, a retry)
sends nothing new; a renewed item with a new date gets its own reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from carenet.assistants.models import (
    Assistant,
    AssistantDocument,
    AssistantQualification,
    Qualification,
)
from carenet.auth.models import User
from carenet.notifications.models import Notification
from carenet.notifications.services import notify

WINDOW_DAYS = 30
KINDS = ("qualification.expiring", "document.expiring")
REMINDED_DOCUMENT_KINDS = ("residence_permit",)


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: who, which kind, its idempotency key and message data."""

    user_id: int
    kind: str
    key: str
    data: dict[str, Any] = field(hash=False, compare=False)


def _profile_link() -> str:
    try:
        return current_app.url_map.bind("localhost").build("assistants.my_profile")
    except BuildError:
        return ""


def due_reminders(session: Session, today: dt.date) -> list[Reminder]:
    """Reminders for items expiring within 30 days of ``today`` not yet reminded."""
    horizon = today + dt.timedelta(days=WINDOW_DAYS)
    qualifications = session.execute(
        sa.select(
            AssistantQualification.id,
            AssistantQualification.expires_on,
            Qualification.code,
            Qualification.name_it,
            Qualification.name_en,
            User.id,
            User.locale,
        )
        .join(Qualification, AssistantQualification.qualification_code == Qualification.code)
        .join(Assistant, AssistantQualification.assistant_id == Assistant.id)
        .join(User, Assistant.user_id == User.id)
        .where(AssistantQualification.expires_on.between(today, horizon), User.is_enabled)
        .order_by(AssistantQualification.id)
    )
    documents = session.execute(
        sa.select(
            AssistantDocument.id, AssistantDocument.expires_on, AssistantDocument.kind, User.id
        )
        .join(Assistant, AssistantDocument.assistant_id == Assistant.id)
        .join(User, Assistant.user_id == User.id)
        .where(
            AssistantDocument.kind.in_(REMINDED_DOCUMENT_KINDS),
            AssistantDocument.expires_on.between(today, horizon),
            User.is_enabled,
        )
        .order_by(AssistantDocument.id)
    )
    candidates: list[Reminder] = []
    for item_id, expires_on, code, name_it, name_en, user_id, locale in qualifications:
        assert expires_on is not None  # selected by its range
        key = f"qualification:{item_id}:{expires_on.isoformat()}"
        data = {
            "reminder": key,
            "qualification_code": code,
            "qualification": name_en if locale == "en" else name_it,
            "expires_on": expires_on.isoformat(),
        }
        candidates.append(Reminder(user_id, "qualification.expiring", key, data))
    for item_id, expires_on, kind, user_id in documents:
        assert expires_on is not None
        key = f"document:{item_id}:{expires_on.isoformat()}"
        data = {"reminder": key, "document_kind": kind, "expires_on": expires_on.isoformat()}
        candidates.append(Reminder(user_id, "document.expiring", key, data))
    sent = _sent_keys(session, {r.user_id for r in candidates})
    return [r for r in candidates if (r.user_id, r.key) not in sent]


def _sent_keys(session: Session, user_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    rows = session.execute(
        sa.select(Notification.user_id, Notification.data["reminder"].as_string()).where(
            Notification.kind.in_(KINDS), Notification.user_id.in_(ids)
        )
    )
    return {(user_id, key) for user_id, key in rows if key}


def send_reminder(session: Session, reminder: Reminder) -> Notification:
    """Notify the assistant (the e-mail follows once the transaction commits)."""
    return notify(session, reminder.user_id, reminder.kind, reminder.data, _profile_link())


def send_due_reminders(session: Session, today: dt.date) -> int:
    """Send every due reminder; how many were sent."""
    reminders = due_reminders(session, today)
    for reminder in reminders:
        send_reminder(session, reminder)
    return len(reminders)
