"""A matching index per process, kept fresh from the shared change log.

Each process builds its index once, from the database (at start: see ``index``), then
before a use reads the ``assistant_change`` rows it has not applied and reloads just those
assistants. The log is read at most every ``POLL_INTERVAL`` seconds, and at once after
this process committed a change (``freshness.local_commits``): a change committed through
any app server reaches every other one within that interval.

Ids come from a sequence, so a transaction can commit a lower id after a higher one was
read. The poll therefore re-reads a trailing window (ids above the high-water mark of a
poll made ``WINDOW`` seconds ago) and skips the ids it has applied: a change is only missed
if its transaction stays open for longer than the window between flush and commit.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
import structlog
from sqlalchemy.orm import Session

from carenet.jobs.models import AssistantChange
from carenet.matchmaking import freshness
from carenet.matchmaking.adapter import load_candidates
from carenet.matchmaking.freshness import EVERYONE
from matching import MatchIndex, Rules

log = structlog.get_logger(__name__)

#: Seconds of the change log re-read on every poll (see the module docstring).
WINDOW = 30.0
#: Log rows read at build time (the straggler allowance just after a build).
BUILD_TAIL = 1000
#: Seconds between two reads of the change log by a process (changes made elsewhere
#: reach it within this; the acceptance test allows 1 s).
POLL_INTERVAL = 0.25


@dataclass
class Stats:
    """What the index did, for logs, the health page and tests."""

    builds: int = 0
    applied: int = 0
    last_build_seconds: float = 0.0
    size: int = 0


@dataclass
class LiveIndex:
    """The process's matching index and the change-log position it reflects.

    The engine's index is not thread-safe: every use goes through :meth:`use`, which
    holds a lock while it refreshes and while the caller queries.
    """

    rules: Rules = field(default_factory=Rules)
    clock: Callable[[], float] = time.monotonic
    index: MatchIndex | None = None
    stats: Stats = field(default_factory=Stats)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    # (time a high-water mark was first reached, the mark), oldest first
    _marks: deque[tuple[float, int]] = field(default_factory=deque)
    _seen: set[int] = field(default_factory=set)
    _last_poll: float = float("-inf")
    _commits_seen: int = -1
    #: A server builds this index at start (``index.build_at_start``): not ready until built.
    at_start: bool = False

    @property
    def ready(self) -> bool:
        """Whether the index is built (the readiness check)."""
        return self.index is not None

    def use(self, session: Session) -> _Locked:
        """``with live.use(session) as index:`` a fresh index, locked for the block."""
        return _Locked(self, session)

    def refresh_if_due(self, session: Session) -> MatchIndex:
        """:meth:`refresh` when the last poll is ``POLL_INTERVAL`` old or this process
        has committed an assistant change since; otherwise the index as it is."""
        with self._lock:
            commits = freshness.local_commits()
            due = self.clock() - self._last_poll >= POLL_INTERVAL
            if self.index is None or due or commits != self._commits_seen:
                self._commits_seen = commits
                return self.refresh(session)
            return self.index

    def refresh(self, session: Session) -> MatchIndex:
        """Build the index if needed, then apply the changes logged since the last poll."""
        with self._lock:
            if self.index is None:
                return self._build(session)
            floor = self._floor()
            rows = session.execute(
                sa.select(AssistantChange.id, AssistantChange.assistant_id)
                .where(AssistantChange.id > floor)
                .order_by(AssistantChange.id)
            ).all()
            self._last_poll = self.clock()
            fresh = [(cid, aid) for cid, aid in rows if cid not in self._seen]
            if any(aid == EVERYONE for _cid, aid in fresh):
                return self._build(session)
            if fresh:
                self._apply(session, sorted({aid for _cid, aid in fresh}))
                self._seen.update(cid for cid, _aid in fresh)
                high = max(cid for cid, _aid in fresh)
                if high > self._marks[-1][1]:
                    self._marks.append((self._last_poll, high))
            return self.index

    def _floor(self) -> int:
        """Ids at or below this were all committed before the previous poll read the log.

        A mark ``h`` first reached at ``t`` means every id below ``h`` was flushed before
        ``t``; if it commits within ``WINDOW`` seconds, a poll after ``t + WINDOW`` read it.
        """
        while len(self._marks) > 1 and self._marks[1][0] + WINDOW <= self._last_poll:
            self._marks.popleft()
        floor = self._marks[0][1]
        if len(self._seen) > 4 * 1024:
            self._seen = {cid for cid in self._seen if cid > floor}
        return floor

    def _apply(self, session: Session, ids: list[int]) -> None:
        assert self.index is not None
        table = load_candidates(session, ids, self.index.vocabulary_)
        found = set(table.ids.tolist())
        if found:
            self.index.upsert(table)
        for aid in ids:
            if aid not in found and aid in self.index:
                self.index.remove(aid)
        self.stats.applied += len(ids)
        self.stats.size = len(self.index)

    def _build(self, session: Session) -> MatchIndex:
        started = time.perf_counter()
        # The recent end of the log, read before the assistants: those rows are reflected
        # by the load; a straggler that commits a lower id later is applied by a poll.
        recent = session.scalars(
            sa.select(AssistantChange.id).order_by(AssistantChange.id.desc()).limit(BUILD_TAIL)
        ).all()
        self.index = MatchIndex(self.rules).fit(load_candidates(session))
        self._seen = set(recent)
        self._marks.clear()
        # Until a poll is WINDOW seconds old, re-read from below the tail seen at build time.
        self._marks.append((float("-inf"), min(recent) - 1 if recent else 0))
        if recent:
            self._marks.append((self.clock(), max(recent)))
        self._last_poll = self.clock()
        self.stats.builds += 1
        self.stats.size = len(self.index)
        self.stats.last_build_seconds = time.perf_counter() - started
        log.info(
            "matching.index_built",
            assistants=self.stats.size,
            seconds=round(self.stats.last_build_seconds, 3),
        )
        return self.index


class _Locked:
    def __init__(self, live: LiveIndex, session: Session) -> None:
        self.live = live
        self.session = session

    def __enter__(self) -> MatchIndex:
        self.live._lock.acquire()
        try:
            return self.live.refresh_if_due(self.session)
        except BaseException:
            self.live._lock.release()
            raise

    def __exit__(self, *exc: object) -> None:
        self.live._lock.release()
