"""The assistant change log: every transaction that changes what matching reads about an
assistant appends the assistant's id to ``assistant_change``, in the same transaction.

Every app server polls the log before it matches (see ``live.LiveIndex``), so a change
committed through any process reaches the index of every other one: nothing relies on one
process's memory. ORM changes are logged automatically by a flush listener; code that
writes with bulk Core statements calls :func:`mark_changed` or :func:`mark_all`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantLanguage,
    AssistantQualification,
)
from carenet.core.db import listen_once, utcnow
from carenet.jobs.models import AssistantChange
from carenet.placements.models import Placement, PlacementSlot

#: ``assistant_id`` of a change that asks every index for a full rebuild (bulk loads).
EVERYONE = 0

_BY_ID = (Assistant,)
_BY_ASSISTANT_ID = (
    AssistantQualification,
    AssistantLanguage,
    AssistantCondition,
    Placement,
    PlacementSlot,
)


#: ``session.info`` key: the transaction logged a change (counted when it commits).
_PENDING = "carenet.assistant_changes_pending"
_local_commits = 0


def local_commits() -> int:
    """How many transactions of this process have committed assistant changes: the
    process's index reads the log at once when this moved, whatever its poll interval."""
    return _local_commits


def mark_changed(session: Session, assistant_ids: Iterable[int]) -> None:
    """Log that these assistants' matching inputs changed (within the caller's transaction)."""
    rows = [{"assistant_id": int(i), "at": utcnow()} for i in sorted(set(assistant_ids))]
    if rows:
        session.connection().execute(sa.insert(AssistantChange.__table__), rows)  # type: ignore[arg-type]
        session.info[_PENDING] = True


def mark_all(session: Session) -> None:
    """Ask every process to rebuild its index (after a bulk load that bypassed the ORM)."""
    mark_changed(session, [EVERYONE])


def _changed_assistants(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.deleted, *session.dirty):
        if isinstance(obj, _BY_ID):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(obj, _BY_ASSISTANT_ID):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            if obj.assistant_id is not None:
                ids.add(obj.assistant_id)
    return ids


def register_freshness_listener() -> None:
    """Log, on every flush, the assistants it changed (the matching index follows them)."""
    listen_once(Session, "after_flush", _log_changes)
    listen_once(Session, "after_commit", _count_commit)
    listen_once(Session, "after_rollback", _forget_changes)


def _log_changes(session: Session, flush_context: Any) -> None:
    """Append the assistants touched by this flush to the change log."""
    ids = _changed_assistants(session)
    if ids:
        mark_changed(session, ids)


def _count_commit(session: Session) -> None:
    global _local_commits
    if session.info.pop(_PENDING, False):
        _local_commits += 1


def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)
