"""``core.db.lock_row``: a portable row lock that reloads the row and changes nothing."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.core.db import lock_row

# Other connections see and wait for the test's rows: real commits.
pytestmark = pytest.mark.commits


def test_the_lock_reloads_what_others_committed_and_writes_nothing(
    app: Flask, db_session: Session, factories: Any
) -> None:
    assistant = factories.AssistantFactory(display_name="Irina")
    db_session.commit()
    before = db_session.execute(
        sa.select(Assistant.display_name, Assistant.updated_at).where(Assistant.id == assistant.id)
    ).one()
    # Another connection renames her; this session still holds the old name.
    with Session(db_session.get_bind()) as other:
        other.execute(
            sa.update(Assistant).where(Assistant.id == assistant.id).values(display_name="Ira")
        )
        other.commit()
        renamed_at = other.execute(
            sa.select(Assistant.updated_at).where(Assistant.id == assistant.id)
        ).scalar_one()
    assert assistant.display_name == "Irina"

    lock_row(db_session, assistant)
    assert assistant.display_name == "Ira"
    db_session.commit()
    after = db_session.execute(
        sa.select(Assistant.updated_at).where(Assistant.id == assistant.id)
    ).scalar_one()
    # The no-op write SQLite needs leaves even updated_at alone (the rename bumped it).
    assert after == renamed_at == assistant.updated_at
    assert renamed_at > before.updated_at


def test_a_second_locker_waits_for_the_first_to_end(
    app: Flask, db_session: Session, factories: Any
) -> None:
    assistant = factories.AssistantFactory()
    db_session.commit()
    engine = db_session.get_bind()
    order: list[str] = []
    locked = threading.Event()

    def second() -> None:
        with Session(engine) as session:
            row = session.get(Assistant, assistant.id)
            locked.wait(10)
            lock_row(session, row)
            order.append("second locked")
            session.commit()

    thread = threading.Thread(target=second)
    thread.start()
    with Session(engine) as first:
        row = first.get(Assistant, assistant.id)
        lock_row(first, row)
        locked.set()
        time.sleep(0.5)  # the second is now waiting for the lock
        order.append("first done")
        first.commit()
    thread.join(15)
    assert order == ["first done", "second locked"]
