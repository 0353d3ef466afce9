"""The background job queue: huey, built from configuration like a Flask extension.

``huey`` is created unbound (in-memory, immediate) so that importing a module with tasks
touches no file and no network; ``init_queue(app)`` binds it to the configured storage:
a SQLite file in the instance folder by default (no server needed), or Redis when
``JOB_QUEUE_URL`` is a ``redis://`` URL. Every carenet task runs inside an application
context of its own, with one commit at the end (rollback on error), like a request.

Work that must follow a database change is enqueued with ``enqueue_after_commit``: it
reaches the queue only once the transaction has committed, so a rolled-back request
never sends an e-mail or starts a job.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import structlog
from flask import Flask, g
from huey import Huey
from huey.api import TaskWrapper
from huey.storage import BaseStorage, RedisStorage, SqliteStorage
from sqlalchemy.orm import Session, SessionTransaction

from carenet.core.db import listen_once

log = structlog.get_logger(__name__)

# Modules whose tasks the consumer must know; imported by ``init_queue``.
TASK_MODULES = ("carenet.jobs.tasks", "carenet.notifications.tasks", "carenet.placements.tasks")
QUEUE_NAME = "carenet"
DEFAULT_FILENAME = "jobs.sqlite"
_PENDING = "carenet.jobs.after_commit"

F = TypeVar("F", bound=Callable[..., Any])


class CarenetHuey(Huey):
    """A huey whose storage is chosen by ``configure`` and that knows its Flask app."""

    def __init__(self) -> None:
        super().__init__(QUEUE_NAME, immediate=True, utc=True)
        self.app: Flask | None = None
        self._configured: tuple[Any, ...] | None = None

    def configure(self, storage_class: type[BaseStorage], immediate: bool, **kwargs: Any) -> None:
        """Use ``storage_class(**kwargs)``, or run tasks at once when ``immediate``."""
        key = (storage_class, immediate, tuple(sorted(kwargs.items())))
        if key == self._configured:
            return
        self.storage_class = storage_class
        self.storage_kwargs = kwargs
        self._immediate = immediate
        self.storage = self.create_storage()
        self._configured = key


huey = CarenetHuey()


def storage_for(url: str, instance_path: str) -> tuple[type[BaseStorage], dict[str, Any]]:
    """The huey storage class and its arguments for ``JOB_QUEUE_URL``."""
    if not url:
        return SqliteStorage, {"filename": str(Path(instance_path) / DEFAULT_FILENAME)}
    if url.startswith("sqlite:///"):
        return SqliteStorage, {"filename": url[len("sqlite:///") :]}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    raise RuntimeError(f"JOB_QUEUE_URL: not a sqlite:/// or redis:// URL: {url!r}")


def init_queue(app: Flask) -> None:
    """Bind the queue to ``app``'s configuration and load every task module."""
    storage_class, kwargs = storage_for(app.config["JOB_QUEUE_URL"], app.instance_path)
    if storage_class is SqliteStorage:
        Path(kwargs["filename"]).parent.mkdir(parents=True, exist_ok=True)
    huey.configure(storage_class, bool(app.config["JOBS_IMMEDIATE"]), **kwargs)
    huey.app = app
    for name in TASK_MODULES:
        importlib.import_module(name)


def _app() -> Flask:
    """The bound application, created once per process when none was bound."""
    if huey.app is None:
        from carenet import create_app

        huey.app = create_app()
    return huey.app


@contextmanager
def task_context(name: str) -> Iterator[Flask]:
    """An application context of its own: one commit at the end, a rollback on error."""
    app = _app()
    with app.app_context():
        structlog.contextvars.bind_contextvars(task=name)
        try:
            yield app
            _end_sessions(commit=True)
        except BaseException:
            _end_sessions(commit=False)
            raise
        finally:
            structlog.contextvars.unbind_contextvars("task")


def _end_sessions(commit: bool) -> None:
    sessions = g.get("_sqlalchemy_sessions")
    for session in (sessions or {}).values():
        if commit:
            session.commit()
        else:
            session.rollback()


def _in_context(fn: F) -> F:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with task_context(fn.__name__):
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


def task(**options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """``huey.task`` for carenet: the function runs in an application context."""

    def decorator(fn: Callable[..., Any]) -> TaskWrapper:
        return huey.task(**options)(_in_context(fn))  # type: ignore[no-any-return]

    return decorator


def periodic_task(
    validate_datetime: Callable[..., bool], **options: Any
) -> Callable[[Callable[..., Any]], TaskWrapper]:
    """``huey.periodic_task`` for carenet: the function runs in an application context."""

    def decorator(fn: Callable[..., Any]) -> TaskWrapper:
        wrapper = huey.periodic_task(validate_datetime, **options)
        return wrapper(_in_context(fn))  # type: ignore[no-any-return]

    return decorator


def enqueue_after_commit(session: Session, task: TaskWrapper, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task(*args, **kwargs)`` once ``session``'s transaction commits.

    If the transaction rolls back (or the session closes without committing) nothing is
    enqueued.
    """
    session.info.setdefault(_PENDING, []).append((task, args, kwargs))


def register_queue_listeners() -> None:
    """Enqueue the tasks a transaction asked for when, and only if, it commits."""
    listen_once(Session, "after_commit", _enqueue_pending)
    listen_once(Session, "after_transaction_end", _drop_pending)


def _enqueue_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the real commit is still to come
    for task_wrapper, args, kwargs in session.info.pop(_PENDING, []):
        try:
            task_wrapper(*args, **kwargs)
        except Exception:
            # The data is committed; a queue that cannot be reached must not turn the
            # request into an error. The log says which task was lost.
            log.exception("job_enqueue_failed", task=task_wrapper.task_class.__name__)


def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    # after_commit has already taken what a commit sends; anything left belongs to a
    # transaction that rolled back or was closed.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def run_consumer(app: Flask, workers: int = 1, periodic: bool = True) -> None:
    """Run the consumer in this process until SIGINT/SIGTERM (the ``carenet worker``)."""
    if huey.immediate:
        raise RuntimeError("JOBS_IMMEDIATE is on: tasks run where they are enqueued")
    huey.app = app
    huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic).run()
