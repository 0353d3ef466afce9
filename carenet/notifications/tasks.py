"""Tasks of the notifications feature: the e-mail copy, the daily expiry reminders."""

from __future__ import annotations

import datetime as dt

import structlog
from huey import crontab

from carenet.auth.models import User
from carenet.core.db import db, utcnow
from carenet.core.settings import current_settings
from carenet.jobs.queue import huey, periodic_task, task
from carenet.notifications import messages, reminders
from carenet.notifications.mail import send_email
from carenet.notifications.models import Notification

log = structlog.get_logger(__name__)


@task(retries=3, retry_delay=60)
def send_notification_email(notification_id: int) -> bool:
    """E-mail a notification to its user in their language, once (``emailed_at``)."""
    session = db.session
    notification = session.get(Notification, notification_id)
    if notification is None or notification.emailed_at is not None:
        return False
    user = session.get(User, notification.user_id)
    if user is None or not user.is_enabled:
        return False
    message = messages.render(notification.kind, notification.data, user.locale)
    body = message.body
    if notification.link:
        body += "\n\n" + current_settings().mail_base_url.rstrip("/") + notification.link
    send_email(user.email, message.title, body)
    notification.emailed_at = utcnow()
    log.info("notification_emailed", notification_id=notification.id, kind=notification.kind)
    return True


@periodic_task(crontab(hour="6", minute="30"))
def send_expiry_reminders() -> int:
    """Daily: remind assistants 30 days before a qualification or permit expires."""
    with huey.lock_task("carenet.expiry-reminders"):
        today = dt.datetime.now(dt.UTC).date()
        sent = reminders.send_due_reminders(db.session, today)
        log.info("expiry_reminders_sent", count=sent)
        return sent
