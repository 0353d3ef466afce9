"""E-mail through Flask-Mailman; by default written to the log instead of sent.

``MAIL_BACKEND`` chooses: this module (the default: one structured log line per
message, no server needed), ``smtp`` (the ``MAIL_*`` server settings), or ``locmem``
(tests: messages collected in ``current_app.extensions["mailman"].outbox``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from flask import Flask
from flask_mailman import EmailMessage, Mail
from flask_mailman.backends.base import BaseEmailBackend

log = structlog.get_logger("carenet.mail")

mail = Mail()


def init_mail(app: Flask) -> None:
    """Bind Flask-Mailman to ``app``'s ``MAIL_*`` settings."""
    mail.init_app(app)


class EmailBackend(BaseEmailBackend):  # type: ignore[misc]
    """Write each message to the log (recipient, subject, body) instead of sending it.

    Notification texts never carry health information, so the body may be logged.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Log every message; return how many there were."""
        count = 0
        for message in email_messages:
            message.message()  # validates the headers, as a real send would
            log.info(
                "email",
                to=list(message.to),
                from_email=message.from_email,
                subject=message.subject,
                body=message.body,
            )
            count += 1
        return count


def send_email(to: str, subject: str, body: str, **headers: Any) -> int:
    """Send one plain-text message with the configured backend."""
    message = EmailMessage(subject=subject, body=body, to=[to], headers=headers or None)
    return int(message.send())
