"""Issue 12: the match request's fixed statements, the register read into columns, the
throttled change-log poll and the readiness route."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.core.db import db
from carenet.jobs.models import AssistantChange
from carenet.matchmaking.adapter import load_candidates
from carenet.matchmaking.index import build_at_start, live_index
from carenet.matchmaking.live import POLL_INTERVAL, LiveIndex
from carenet.placements.models import Placement
from matching import Schedule
from tests.factories import weekday_hours


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def placement(request: CareRequest, assistant_id: int, **values: Any) -> Placement:
    return Placement(
        request_id=request.id,
        assistant_id=assistant_id,
        arrangement=values.pop("arrangement", "hourly"),
        ccnl_level="CS",
        weekly_hours=20,
        schedule=weekday_hours(14, 18),
        start_date=dt.date(2025, 1, 6),
        **values,
    )


def test_the_register_is_read_into_the_engine_columns(db_session: Session, factories: Any) -> None:
    busy = factories.AssistantFactory(accepts_live_in=True, accepts_night=True, gender="m")
    factories.AssistantLanguageFactory(assistant_id=busy.id, language="ro")
    factories.AssistantConditionFactory(assistant_id=busy.id, condition="parkinson")
    factories.AssistantQualificationFactory(
        assistant_id=busy.id, qualification_code="nurse", expires_on=dt.date(2030, 5, 1)
    )
    pending = factories.AssistantFactory(status="pending")
    # declared, not checked, on a profile nobody verified: it does not count
    factories.AssistantQualificationFactory(assistant_id=pending.id, qualification_code="oss")
    request = factories.CareRequestFactory(status="closed")
    db_session.add(placement(request, busy.id, arrangement="live_in"))
    db_session.add(
        placement(
            request,
            pending.id,
            status="ended",
            ended_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
            end_date=dt.date(2025, 6, 1),
            family_rating=4,
        )
    )
    db_session.commit()

    table = load_candidates(db_session)
    got = {table.record(i).id: table.record(i) for i in range(len(table))}
    b, p = got[busy.id], got[pending.id]
    assert b.is_active and not p.is_active
    assert b.arrangements == {"live_in", "hourly", "night"} and b.gender == "m"
    assert b.languages == {"ro"} and b.conditions == {"parkinson"}
    assert b.qualifications == {"nurse": dt.date(2030, 5, 1)} and p.qualifications == {}
    assert b.busy == Schedule.from_bytes(weekday_hours(14, 18)) and b.has_live_in_placement
    assert b.feedback is None and p.feedback == 0.75  # (4 - 1) / 4
    assert p.busy == Schedule.from_bytes(bytes(21)) and not p.has_live_in_placement
    assert b.available_from == dt.date(2026, 1, 1) and b.years_experience == 5.0
    # Some of them, by id: the same rows.
    some = load_candidates(db_session, [pending.id, 10**9])
    assert some.ids.tolist() == [pending.id] and some.record(0) == p


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app runs while the test reads this list."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.commits  # counts the statements on the app's own engine
def test_a_match_request_runs_a_fixed_handful_of_statements(
    client: FlaskClient,
    factories: Any,
    torino_request: CareRequest,
    headers: dict[str, str],
    statements: list[str],
) -> None:
    for _ in range(25):
        factories.AssistantFactory()
    url = f"/api/v1/care-requests/{torino_request.id}/matches"
    assert client.get(url, headers=headers).status_code == 200  # builds, caches the token
    statements.clear()
    body = client.get(url, headers=headers).get_json()
    assert len(body["items"]) == 20
    tables = [s.split()[0] for s in statements]
    # the request with its access check, its codes, continuity, the 20 rows, the audit
    # row; no token lookup (cached) and no change-log poll (read less than 0.25 s ago)
    assert tables == ["SELECT", "SELECT", "SELECT", "SELECT", "INSERT"], statements
    assert not any("api_token" in s or "assistant_change" in s for s in statements)


def test_another_processs_change_is_polled_after_the_interval_a_local_one_at_once(
    db_session: Session, factories: Any
) -> None:
    assistant = factories.AssistantFactory(status="pending")
    clock = Clock()
    live = LiveIndex(clock=clock)
    live.refresh_if_due(db_session)
    assert not live.index.candidate(assistant.id).is_active  # type: ignore[union-attr]
    # As another process would: the row and its change log entry, in plain SQL.
    db_session.execute(
        sa.update(Assistant).where(Assistant.id == assistant.id).values(status="verified")
    )
    db_session.execute(sa.insert(AssistantChange).values(assistant_id=assistant.id))
    db_session.commit()
    clock.now += POLL_INTERVAL / 2
    assert not live.refresh_if_due(db_session).candidate(assistant.id).is_active
    clock.now += POLL_INTERVAL
    assert live.refresh_if_due(db_session).candidate(assistant.id).is_active
    # A change this process commits is read by its next use, whatever the interval.
    newcomer = factories.AssistantFactory()
    assert newcomer.id in live.refresh_if_due(db_session)


@pytest.mark.commits  # builds as a server's master does: disposes the app's engines
def test_readiness_is_503_until_a_server_built_the_index(
    app: Flask, client: FlaskClient, factories: Any
) -> None:
    factories.AssistantFactory()
    # Not built at start (the test client): built on the first match, ready meanwhile.
    lazy = client.get("/readyz")
    assert (lazy.status_code, lazy.get_json()["matching_index"]) == (200, {"ready": False})
    live_index(app).at_start = True
    waiting = client.get("/readyz")
    assert waiting.status_code == 503 and waiting.get_json()["status"] == "loading"
    build_at_start(app)
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["matching_index"]["assistants"] == 1


@pytest.mark.commits  # builds as a server's master does: disposes the app's engines
def test_a_failed_build_at_start_leaves_the_server_up_and_not_ready(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(session: Session) -> None:
        raise sa.exc.OperationalError("SELECT", {}, Exception("database unreachable"))

    monkeypatch.setattr(live_index(app), "refresh", unreachable)
    build_at_start(app)
    assert client.get("/readyz").status_code == 503
