"""Jobs run in immediate mode: status, result, safe errors, who may see them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.core.db import db
from carenet.core.errors import Invalid
from carenet.jobs.models import Job
from carenet.jobs.services import report, start_job
from tests.carenet.families.helpers import bearer, count, events, login

# Jobs run in consumer threads and report in transactions of their own: real commits.
pytestmark = pytest.mark.commits


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"JOBS_IMMEDIATE": True, "MAIL_BACKEND": "locmem"}


@pytest.fixture
def people(factories: Any) -> dict[str, User]:
    organization = factories.OrganizationFactory()
    return {
        "creator": factories.OperatorFactory(organization=organization, locale="en"),
        "colleague": factories.OperatorFactory(organization=organization, locale="en"),
        "stranger": factories.OperatorFactory(locale="en"),
        "family": factories.UserFactory(role="family", locale="en"),
    }


def _start(app: Flask, user: User, kind: str, params: dict[str, Any] | None = None) -> int:
    with app.test_request_context():
        job = start_job(db.session, db.session.get(User, user.id), kind, params)
        job_id = job.id
        db.session.commit()
    return job_id


def _job(db_session: Session, job_id: int) -> Job:
    db_session.expire_all()
    job = db_session.get(Job, job_id)
    assert job is not None
    return job


def test_a_job_runs_to_done_with_its_result(
    app: Flask, db_session: Session, people: dict[str, User]
) -> None:
    job_id = _start(app, people["creator"], "test.count", {"n": 4})
    job = _job(db_session, job_id)
    assert (job.status, job.done, job.total, job.result, job.error) == (
        "done",
        4,
        4,
        {"counted": 4},
        "",
    )
    assert job.created_by_user_id == people["creator"].id
    assert job.organization_id == people["creator"].organization_id
    assert [e.entity_id for e in events(db_session, "job.start", "job")] == [str(job_id)]


def test_an_unknown_kind_is_refused_and_writes_nothing(
    app: Flask, db_session: Session, people: dict[str, User]
) -> None:
    with pytest.raises(Invalid):
        _start(app, people["creator"], "no.such.kind")
    assert count(db_session, Job) == 0


def test_an_internal_error_never_reaches_the_user(
    app: Flask, client: FlaskClient, db_session: Session, people: dict[str, User]
) -> None:
    job_id = _start(app, people["creator"], "test.crash")
    body = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(db_session, people["creator"]))
    assert body.status_code == 200
    assert body.json["status"] == "failed"
    assert body.json["error"] == "The job failed because of an internal error. Please try again."
    assert "secret" not in body.get_data(as_text=True)
    assert "Traceback" not in body.get_data(as_text=True)


def test_a_service_error_is_shown_as_its_message(
    app: Flask, client: FlaskClient, db_session: Session, people: dict[str, User]
) -> None:
    job_id = _start(app, people["creator"], "test.invalid")
    body = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(db_session, people["creator"]))
    assert (body.json["status"], body.json["error"]) == (
        "failed",
        "The territory has no open requests.",
    )


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("it", "Questa pagina non è accessibile con il Suo ruolo."),
        ("en", "This page is not available to your role."),
    ],
)
def test_the_job_runs_in_its_creators_language(
    app: Flask, db_session: Session, factories: Any, locale: str, message: str
) -> None:
    creator = factories.OperatorFactory(locale=locale)
    job_id = _start(app, creator, "test.forbidden")
    assert _job(db_session, job_id).error == message


@pytest.mark.parametrize(("who", "status"), [("creator", 200), ("colleague", 200)])
def test_creator_and_colleagues_see_the_job(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    people: dict[str, User],
    who: str,
    status: int,
) -> None:
    job_id = _start(app, people["creator"], "test.count")
    response = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(db_session, people[who]))
    assert response.status_code == status
    assert response.json["percent"] == 100
    assert response.json["result"] == {"counted": 3}


@pytest.mark.parametrize("who", ["stranger", "family"])
def test_others_get_404(
    app: Flask, client: FlaskClient, db_session: Session, people: dict[str, User], who: str
) -> None:
    job_id = _start(app, people["creator"], "test.count")
    response = client.get(f"/api/v1/jobs/{job_id}", headers=bearer(db_session, people[who]))
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    page = login(client, people[who]).get(f"/jobs/{job_id}")
    assert page.status_code == 404


def test_logged_out_gets_401(app: Flask, client: FlaskClient, people: dict[str, User]) -> None:
    job_id = _start(app, people["creator"], "test.count")
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 401


def test_the_page_has_a_progress_bar_fed_by_a_script_file(
    app: Flask, client: FlaskClient, people: dict[str, User]
) -> None:
    job_id = _start(app, people["creator"], "test.count")
    response = login(client, people["creator"]).get(f"/jobs/{job_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="progress-bar"' in html
    assert f'data-api-url="/api/v1/jobs/{job_id}"' in html
    assert 'src="/static/js/job-progress.js"' in html
    assert "<script>" not in html  # the CSP allows no inline script
    assert client.get("/static/js/job-progress.js").status_code == 200


def test_progress_is_visible_while_the_task_transaction_is_open(
    app: Flask, db_session: Session
) -> None:
    with app.app_context():
        job = Job(kind="test.count", status="running", done=0, params={}, result={}, error="")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        assert db.session.get(Job, job_id) is not None  # the task's transaction is open
        assert report(job_id, 2, 5)
        seen = _job(db_session, job_id)
        assert (seen.done, seen.total) == (2, 5)
        db.session.rollback()


def test_a_report_behind_the_tasks_own_write_lock_is_skipped_quickly(
    app: Flask, db_session: Session
) -> None:
    with app.app_context():
        job = Job(kind="test.count", status="running", done=0, params={}, result={}, error="")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        # The task has written another row and not committed yet.
        db.session.add(Job(kind="test.other", status="queued", params={}, result={}, error=""))
        db.session.flush()
        started = time.monotonic()
        written = report(job_id, 1, 2)
        elapsed = time.monotonic() - started
        sqlite = db.session.get_bind().dialect.name == "sqlite"
        db.session.rollback()
    # SQLite has one writer: the report gives up after 2 s instead of the usual 30 s.
    # PostgreSQL locks rows, so the report goes through.
    assert written is not sqlite
    assert elapsed < 10
    assert _job(db_session, job_id).done == (0 if sqlite else 1)
