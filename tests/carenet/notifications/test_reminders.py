"""Reminders 30 days before a qualification or residence permit expires."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.assistants.models import AssistantDocument
from carenet.core.db import db
from carenet.jobs.queue import huey
from carenet.jobs.tasks import expire_proposals
from carenet.notifications import reminders
from carenet.notifications.models import Notification
from carenet.notifications.tasks import send_expiry_reminders

TODAY = dt.date(2026, 11, 25)


def _in(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


@pytest.fixture
def register(factories: Any, db_session: Session) -> dict[str, Any]:
    """Assistants with items expiring inside and outside the window."""
    user = factories.UserFactory(role="assistant", locale="en")
    assistant = factories.AssistantFactory(user_id=user.id)
    no_account = factories.AssistantFactory(user_id=None)
    q_soon = factories.AssistantQualificationFactory(
        assistant_id=assistant.id, qualification_code="oss", expires_on=_in(20)
    )
    factories.AssistantQualificationFactory(  # 40 days: not yet
        assistant_id=assistant.id, qualification_code="osa", expires_on=_in(40)
    )
    factories.AssistantQualificationFactory(  # already expired: no reminder
        assistant_id=assistant.id, qualification_code="first_aid", expires_on=_in(-1)
    )
    factories.AssistantQualificationFactory(
        assistant_id=no_account.id, qualification_code="oss", expires_on=_in(10)
    )
    permit = AssistantDocument(
        assistant_id=assistant.id, kind="residence_permit", expires_on=_in(30)
    )
    identity = AssistantDocument(assistant_id=assistant.id, kind="identity_card", expires_on=_in(5))
    db_session.add_all([permit, identity])
    db_session.commit()
    return {"user": user, "qualification": q_soon, "permit": permit}


def _sent(db_session: Session) -> list[Notification]:
    db_session.expire_all()
    return list(db_session.query(Notification).order_by(Notification.id))


def test_due_items_are_reminded_once(
    app: Flask, db_session: Session, register: dict[str, Any], outbox: list[Any]
) -> None:
    with app.app_context():
        assert reminders.send_due_reminders(db.session, TODAY) == 2
        db.session.commit()
        assert reminders.send_due_reminders(db.session, TODAY) == 0
        db.session.commit()
    rows = _sent(db_session)
    assert [(n.user_id, n.kind) for n in rows] == [
        (register["user"].id, "qualification.expiring"),
        (register["user"].id, "document.expiring"),
    ]
    assert rows[0].data["expires_on"] == _in(20).isoformat()
    assert rows[1].data["document_kind"] == "residence_permit"
    assert rows[0].link == "/assistants/me"
    assert len(outbox) == 2
    assert outbox[1].subject == "Residence permit expiring"
    assert "residence permit expires on December 25, 2026" in outbox[1].body


def test_a_renewed_item_gets_a_new_reminder(
    app: Flask, db_session: Session, register: dict[str, Any]
) -> None:
    with app.app_context():
        reminders.send_due_reminders(db.session, TODAY)
        db.session.commit()
    permit = db_session.get(AssistantDocument, register["permit"].id)
    assert permit is not None
    permit.expires_on = _in(60)
    db_session.commit()
    with app.app_context():
        assert reminders.send_due_reminders(db.session, _in(45)) == 1
        db.session.commit()
    assert len(_sent(db_session)) == 3


def test_the_cli_command_with_its_progress_bar(
    runner: FlaskCliRunner, db_session: Session, register: dict[str, Any]
) -> None:
    first = runner.invoke(args=["reminders", "send", "--date", TODAY.isoformat()])
    assert first.exit_code == 0, first.output
    assert "Sending reminders" in first.output
    assert "2 reminder(s) sent." in first.output
    second = runner.invoke(args=["reminders", "send", "--date", TODAY.isoformat()])
    assert "0 reminder(s) sent." in second.output
    assert len(_sent(db_session)) == 2


def test_the_daily_task_sends_the_reminders(
    app: Flask, db_session: Session, factories: Any
) -> None:
    user = factories.UserFactory(role="assistant")
    assistant = factories.AssistantFactory(user_id=user.id)
    today = dt.datetime.now(dt.UTC).date()
    factories.AssistantQualificationFactory(
        assistant_id=assistant.id, expires_on=today + dt.timedelta(days=3)
    )
    assert send_expiry_reminders.call_local() == 1
    assert send_expiry_reminders.call_local() == 0
    assert len(_sent(db_session)) == 1


def _runs_per_day(task: Any) -> int:
    start = dt.datetime(2026, 11, 25)
    minutes = (start + dt.timedelta(minutes=m) for m in range(24 * 60))
    return sum(
        task.task_class.__name__ in {t.name for t in huey.read_periodic(at)} for at in minutes
    )


def test_the_schedules() -> None:
    assert _runs_per_day(send_expiry_reminders) == 1
    assert _runs_per_day(expire_proposals) == 24


def test_the_hourly_task_calls_expire_due_when_it_exists(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    module = types.ModuleType("carenet.proposals.services")
    module.expire_due = lambda session, now: calls.append(now)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "carenet.proposals.services", module)
    expire_proposals.call_local()
    assert len(calls) == 1 and calls[0].tzinfo is not None


def test_the_hourly_task_does_nothing_without_expire_due(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("carenet.proposals.services")
    monkeypatch.setitem(sys.modules, "carenet.proposals.services", module)
    assert expire_proposals.call_local() is None
