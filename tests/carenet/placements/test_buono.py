"""Piemonte's Buono domiciliarita' on placements: 12 months, 16 h/week, level CS or DS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.placements.services import contract_months
from tests.carenet.families.helpers import World, bearer
from tests.carenet.placements.conftest import accepted_proposal, terms

URL = "/api/v1/placements"


# A start on the 10th, so that "the same day N months later" always exists.
START = dt.date(dt.date.today().year + 1, 3, 10)


def months_later(months: int) -> str:
    """The end date of a contract of exactly ``months`` from START (the day before)."""
    total = START.month - 1 + months
    end = dt.date(START.year + total // 12, total % 12 + 1, START.day) - dt.timedelta(days=1)
    return end.isoformat()


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 12, 31), 12),
        (dt.date(2027, 1, 15), dt.date(2028, 1, 14), 12),
        (dt.date(2027, 1, 15), dt.date(2028, 1, 13), 11),
        (dt.date(2027, 3, 10), dt.date(2027, 3, 10), 0),
        (dt.date(2027, 3, 10), dt.date(2027, 4, 9), 1),
    ],
)
def test_contract_months_count_whole_months_inclusive(
    start: dt.date, end: dt.date, months: int
) -> None:
    assert contract_months(start, end) == months


@pytest.fixture
def place(
    client: FlaskClient,
    db_session: Session,
    world: World,
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> Callable[..., dict[str, Any]]:
    """Start a placement for a new request (keywords: request fields, then ``body``)."""
    headers = bearer(db_session, world.cpi_torino)

    def run(body: dict[str, Any] | None = None, **request_fields: Any) -> dict[str, Any]:
        proposal = accepted_proposal(db_session, make_request(**request_fields), assistant)
        body = {"start_date": START.isoformat(), **(body or {})}
        response = client.post(URL, json=terms(proposal, **body), headers=headers)
        assert response.status_code == 201, response.json
        shown = client.get(f"{URL}/{response.json['id']}", headers=headers).json
        assert shown["buono_domiciliarita"] == response.json["buono_domiciliarita"]
        # Each placement frees its hours so the next one can reuse them.
        ended = client.post(
            f"{URL}/{response.json['id']}/end",
            json={"end_reason": "test"},  # today: called off before its start
            headers=headers,
        )
        assert ended.status_code == 200
        return response.json["buono_domiciliarita"]  # type: ignore[no-any-return]

    return run


def test_a_twelve_month_contract_of_twenty_hours_at_cs_qualifies(
    place: Callable[..., dict[str, Any]],
) -> None:
    buono = place({"end_date": months_later(12)})
    assert buono["eligible"] is True
    assert any("12 months" in r for r in buono["reasons"])
    assert any("20 hours a week" in r for r in buono["reasons"])


def test_eleven_months_do_not_qualify(place: Callable[..., dict[str, Any]]) -> None:
    buono = place({"end_date": months_later(11)})
    assert buono["eligible"] is False
    assert buono["reasons"] == ["The contract lasts 11 months; at least 12 are needed."]


def test_without_an_end_date_the_request_duration_counts(
    place: Callable[..., dict[str, Any]],
) -> None:
    buono = place(duration_months=6)
    assert buono["eligible"] is False
    assert buono["reasons"] == ["The contract lasts 6 months; at least 12 are needed."]


def test_an_open_ended_contract_counts_as_twelve_months(
    place: Callable[..., dict[str, Any]],
) -> None:
    buono = place(duration_months=None)
    assert buono["eligible"] is True
    assert any("open-ended" in r for r in buono["reasons"])


def test_fewer_than_sixteen_hours_do_not_qualify(place: Callable[..., dict[str, Any]]) -> None:
    buono = place({"schedule": "lun-mer 08:00-12:00"})
    assert buono["eligible"] is False
    assert buono["reasons"] == ["12 hours a week; at least 16 are needed."]


def test_level_bs_does_not_qualify(
    place: Callable[..., dict[str, Any]], factories: Any, world: World
) -> None:
    independent = factories.CareRecipientFactory(
        household=world.household_torino, self_sufficiency="self_sufficient"
    )
    buono = place({"ccnl_level": "BS"}, recipient=independent, ccnl_level="BS")
    assert buono["eligible"] is False
    assert buono["reasons"] == ["Level BS; the contract must be at level CS or DS."]
