"""The notifications and jobs operations answer with their documented schemas when there
is real data to return (the suite-wide schemathesis run mostly meets empty inboxes)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from carenet.jobs.models import Job
from carenet.notifications.models import Notification
from tests.carenet.families.helpers import bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def records(db_session: Session, factories: Any) -> dict[str, Any]:
    """An operator with notifications (read and unread) and jobs in every status."""
    user = factories.OperatorFactory(locale="en")
    notifications = [
        Notification(user_id=user.id, kind="proposal.new", data={"reference": "P-1"}),
        Notification(user_id=user.id, kind="unknown.kind", data={"x": [1, 2]}, link="/x"),
        Notification(
            user_id=user.id,
            kind="qualification.expiring",
            data={"qualification": "OSS", "expires_on": "2026-12-01"},
        ),
    ]
    jobs = [
        Job(
            kind="test.count",
            status=status,
            done=done,
            total=total,
            params={"n": 3},
            result=result,
            error=error,
            created_by_user_id=user.id,
            organization_id=user.organization_id,
        )
        for status, done, total, result, error in [
            ("queued", 0, None, {}, ""),
            ("running", 1, 3, {}, ""),
            ("done", 3, 3, {"counted": 3}, ""),
            ("failed", 0, None, {}, "It failed."),
        ]
    ]
    db_session.add_all([*notifications, *jobs])
    db_session.commit()
    return {
        "headers": bearer(db_session, user),
        "notifications": [n.id for n in notifications],
        "jobs": [j.id for j in jobs],
    }


def test_responses_match_the_schemas(app: Flask, records: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    headers = records["headers"]
    listing = schema["/api/v1/notifications"]["GET"]
    for query in ({}, {"order": "newest"}, {"unread": "true", "per_page": 2}):
        response = listing.Case(query=query).call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == 200
    for job_id in records["jobs"]:
        case = schema["/api/v1/jobs/{job_id}"]["GET"].Case(path_parameters={"job_id": job_id})
        assert case.call_and_validate(headers=headers, checks=CHECKS).status_code == 200
    read = schema["/api/v1/notifications/{notification_id}/read"]["POST"]
    for notification_id in records["notifications"]:
        case = read.Case(path_parameters={"notification_id": notification_id})
        assert case.call_and_validate(headers=headers, checks=CHECKS).status_code == 200
    read_all = schema["/api/v1/notifications/read-all"]["POST"].Case()
    assert read_all.call_and_validate(headers=headers, checks=CHECKS).json() == {
        "updated": 0,
        "unread": 0,
    }
