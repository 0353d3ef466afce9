"""notify(): the in-app row, and the e-mail copy sent from the queue after commit."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from carenet.core.db import db
from carenet.notifications.models import Notification
from carenet.notifications.services import notify
from carenet.notifications.tasks import send_notification_email
from tests.carenet.families.helpers import count

EXPIRING = {"qualification": "OSS", "expires_on": "2026-12-24"}


def _notify(app: Flask, user_id: int, kind: str, data: dict[str, Any], link: str = "") -> int:
    with app.test_request_context():
        notification_id = notify(db.session, user_id, kind, data, link).id
        db.session.commit()
    return notification_id


@pytest.mark.parametrize(
    ("locale", "phrase"), [("en", "December 24, 2026"), ("it", "24 dicembre 2026")]
)
def test_the_email_follows_the_commit_in_the_users_language(
    app: Flask, db_session: Session, factories: Any, outbox: list[Any], locale: str, phrase: str
) -> None:
    user = factories.UserFactory(role="assistant", locale=locale)
    notification_id = _notify(
        app, user.id, "qualification.expiring", EXPIRING, link="/assistants/me"
    )
    assert len(outbox) == 1
    assert outbox[0].to == [user.email]
    assert phrase in outbox[0].body
    assert "OSS" in outbox[0].body
    assert outbox[0].body.endswith("http://127.0.0.1:5000/assistants/me")
    row = db_session.get(Notification, notification_id)
    assert row is not None and row.emailed_at is not None


def test_a_rolled_back_transaction_sends_nothing(
    app: Flask, db_session: Session, factories: Any, outbox: list[Any]
) -> None:
    user = factories.UserFactory()
    with app.test_request_context():
        notify(db.session, user.id, "proposal.new", {"reference": "P-1"})
        db.session.rollback()
    assert outbox == []
    assert count(db_session, Notification) == 0


def test_a_failed_request_sends_nothing(
    app: Flask, db_session: Session, factories: Any, outbox: list[Any]
) -> None:
    user = factories.UserFactory()

    @app.get("/test-notify-then-fail")
    def notify_then_fail() -> tuple[str, int]:
        notify(db.session, user.id, "proposal.new", {"reference": "P-1"})
        return "no", 409

    assert app.test_client().get("/test-notify-then-fail").status_code == 409
    assert outbox == []
    assert count(db_session, Notification) == 0


def test_each_notification_is_emailed_once(
    app: Flask, db_session: Session, factories: Any, outbox: list[Any]
) -> None:
    user = factories.UserFactory()
    notification_id = _notify(app, user.id, "proposal.new", {"reference": "P-7"})
    assert len(outbox) == 1
    send_notification_email(notification_id)  # a retried or repeated message
    assert len(outbox) == 1


def test_an_unknown_kind_still_sends_a_generic_text(
    app: Flask, factories: Any, outbox: list[Any]
) -> None:
    user = factories.UserFactory(locale="en")
    _notify(app, user.id, "something.new", {})
    assert outbox[0].subject == "New notification"


@pytest.mark.parametrize("config_overrides", [{"JOBS_IMMEDIATE": True}])
def test_by_default_emails_are_written_to_the_log(
    app: Flask, factories: Any, caplog: pytest.LogCaptureFixture
) -> None:
    assert app.config["MAIL_BACKEND"] == "carenet.notifications.mail"
    user = factories.UserFactory(locale="en")
    with caplog.at_level(logging.INFO, logger="carenet.mail"):
        _notify(app, user.id, "proposal.new", {"reference": "P-9"})
    lines = [r.msg for r in caplog.records if r.name == "carenet.mail"]
    assert len(lines) == 1
    assert isinstance(lines[0], dict)
    assert lines[0]["event"] == "email"
    assert lines[0]["to"] == [user.email]
    assert lines[0]["subject"] == "New proposal"
    assert "P-9" in lines[0]["body"]
