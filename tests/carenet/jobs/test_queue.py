"""The queue's configuration and the after-commit enqueue."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy.orm import Session

from carenet import create_app
from carenet.core.db import db
from carenet.jobs.models import Job
from carenet.jobs.queue import enqueue_after_commit, huey, storage_for
from carenet.jobs.tasks import run_job


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    # A queue of this test's own: every test app shares the default instance folder.
    return {"JOB_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite'}"}


@pytest.mark.parametrize("config_overrides", [{"JOB_QUEUE_URL": ""}])  # the default
def test_default_storage_is_a_sqlite_file_in_the_instance_folder(app: Flask) -> None:
    assert isinstance(huey.storage, SqliteStorage)
    assert huey.storage.filename == str(Path(app.instance_path) / "jobs.sqlite")
    assert not huey.immediate


def test_storage_follows_the_url() -> None:
    assert storage_for("sqlite:////tmp/q.sqlite", "/i") == (
        SqliteStorage,
        {"filename": "/tmp/q.sqlite"},
    )
    assert storage_for("redis://127.0.0.1:6379/3", "/i") == (
        RedisStorage,
        {"url": "redis://127.0.0.1:6379/3"},
    )
    with pytest.raises(RuntimeError, match="JOB_QUEUE_URL"):
        storage_for("amqp://x", "/i")


def test_environment_chooses_the_queue(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CARENET_JOB_QUEUE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    monkeypatch.setenv("CARENET_JOBS_IMMEDIATE", "no")
    create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert huey.storage.filename == f"{tmp_path}/env.sqlite"
    monkeypatch.setenv("CARENET_JOBS_IMMEDIATE", "yes")
    create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert huey.immediate
    assert isinstance(huey.storage, MemoryStorage)


@pytest.fixture
def queued(app: Flask) -> Any:
    """The tasks waiting in the (SQLite) queue."""
    huey.flush()
    return lambda: huey.pending()


def _job(session: Session, kind: str = "test.count") -> Job:
    job = Job(kind=kind, status="queued", done=0, params={"n": 2}, result={}, error="")
    session.add(job)
    session.flush()
    return job


def test_enqueued_only_after_commit(app: Flask, queued: Any) -> None:
    with app.app_context():
        job_id = _job(db.session).id
        enqueue_after_commit(db.session, run_job, job_id)
        db.session.flush()
        assert queued() == []
        db.session.commit()
        pending = queued()
    assert [(t.name, t.args) for t in pending] == [("run_job", (job_id,))]


def test_rolled_back_work_enqueues_nothing(app: Flask, queued: Any) -> None:
    with app.app_context():
        job = _job(db.session)
        enqueue_after_commit(db.session, run_job, job.id)
        db.session.rollback()
        # The next transaction of the same session must not send the old one's jobs.
        _job(db.session)
        db.session.commit()
    assert queued() == []


def test_a_savepoint_is_not_the_commit(app: Flask, queued: Any) -> None:
    with app.app_context():
        with db.session.begin_nested():
            job = _job(db.session)
            enqueue_after_commit(db.session, run_job, job.id)
        assert queued() == []
        db.session.commit()
    assert len(queued()) == 1


@pytest.mark.parametrize("config_overrides", [{"JOB_QUEUE_URL": "redis://127.0.0.1:1/0"}])
def test_an_unreachable_queue_does_not_undo_the_commit(
    app: Flask, db_session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), app.app_context():
        job_id = _job(db.session).id
        enqueue_after_commit(db.session, run_job, job_id)
        db.session.commit()  # must not raise
    assert db_session.get(Job, job_id) is not None
    failures = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    assert [(f["event"], f["task"]) for f in failures] == [("job_enqueue_failed", "run_job")]


@pytest.mark.parametrize("config_overrides", [{"JOBS_IMMEDIATE": True}])
def test_a_job_of_an_unregistered_kind_fails_cleanly(app: Flask, db_session: Session) -> None:
    with app.app_context():
        job_id = _job(db.session, kind="gone.kind").id
        db.session.commit()
    assert run_job.call_local(job_id) == "failed"
    db_session.expire_all()
    job = db_session.get(Job, job_id)
    assert job is not None
    # No creator: the message is in the default language, Italian.
    assert (job.status, job.error) == ("failed", "Questo tipo di elaborazione non è disponibile.")
    assert run_job.call_local(job_id) == "skipped"  # only queued jobs run
