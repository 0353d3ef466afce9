"""The placements API: start from an accepted proposal, contract rules, double-booking,
end, feedback once per side, who sees what."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.audit.models import AuditEvent
from carenet.care_requests.models import CareRequest
from carenet.core.errors import Invalid
from carenet.notifications.models import Notification
from carenet.placements.models import Placement, PlacementSlot
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, bearer, count, events
from tests.carenet.placements.conftest import accepted_proposal, terms
from tests.factories import weekday_hours

URL = "/api/v1/placements"


@pytest.fixture
def cpi(db_session: Session, world: World) -> dict[str, str]:
    """Headers of the Torino CPI operator (brokers Torino's cases)."""
    return bearer(db_session, world.cpi_torino)


def rows(db_session: Session) -> tuple[int, int, int, int]:
    """Placements, slots, audit events and notifications, as committed now."""
    return (
        count(db_session, Placement),
        count(db_session, PlacementSlot),
        count(db_session, AuditEvent),
        count(db_session, Notification),
    )


def slots_of(db_session: Session, assistant: Assistant) -> list[int]:
    db_session.commit()
    stmt = sa.select(PlacementSlot.slot).where(PlacementSlot.assistant_id == assistant.id)
    return sorted(db_session.scalars(stmt))


def test_operator_starts_a_placement_from_an_accepted_proposal(
    client: FlaskClient,
    db_session: Session,
    world: World,
    cpi: dict[str, str],
    proposal: Proposal,
    assistant: Assistant,
) -> None:
    response = client.post(URL, json=terms(proposal, weekly_hours=20), headers=cpi)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "active"
    assert body["schedule"] == {
        "it": "lun-ven 08:00-12:00",
        "en": "Mon-Fri 08:00-12:00",
        "hours": 20,
    }
    assert body["weekly_hours"] == 20
    assert body["ccnl_level"] == "CS"
    assert body["assistant_id"] == assistant.id
    assert body["assistant_name"] == "Irina"
    assert body["household_id"] == world.household_torino.id
    # Twenty busy hours: Monday to Friday, 8 to 12.
    expected = [day * 24 + hour for day in range(5) for hour in range(8, 12)]
    assert slots_of(db_session, assistant) == expected
    db_session.expire_all()
    assert db_session.get(CareRequest, proposal.request_id).status == "placed"
    assert db_session.get(Proposal, proposal.id).status == "accepted"
    (event,) = events(db_session, "placement.start", "placement")
    assert event.entity_id == str(body["id"])
    assert event.data["request_id"] == proposal.request_id
    assert event.actor_user_id == world.cpi_torino.id
    notified = db_session.scalars(
        sa.select(Notification.user_id).where(Notification.kind == "placement.started")
    )
    assert sorted(notified) == sorted([world.family_torino.id, world.assistant.id])


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"schedule": "lun-ven 8-pranzo"}, "schedule", "could not be read"),
        ({"schedule": "lun-ven 06:00-18:00"}, "schedule", "at most 40 hours"),
        ({"schedule": "lun 00:00-24:00"}, "schedule", "second assistant"),
        ({"weekly_hours": 25}, "weekly_hours", "schedule has 20"),
        ({"ccnl_level": "BS"}, "ccnl_level", "not self-sufficient"),
        ({"start_date": "2020-01-01"}, "start_date", "in the past"),
        ({"end_date": "2020-01-01"}, "end_date", "before the start"),
    ],
)
def test_terms_breaking_a_rule_are_refused_and_nothing_is_written(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    proposal: Proposal,
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    before = rows(db_session)
    response = client.post(URL, json=terms(proposal, **changes), headers=cpi)
    assert response.status_code == 422, response.json
    messages = " ".join(response.json["details"]["fields"][field])
    assert words in messages
    assert rows(db_session) == before
    db_session.expire_all()
    assert db_session.get(CareRequest, proposal.request_id).status == "open"


def test_a_level_below_the_one_the_request_asks_for_is_refused(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    asked_ds = accepted_proposal(db_session, make_request(ccnl_level="DS"), assistant)
    response = client.post(URL, json=terms(asked_ds, ccnl_level="CS"), headers=cpi)
    assert response.status_code == 422
    assert "asks for" in response.json["details"]["fields"]["ccnl_level"][0]
    assert count(db_session, Placement) == 0


@pytest.mark.parametrize("status", ["pending", "declined", "draft"])
def test_only_an_accepted_proposal_can_be_placed(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
    status: str,
) -> None:
    not_yet = accepted_proposal(db_session, make_request(), assistant, status=status)
    before = rows(db_session)
    response = client.post(URL, json=terms(not_yet), headers=cpi)
    assert response.status_code == 409
    assert status in response.json["message"]
    assert rows(db_session) == before


def test_a_closed_request_cannot_be_placed(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    closed = accepted_proposal(db_session, make_request(status="closed"), assistant)
    response = client.post(URL, json=terms(closed), headers=cpi)
    assert response.status_code == 409
    assert count(db_session, Placement) == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("family_torino", 403),  # sees the case, does not broker it
        ("asl_torino", 403),  # assesses, does not broker
        ("assistant", 404),  # does not see the case
        ("cpi_cuneo", 404),  # another territory
        ("region", 404),  # aggregates only
    ],
)
def test_only_brokers_of_the_case_start_placements(
    client: FlaskClient,
    db_session: Session,
    world: World,
    proposal: Proposal,
    who: str,
    status: int,
) -> None:
    before = rows(db_session)
    response = client.post(
        URL, json=terms(proposal), headers=bearer(db_session, getattr(world, who))
    )
    assert response.status_code == status, response.json
    assert rows(db_session) == before


def test_overlapping_hours_are_a_409_naming_the_hours_and_the_other_placement(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    proposal: Proposal,
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    first = client.post(URL, json=terms(proposal), headers=cpi)
    assert first.status_code == 201
    # A second request for 10:00 to 18:00: its placement's hours are the request's.
    other = accepted_proposal(db_session, make_request(schedule=weekday_hours(10, 18)), assistant)
    before = rows(db_session)
    response = client.post(URL, json=terms(other, schedule="lun-ven 10:00-14:00"), headers=cpi)
    assert response.status_code == 409, response.json
    assert (
        "lun-ven 10:00-12:00" in response.json["message"]
        or "Mon-Fri 10:00-12:00" in (response.json["message"])
    )
    assert f"#{first.json['id']}" in response.json["message"]
    assert response.json["details"]["placement_ids"] == [first.json["id"]]
    assert response.json["details"]["hours"] == 10
    assert rows(db_session) == before
    db_session.expire_all()
    assert db_session.get(CareRequest, other.request_id).status == "open"
    # The afternoons are free: a second placement there is fine.
    afternoons = client.post(URL, json=terms(other, schedule="lun-ven 14:00-18:00"), headers=cpi)
    assert afternoons.status_code == 201, afternoons.json
    assert len(slots_of(db_session, assistant)) == 40


def test_a_live_in_placement_takes_the_whole_week(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    live_in = accepted_proposal(
        db_session,
        make_request(arrangement="live_in", schedule=weekday_hours(14, 22), weekly_hours=40),
        assistant,
    )
    response = client.post(URL, json=terms(live_in, schedule="lun-ven 14:00-22:00"), headers=cpi)
    assert response.status_code == 201, response.json
    assert slots_of(db_session, assistant) == list(range(168))
    # Any hour is now taken, even a Sunday morning.
    sunday = make_request(schedule=weekday_hours(8, 10, range(6, 7)), weekly_hours=2)
    other = accepted_proposal(db_session, sunday, assistant)
    response = client.post(URL, json=terms(other, schedule="dom 08:00-10:00"), headers=cpi)
    assert response.status_code == 409
    assert "whole week" in response.json["message"]


def test_the_slot_primary_key_refuses_a_second_booking_of_an_hour(
    db_session: Session, world: World, proposal: Proposal, assistant: Assistant
) -> None:
    """The database's own guard, behind the lock and the check."""
    placements = [
        Placement(
            request_id=proposal.request_id,
            assistant_id=assistant.id,
            arrangement="hourly",
            ccnl_level="CS",
            weekly_hours=1,
            schedule=b"\x01" + b"\x00" * 20,
            start_date=proposal.created_at.date(),
        )
        for _ in range(2)
    ]
    db_session.add_all(placements)
    db_session.commit()
    db_session.add(PlacementSlot(assistant_id=assistant.id, slot=0, placement_id=placements[0].id))
    db_session.commit()
    db_session.add(PlacementSlot(assistant_id=assistant.id, slot=0, placement_id=placements[1].id))
    with pytest.raises(IntegrityError):
        db_session.commit()
    db_session.rollback()


def test_ending_frees_the_hours_for_the_next_placement(
    client: FlaskClient,
    db_session: Session,
    world: World,
    cpi: dict[str, str],
    proposal: Proposal,
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    placement = client.post(URL, json=terms(proposal), headers=cpi).json
    start = placement["start_date"]
    family = bearer(db_session, world.family_torino)
    # It starts next month: calling it off (no end date) ends it on its start date, unrun.
    response = client.post(
        f"{URL}/{placement['id']}/end", json={"end_reason": "The family moved"}, headers=family
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ended"
    assert response.json["end_reason"] == "The family moved"
    assert response.json["end_date"] == start
    assert response.json["ended_at"] is not None
    assert slots_of(db_session, assistant) == []
    (event,) = events(db_session, "placement.end", "placement")
    assert event.data["request_id"] == proposal.request_id
    assert event.data["called_off"] is True
    notified = db_session.scalars(
        sa.select(Notification.user_id).where(Notification.kind == "placement.ended")
    )
    assert sorted(notified) == sorted([world.family_torino.id, world.assistant.id])
    # The same hours can be booked again.
    again = accepted_proposal(db_session, make_request(), assistant)
    assert client.post(URL, json=terms(again), headers=cpi).status_code == 201
    # Ending twice is a conflict and changes nothing.
    before = rows(db_session)
    second = client.post(f"{URL}/{placement['id']}/end", json={"end_reason": "x"}, headers=cpi)
    assert second.status_code == 409
    assert rows(db_session) == before


def test_ending_before_the_start_or_without_a_reason_is_refused(
    client: FlaskClient, db_session: Session, cpi: dict[str, str], proposal: Proposal
) -> None:
    placement = client.post(URL, json=terms(proposal), headers=cpi).json
    before = rows(db_session)
    early = client.post(
        f"{URL}/{placement['id']}/end",
        json={"end_reason": "Changed plans", "ended_on": "2020-01-01"},
        headers=cpi,
    )
    assert early.status_code == 422
    assert "ended_on" in early.json["details"]["fields"]
    blank = client.post(f"{URL}/{placement['id']}/end", json={"end_reason": "   "}, headers=cpi)
    assert blank.status_code == 422
    future = client.post(
        f"{URL}/{placement['id']}/end",
        json={"end_reason": "Moving away", "ended_on": "2099-12-31"},
        headers=cpi,
    )
    # Before its start a placement can only be called off, on its start date.
    assert future.status_code == 422
    assert "called off" in future.json["details"]["fields"]["ended_on"][0]
    assert rows(db_session) == before
    assert count(db_session, PlacementSlot) == 20


def test_a_running_placement_ends_on_a_day_between_its_start_and_today(
    client: FlaskClient,
    db_session: Session,
    world: World,
    cpi: dict[str, str],
    proposal: Proposal,
) -> None:
    from carenet.placements import services

    created = client.post(URL, json=terms(proposal), headers=cpi).json
    placement = db_session.get(Placement, created["id"])
    assert placement is not None
    start = placement.start_date
    later = start + dt.timedelta(days=40)  # as if today were 40 days after the start
    end = functools.partial(services.end_placement, db_session, world.cpi_torino, placement)
    with pytest.raises(Invalid) as before_start:
        end("Moved", start - dt.timedelta(days=1), today=later)
    assert "ended_on" in before_start.value.details["fields"]
    with pytest.raises(Invalid) as after_today:
        end("Moved", later + dt.timedelta(days=1), today=later)
    assert "ended_on" in after_today.value.details["fields"]
    ended = end("Moved", start + dt.timedelta(days=10), today=later)
    assert (ended.status, ended.end_date) == ("ended", start + dt.timedelta(days=10))
    db_session.rollback()


def test_placements_end_the_day_after_their_planned_end_date(
    client: FlaskClient,
    db_session: Session,
    cpi: dict[str, str],
    proposal: Proposal,
    assistant: Assistant,
) -> None:
    from carenet.placements import services

    body = {**terms(proposal)}
    start = dt.date.fromisoformat(body["start_date"])
    body["end_date"] = (start + dt.timedelta(days=90)).isoformat()
    created = client.post(URL, json=body, headers=cpi)
    assert created.status_code == 201, created.json
    last_day = start + dt.timedelta(days=90)

    assert services.end_due_placements(db_session, last_day) == 0  # still its last day
    db_session.commit()
    assert len(slots_of(db_session, assistant)) == 20
    assert services.end_due_placements(db_session, last_day + dt.timedelta(days=1)) == 1
    db_session.commit()
    placement = db_session.get(Placement, created.json["id"])
    assert placement is not None
    assert (placement.status, placement.end_date) == ("ended", last_day)
    assert slots_of(db_session, assistant) == []
    (event,) = events(db_session, "placement.end", "placement")
    assert event.actor_user_id is None and event.data["called_off"] is False
    shown = client.get(f"{URL}/{placement.id}", headers=cpi).json
    assert shown["end_reason"] == "The planned end date was reached."
    italian = client.get(f"{URL}/{placement.id}?lang=it", headers=cpi).json
    assert italian["end_reason"] != shown["end_reason"]


def test_feedback_once_per_side(
    client: FlaskClient,
    db_session: Session,
    world: World,
    cpi: dict[str, str],
    proposal: Proposal,
) -> None:
    placement_id = client.post(URL, json=terms(proposal), headers=cpi).json["id"]
    family = bearer(db_session, world.family_torino)
    helper = bearer(db_session, world.assistant)
    feedback = f"{URL}/{placement_id}/feedback"
    # Nobody speaks for the other side.
    assert (
        client.post(feedback, json={"side": "assistant", "rating": 5}, headers=family).status_code
        == 403
    )
    assert (
        client.post(feedback, json={"side": "family", "rating": 5}, headers=helper).status_code
        == 403
    )
    response = client.post(
        feedback, json={"side": "family", "rating": 5, "text": "Kind and punctual"}, headers=family
    )
    assert response.status_code == 200, response.json
    assert response.json["family_rating"] == 5
    assert response.json["family_feedback"] == "Kind and punctual"
    before = rows(db_session)
    again = client.post(feedback, json={"side": "family", "rating": 1}, headers=cpi)
    assert again.status_code == 409
    assert rows(db_session) == before
    # A broker operator may record the assistant's feedback on their behalf.
    response = client.post(feedback, json={"side": "assistant", "rating": 4}, headers=cpi)
    assert response.status_code == 200
    assert response.json["assistant_rating"] == 4
    assert response.json["family_rating"] == 5
    assert (
        client.post(feedback, json={"side": "assistant", "rating": 3}, headers=helper).status_code
        == 409
    )
    recorded = events(db_session, "placement.feedback", "placement")
    assert [(e.data["side"], e.data["on_behalf"]) for e in recorded] == [
        ("family", False),
        ("assistant", True),
    ]
    assert all(e.data["request_id"] == proposal.request_id for e in recorded)
    bad = client.post(feedback, json={"side": "family", "rating": 6}, headers=family)
    assert bad.status_code == 422


def test_who_sees_which_placements(
    client: FlaskClient, db_session: Session, world: World, cpi: dict[str, str], proposal: Proposal
) -> None:
    placement_id = client.post(URL, json=terms(proposal), headers=cpi).json["id"]
    for who, visible in [
        ("family_torino", True),
        ("assistant", True),
        ("cpi_torino", True),
        ("asl_torino", True),
        ("family_cuneo", False),
        ("cpi_cuneo", False),
        ("region", False),
    ]:
        headers = bearer(db_session, getattr(world, who))
        listed = client.get(URL, headers=headers).json
        assert [p["id"] for p in listed["items"]] == ([placement_id] if visible else []), who
        assert listed["total"] == (1 if visible else 0)
        shown = client.get(f"{URL}/{placement_id}", headers=headers)
        assert shown.status_code == (200 if visible else 404), who
    assert client.get(f"{URL}?status=ended", headers=cpi).json["total"] == 0


def test_a_placed_request_cannot_be_placed_again_with_another_assistant(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    cpi: dict[str, str],
    proposal: Proposal,
) -> None:
    assert client.post(URL, json=terms(proposal), headers=cpi).status_code == 201
    db_session.expire_all()
    care_request = db_session.get(CareRequest, proposal.request_id)
    other = accepted_proposal(db_session, care_request, factories.AssistantFactory())
    before = rows(db_session)
    response = client.post(URL, json=terms(other), headers=cpi)
    assert response.status_code == 409
    assert "placed request cannot be placed" in response.json["message"]
    assert rows(db_session) == before
