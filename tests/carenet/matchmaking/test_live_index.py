"""The per-process index and the change log: out-of-order commits, rebuild requests,
removals, and a bounded re-read window."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.jobs.models import AssistantChange
from carenet.matchmaking.freshness import EVERYONE
from carenet.matchmaking.live import WINDOW, LiveIndex


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def log(session: Session, change_id: int, assistant_id: int) -> None:
    """A change row with an explicit id, as a transaction that committed late would leave."""
    session.execute(sa.insert(AssistantChange).values(id=change_id, assistant_id=assistant_id))
    session.commit()


def test_a_lower_id_committed_after_a_higher_one_is_still_applied(
    db_session: Session, factories: Any
) -> None:
    first = factories.AssistantFactory()
    clock = Clock()
    live = LiveIndex(clock=clock)
    live.refresh(db_session)
    assert first.id in live.index  # type: ignore[operator]
    base = db_session.scalar(sa.select(sa.func.max(AssistantChange.id))) or 0

    # Change 100 commits first, change 50 (flushed earlier) commits a moment later.
    late = factories.AssistantFactory()
    log(db_session, base + 100, first.id)
    clock.now += 1
    live.refresh(db_session)
    log(db_session, base + 50, late.id)
    clock.now += 1
    index = live.refresh(db_session)
    assert late.id in index
    assert live.stats.builds == 1


def test_the_re_read_window_moves_forward(db_session: Session, factories: Any) -> None:
    assistant = factories.AssistantFactory()
    clock = Clock()
    live = LiveIndex(clock=clock)
    live.refresh(db_session)
    base = db_session.scalar(sa.select(sa.func.max(AssistantChange.id))) or 0
    log(db_session, base + 10, assistant.id)
    clock.now += 1
    live.refresh(db_session)
    applied = live.stats.applied
    # Two polls more than WINDOW apart: the floor passes base + 10, which is not read again.
    clock.now += WINDOW + 1
    live.refresh(db_session)
    clock.now += WINDOW + 1
    live.refresh(db_session)
    assert live._marks[0][1] >= base + 10
    assert live.stats.applied == applied


def test_a_rebuild_request_and_a_deleted_assistant(db_session: Session, factories: Any) -> None:
    keep, gone = factories.AssistantFactory(), factories.AssistantFactory()
    clock = Clock()
    live = LiveIndex(clock=clock)
    live.refresh(db_session)
    db_session.delete(db_session.get(Assistant, gone.id))
    db_session.commit()  # the flush listener logs the deleted assistant
    clock.now += 1
    index = live.refresh(db_session)
    assert gone.id not in index and keep.id in index

    base = db_session.scalar(sa.select(sa.func.max(AssistantChange.id))) or 0
    log(db_session, base + 1, EVERYONE)
    clock.now += 1
    live.refresh(db_session)
    assert live.stats.builds == 2
