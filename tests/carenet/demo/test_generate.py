"""The generator is deterministic, and its schedule templates respect the CCNL."""

from __future__ import annotations

import collections
import datetime as dt
from functools import cache

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests import rules
from carenet.care_requests.models import CareRequest
from carenet.demo.generate import AssistantRecord, generate_assistants, generate_requests
from carenet.demo.places import Places, piemonte_places
from carenet.demo.schedules import (
    AVAILABILITY_TEMPLATES,
    MON_FRI,
    REQUEST_TEMPLATES,
    Template,
    max_hours,
    shortest_daily_rest,
)
from matching import Schedule
from tests.carenet.demo.conftest import load

TODAY = dt.date(2026, 3, 2)


@cache
def places() -> Places:
    """Piemonte's comuni, computed once for the module."""
    return piemonte_places()


def assistants(seed: int, count: int, chunk: int = 5000) -> list[AssistantRecord]:
    """All records of one generation, flattened."""
    return [r for batch in generate_assistants(seed, count, places(), TODAY, chunk) for r in batch]


def test_same_seed_gives_the_same_data() -> None:
    assert assistants(7, 300) == assistants(7, 300)
    assert generate_requests(7, 50, places(), TODAY) == generate_requests(7, 50, places(), TODAY)


def test_another_seed_gives_other_data() -> None:
    first, second = assistants(7, 50), assistants(8, 50)
    assert [r.row["display_name"] for r in first] != [r.row["display_name"] for r in second]
    requests_7 = generate_requests(7, 20, places(), TODAY)
    requests_8 = generate_requests(8, 20, places(), TODAY)
    assert [r.household for r in requests_7] != [r.household for r in requests_8]


def test_arrangement_and_level_mix() -> None:
    records = generate_requests(1, 1000, places(), TODAY)
    arrangements = collections.Counter(r.request["arrangement"] for r in records)
    assert 300 < arrangements["live_in"] < 500
    assert 400 < arrangements["hourly"] < 600
    assert 50 < arrangements["night"] < 150
    levels = collections.Counter(r.request["ccnl_level"] for r in records)
    assert min(levels["BS"], levels["CS"], levels["DS"]) > 100
    statuses = collections.Counter(r.request["status"] for r in records)
    assert statuses.most_common(1)[0][0] == "open" and statuses["open"] > 600


def test_assistant_arrangement_mix() -> None:
    records = assistants(1, 2000)
    live_in = sum(r.row["accepts_live_in"] for r in records) / len(records)
    hourly = sum(r.row["accepts_hourly"] for r in records) / len(records)
    night = sum(r.row["accepts_night"] for r in records) / len(records)
    several = sum(
        r.row["accepts_live_in"] + r.row["accepts_hourly"] + r.row["accepts_night"] > 1
        for r in records
    )
    assert 0.35 < live_in < 0.55 and 0.45 < hourly < 0.7 and 0.08 < night < 0.25
    assert 0.1 * len(records) < several < 0.4 * len(records)


def test_batch_size_does_not_change_the_data() -> None:
    assert assistants(3, 120, chunk=7) == assistants(3, 120, chunk=5000)


@pytest.mark.parametrize(
    ("key", "template"),
    [(key, t) for key, options in REQUEST_TEMPLATES.items() for t, _w in options],
    ids=lambda value: getattr(value, "text", value),
)
def test_request_templates_respect_contract_hours_and_rest(key: str, template: Template) -> None:
    arrangement = "live_in" if key.startswith("live_in") else key
    assert 0 < template.hours <= max_hours(arrangement, key == "live_in_part_time")
    assert shortest_daily_rest(template.mask) >= 11


def test_request_templates_pass_the_services_contract_rules(app_ctx: Flask) -> None:
    for key, options in REQUEST_TEMPLATES.items():
        arrangement = "live_in" if key.startswith("live_in") else key
        for template, _weight in options:
            schedule = Schedule.from_bytes(template.mask.to_bytes(21, "little"))
            _hours, violations = rules.contract_hours(
                arrangement, key == "live_in_part_time", schedule, template.hours
            )
            assert violations == [], (template.text, [v.message for v in violations])


def test_availability_templates_have_hours() -> None:
    for options in AVAILABILITY_TEMPLATES.values():
        assert all(template.hours > 0 for template, _weight in options)
        assert sum(weight for _template, weight in options) == pytest.approx(1)


def test_templates_agree_with_the_matching_schedule_parser() -> None:
    for options in (*REQUEST_TEMPLATES.values(), *AVAILABILITY_TEMPLATES.values()):
        for template, _weight in options:
            parsed = Schedule.parse(template.text)
            assert parsed.to_bytes() == template.mask.to_bytes(21, "little"), template.text


def test_shortest_daily_rest_finds_a_short_night() -> None:
    split_shift = Template("lun-ven 07:00-09:00, 19:00-21:00", MON_FRI, ((7, 9), (19, 21)))
    assert shortest_daily_rest(split_shift.mask) == 10
    nights = Template("lun-ven 22:00-06:00", MON_FRI, ((22, 6),))
    assert nights.hours == 40
    assert shortest_daily_rest(nights.mask) == 16
    assert shortest_daily_rest(0) == 24


def test_loaded_data_is_the_generated_data(runner: FlaskCliRunner, db_session: Session) -> None:
    result = load(runner, "--assistants", "40", "--requests", "6", "--seed", "11")
    assert result.exit_code == 0, result.output
    today = dt.date.today()
    expected = [r for batch in generate_assistants(11, 39, places(), today) for r in batch]
    stored = db_session.scalars(sa.select(Assistant).order_by(Assistant.id)).all()
    assert stored[0].display_name == "Elena Popescu"
    for record, assistant in zip(expected, stored[1:], strict=True):
        for key in ("display_name", "municipality_id", "availability", "available_from"):
            assert getattr(assistant, key) == record.row[key]
        assert [(lang.language, lang.level) for lang in assistant.languages] == record.languages
        assert [q.qualification_code for q in assistant.qualifications] == [
            code for code, _issued, _expires in record.qualifications
        ]
    expected_requests = generate_requests(11, 5, places(), today)
    stored_requests = db_session.scalars(sa.select(CareRequest).order_by(CareRequest.id)).all()
    for wanted, request in zip(expected_requests, stored_requests[1:], strict=True):
        assert request.schedule == wanted.request["schedule"]
        assert request.recipient.household.contact_name == wanted.household["contact_name"]
