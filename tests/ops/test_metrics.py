"""``/metrics`` (METRICS on): request latency by route, the job queue's depth and the long
jobs by status, in Prometheus' text format; no such path when METRICS is off."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from carenet.jobs.models import Job
from carenet.jobs.queue import huey
from carenet.jobs.tasks import run_job

HISTOGRAM = "carenet_http_request_duration_seconds"


def _scrape(client: FlaskClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of ``/metrics``: (name, sorted labels) -> value."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def _count(samples: dict[Any, float], route: str, status: str) -> float:
    labels = (("method", "GET"), ("route", route), ("status", status))
    return samples.get((f"{HISTOGRAM}_count", labels), 0.0)


@pytest.mark.parametrize("config_overrides", [{"METRICS": True}])
def test_metrics_count_requests_by_route_and_read_the_queue_and_the_jobs(
    app: Flask, client: FlaskClient, db_session: Session
) -> None:
    before = _scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    assert client.get("/no/such/page").status_code == 404
    db_session.add_all([Job(kind="bulk_assign", status="failed"), Job(kind="bulk_assign")])
    db_session.commit()
    with app.app_context():
        run_job(10**9)  # queued, not run: no worker here
        depth = huey.pending_count()

    after = _scrape(client)
    assert _count(after, "/healthz", "200") - _count(before, "/healthz", "200") == 2
    assert _count(after, "<unmatched>", "404") - _count(before, "<unmatched>", "404") == 1
    assert after[("carenet_job_queue_depth", ())] == depth >= 1
    assert after[("carenet_jobs", (("status", "failed"),))] == 1
    assert after[("carenet_jobs", (("status", "queued"),))] == 1
    assert _count(after, "/metrics", "200") == 0  # scrapes are not requests of the site


def test_no_metrics_unless_the_setting_is_on(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404
