"""Issue 10, items 13, 15, 17, 19 and 20 for placements: the contract rules a placement
is checked against (level DS needs a trained assistant, CS/DS only for people who are not
self-sufficient, an assistant's total hours), its schedule against the assistant's
availability and the request, its end date, and the request's status after it ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.placements.models import Placement
from carenet.placements.services import end_due_placements
from carenet.proposals.models import Proposal
from matching import contract
from tests.carenet.families.helpers import World, bearer, count, events
from tests.carenet.placements.conftest import NEXT_MONTH, accepted_proposal, terms
from tests.factories import weekday_hours

URL = "/api/v1/placements"
TODAY = dt.date.today()


@pytest.fixture
def cpi(db_session: Session, world: World) -> dict[str, str]:
    """Headers of the Torino CPI operator (brokers Torino's cases)."""
    return bearer(db_session, world.cpi_torino)


def refusal(response: Any, field: str) -> str:
    """The messages of a 422 for ``field``, joined."""
    assert response.status_code == 422, response.json
    return " ".join(response.json["details"]["fields"][field])


# -- item 13: level DS means trained ---------------------------------------------------


def test_a_ds_placement_for_an_assistant_without_a_qualification_is_refused(
    client: FlaskClient, db_session: Session, cpi: dict[str, str], proposal: Proposal
) -> None:
    response = client.post(URL, json=terms(proposal, ccnl_level="DS"), headers=cpi)
    message = refusal(response, "ccnl_level")
    assert "DS" in message and "trained" in message
    assert "CCNL" in message and "art. 9" in message
    assert count(db_session, Placement) == 0


@pytest.mark.parametrize(
    ("code", "expires_on", "verified", "accepted"),
    [
        ("oss", None, True, True),
        ("adest", None, True, True),  # a legacy qualification counts (docs/contract-rules.md)
        ("osa", None, True, True),
        ("assistente_familiare", None, True, False),  # a care course, not a trained title
        ("oss", TODAY + dt.timedelta(days=10), True, False),  # expired by the start
        ("oss", None, False, False),  # declared, not verified (and the profile is pending)
    ],
)
def test_a_ds_placement_needs_a_verified_trained_qualification_valid_at_the_start(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    world: World,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    code: str,
    expires_on: dt.date | None,
    verified: bool,
    accepted: bool,
) -> None:
    assistant = factories.AssistantFactory(status="verified" if verified else "pending")
    factories.AssistantQualificationFactory(
        assistant_id=assistant.id,
        qualification_code=code,
        expires_on=expires_on,
        verified_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if verified else None,
    )
    proposal = accepted_proposal(db_session, make_request(), assistant)
    response = client.post(URL, json=terms(proposal, ccnl_level="DS"), headers=cpi)
    if accepted:
        assert response.status_code == 201, response.json
    else:
        assert "trained" in refusal(response, "ccnl_level")


# -- item 15: CS and DS are for people who are not self-sufficient ----------------------


@pytest.mark.parametrize("level", ["CS", "DS"])
def test_cs_or_ds_for_a_self_sufficient_person_is_refused(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    world: World,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
    level: str,
) -> None:
    factories.AssistantQualificationFactory(
        assistant_id=assistant.id, verified_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    recipient = factories.CareRecipientFactory(
        household=world.household_torino, self_sufficiency="self_sufficient"
    )
    care_request = make_request(recipient=recipient, ccnl_level="BS")
    proposal = accepted_proposal(db_session, care_request, assistant)
    message = refusal(
        client.post(URL, json=terms(proposal, ccnl_level=level), headers=cpi), "ccnl_level"
    )
    assert "self-sufficient" in message and "art. 9" in message
    ok = client.post(URL, json=terms(proposal, ccnl_level="BS"), headers=cpi)
    assert ok.status_code == 201, ok.json
    assert ok.json["buono_domiciliarita"]["eligible"] is False


# -- item 17: an assistant's total weekly hours ------------------------------------------


def test_two_hourly_placements_may_not_add_up_to_more_than_40_hours(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    mornings = make_request(schedule=weekday_hours(7, 13), weekly_hours=30)
    afternoons = make_request(schedule=weekday_hours(14, 20), weekly_hours=30)
    first = accepted_proposal(db_session, mornings, assistant)
    second = accepted_proposal(db_session, afternoons, assistant)
    ok = client.post(URL, json=terms(first, schedule="lun-ven 07:00-13:00"), headers=cpi)
    assert ok.status_code == 201, ok.json
    before = count(db_session, Placement)
    response = client.post(URL, json=terms(second, schedule="lun-ven 14:00-20:00"), headers=cpi)
    message = refusal(response, "schedule")
    assert "30" in message and "60" in message and "40" in message
    assert "CCNL" in message and "art. 14" in message
    assert count(db_session, Placement) == before
    db_session.expire_all()
    assert db_session.get(CareRequest, afternoons.id).status == "open"
    # Ten hours fit beside the thirty: forty in all.
    response = client.post(URL, json=terms(second, schedule="lun-ven 14:00-16:00"), headers=cpi)
    assert response.status_code == 201, response.json
    assert contract.ASSISTANT_MAX_WEEKLY_HOURS == 40


# -- item 19: the schedule, the end date, the request after the end ----------------------


def test_a_schedule_outside_the_assistants_availability_is_refused(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
) -> None:
    mornings_only = factories.AssistantFactory(availability=weekday_hours(8, 12))
    proposal = accepted_proposal(db_session, make_request(), mornings_only)
    # Monday to Friday 09:00-13:00: 12:00-13:00 is not in the declared availability.
    response = client.post(URL, json=terms(proposal, schedule="lun-ven 09:00-13:00"), headers=cpi)
    message = refusal(response, "schedule")
    assert "availability" in message and "12:00-13:00" in message
    within = client.post(URL, json=terms(proposal, schedule="lun-ven 08:00-12:00"), headers=cpi)
    assert within.status_code == 201, within.json


def test_a_schedule_unrelated_to_the_request_is_refused(
    client: FlaskClient, db_session: Session, cpi: dict[str, str], proposal: Proposal
) -> None:
    # The request asks for Monday to Friday mornings; the weekend shares none of its hours.
    response = client.post(URL, json=terms(proposal, schedule="sab-dom 08:00-16:00"), headers=cpi)
    message = refusal(response, "schedule")
    assert "request" in message and "0 of" in message
    assert count(db_session, Placement) == 0
    # Shifted by an hour, most hours are the request's: accepted.
    shifted = client.post(URL, json=terms(proposal, schedule="lun-ven 09:00-13:00"), headers=cpi)
    assert shifted.status_code == 201, shifted.json


def test_an_end_date_before_the_start_is_refused_not_moved(
    client: FlaskClient, db_session: Session, world: World, cpi: dict[str, str], proposal: Proposal
) -> None:
    placement = client.post(URL, json=terms(proposal), headers=cpi).json
    url = f"{URL}/{placement['id']}/end"
    # It starts next month: ending it today, before its start, is refused.
    response = client.post(
        url, json={"end_reason": "Changed plans", "ended_on": TODAY.isoformat()}, headers=cpi
    )
    message = refusal(response, "ended_on")
    assert NEXT_MONTH.isoformat() in message
    db_session.expire_all()
    assert db_session.get(Placement, placement["id"]).status == "active"
    # Called off with no date, it ends on its start date, having never run.
    called_off = client.post(url, json={"end_reason": "Changed plans"}, headers=cpi)
    assert called_off.status_code == 200, called_off.json
    assert called_off.json["end_date"] == NEXT_MONTH.isoformat()
    (event,) = events(db_session, "placement.end", "placement")
    assert event.data["called_off"] is True


def test_after_an_early_end_the_request_is_open_again(
    client: FlaskClient, db_session: Session, world: World, cpi: dict[str, str], proposal: Proposal
) -> None:
    placement = client.post(URL, json=terms(proposal), headers=cpi).json
    db_session.expire_all()
    assert db_session.get(CareRequest, proposal.request_id).status == "placed"
    ended = client.post(f"{URL}/{placement['id']}/end", json={"end_reason": "Moved"}, headers=cpi)
    assert ended.status_code == 200, ended.json
    db_session.expire_all()
    assert db_session.get(CareRequest, proposal.request_id).status == "open"
    (event,) = events(db_session, "placement.end", "placement")
    assert event.data["request_status"] == {"from": "placed", "to": "open"}


def test_after_its_planned_end_the_request_is_closed(
    client: FlaskClient, db_session: Session, cpi: dict[str, str], proposal: Proposal
) -> None:
    end = NEXT_MONTH + dt.timedelta(days=90)
    placement = client.post(URL, json=terms(proposal, end_date=end.isoformat()), headers=cpi).json
    assert end_due_placements(db_session, end + dt.timedelta(days=1)) == 1
    db_session.commit()
    assert db_session.get(Placement, placement["id"]).status == "ended"
    assert db_session.get(CareRequest, proposal.request_id).status == "closed"
