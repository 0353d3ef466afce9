"""Prometheus metrics at ``/metrics`` when ``METRICS`` is on (prometheus-client).

- ``carenet_http_request_duration_seconds{method,route,status}``: every request's
  latency by route template (``/api/v1/care-requests/<int:request_id>/matches`` is the
  match latency), timed from the request logging's start (``g.request_started``);
- ``carenet_job_queue_depth``: tasks waiting in the job queue, read when scraped;
- ``carenet_jobs{status}``: long jobs by status (``failed``: the job failures), read
  from the database when scraped.

Under gunicorn each app server gives prometheus-client a folder of its own in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's variable, empty at each start): its
workers write their samples there and any of them answers for all. Scrape every app
server directly; the reverse proxy does not serve this path (docs/deploy.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Flask, Response, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from carenet.core.db import db

METRICS_PATH = "/metrics"
UNMATCHED_ROUTE = "<unmatched>"

REQUEST_SECONDS = Histogram(
    "carenet_http_request_duration_seconds",
    "Time to answer a request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class ScrapeTimeCollector(Collector):
    """Values read when scraped: the job queue's depth and the long jobs by status."""

    def collect(self) -> Iterator[Metric]:
        from carenet.jobs.models import Job
        from carenet.jobs.queue import huey

        depth = GaugeMetricFamily("carenet_job_queue_depth", "Tasks waiting in the job queue.")
        depth.add_metric([], huey.pending_count())
        yield depth
        jobs = GaugeMetricFamily("carenet_jobs", "Long jobs by status.", labels=["status"])
        counts = db.session.execute(sa.select(Job.status, sa.func.count()).group_by(Job.status))
        for status, count in counts:
            jobs.add_metric([status], count)
        yield jobs


def _request_registry() -> CollectorRegistry:
    """The request samples of every worker of this server, or of this process alone."""
    registry = CollectorRegistry()
    try:
        MultiProcessCollector(registry)
    except ValueError:  # no PROMETHEUS_MULTIPROC_DIR: one process
        return REGISTRY
    return registry


def init_metrics(app: Flask) -> None:
    """Time every request and serve ``/metrics``, when the ``METRICS`` setting is on."""
    if not app.config["METRICS"]:
        return
    scrape_time = CollectorRegistry()  # collected at each scrape, in its request
    scrape_time.register(ScrapeTimeCollector())

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None and request.path != METRICS_PATH:
            route = request.url_rule.rule if request.url_rule else UNMATCHED_ROUTE
            labels = (request.method, route, str(response.status_code))
            REQUEST_SECONDS.labels(*labels).observe(time.perf_counter() - started)
        return response

    def metrics() -> Response:
        body = generate_latest(_request_registry()) + generate_latest(scrape_time)
        return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8")

    app.add_url_rule(METRICS_PATH, "metrics", metrics, methods=["GET"])
