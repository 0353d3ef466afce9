"""State the application owns: its settings, its sessions and its listeners."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from carenet.core.db import context_sessions, db
from carenet.core.settings import current_settings
from carenet.jobs.queue import enqueue_after_commit, register_queue_listeners


@pytest.mark.parametrize("config_overrides", [{"PASSWORD_MIN_LENGTH": 12, "LANGUAGES": ["it"]}])
def test_the_settings_are_read_once_typed_and_frozen(app: Flask) -> None:
    with app.app_context():
        settings = current_settings()
    assert settings.password_min_length == 12
    assert settings.languages == ("it",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.password_min_length = 1  # type: ignore[misc]


def test_the_sessions_db_hands_out_are_known_then_closed_by_the_extension(app: Flask) -> None:
    # Fails when Flask-SQLAlchemy-Lite stops handing out sessions through get_session
    # (db.session) or stops closing them when the context ends: the request transaction
    # commits what context_sessions() lists.
    with app.app_context():
        assert context_sessions() == []
        session = db.session
        assert db.get_session() is session
        assert context_sessions() == [session]
        session.connection()  # begins a transaction
        assert session.in_transaction()
    assert not session.in_transaction()


def test_no_async_teardown_runs_but_sessions_are_still_closed(app: Flask) -> None:
    teardowns = app.teardown_appcontext_funcs
    assert not [f for f in teardowns if inspect.iscoroutinefunction(f)]
    assert [f for f in teardowns if f.__module__.startswith("flask_sqlalchemy_lite")]


def test_registering_the_listeners_again_does_not_run_them_twice(app: Flask) -> None:
    calls: list[str] = []

    class Task:
        task_class = object

        def __call__(self, value: str) -> None:
            calls.append(value)

    register_queue_listeners()  # create_app registered them already
    with app.app_context():
        session: Session = db.session
        enqueue_after_commit(session, Task(), "once")  # type: ignore[arg-type]
        session.commit()
    assert calls == ["once"]
