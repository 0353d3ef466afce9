"""The care-requests API: creation, contract limits, CCNL level, buono, transitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.care_requests.models import CareRequest, RequestQualification
from tests.carenet.families.helpers import World, bearer, count, events

URL = "/api/v1/care-requests"
# A start date the service accepts: it refuses one in the past.
START = dt.date.today() + dt.timedelta(days=35)


def payload(world: World, **changes: Any) -> dict[str, Any]:
    """A valid hourly request for the Torino recipient (not self-sufficient)."""
    body: dict[str, Any] = {
        "recipient_id": world.recipient_torino.id,
        "arrangement": "hourly",
        "schedule": "lun-ven 08:00-12:00",
        "start_date": START.isoformat(),
        "duration_months": 12,
        "max_distance_km": 20,
        "required_languages": ["it"],
        "preferred_languages": ["ro"],
    }
    body.update(changes)
    return body


@pytest.fixture
def family(db_session: Session, world: World) -> dict[str, str]:
    """Headers of the Torino family."""
    return bearer(db_session, world.family_torino)


def test_family_creates_a_draft_request(
    client: FlaskClient, db_session: Session, world: World, family: dict[str, str]
) -> None:
    response = client.post(URL, json=payload(world), headers=family)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "draft"
    assert body["schedule"] == {
        "it": "lun-ven 08:00-12:00",
        "en": "Mon-Fri 08:00-12:00",
        "hours": 20,
    }
    assert body["weekly_hours"] == 20
    assert body["ccnl_level"] == "CS"
    assert body["required_languages"] == ["it"]
    assert body["preferred_languages"] == ["ro"]
    assert body["buono_domiciliarita"]["eligible"] is True
    assert body["household_id"] == world.household_torino.id
    assert body["municipality"]["istat"] == "001272"
    assert body["organization_id"] is None
    stored = db_session.get(CareRequest, body["id"])
    assert stored is not None and stored.ccnl_level == "CS" and stored.weekly_hours == 20
    assert [e.entity_id for e in events(db_session, "care_request.create")] == [str(body["id"])]


def test_operator_request_defaults_to_their_organization(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    response = client.post(URL, json=payload(world, status="open"), headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["organization_id"] == world.cpi_torino.organization_id
    assert response.json["status"] == "open"
    assert response.json["created_by_user_id"] == world.cpi_torino.id


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"schedule": "lun-sab 08:00-18:00"}, "schedule", ["at most 40 hours", "has 60"]),
        (
            {"arrangement": "live_in", "schedule": "lun-sab 08:00-14:00 16:00-20:00"},
            "schedule",
            ["at most 54 hours", "has 60"],
        ),
        (
            {
                "arrangement": "live_in",
                "live_in_part_time": True,
                "schedule": "lun-ven 08:00-15:00",
            },
            "schedule",
            ["at most 30 hours", "has 35"],
        ),
        ({"arrangement": "night", "schedule": "lun-sab 22:00-06:00"}, "schedule", ["40"]),
        ({"schedule": "lun 25:00-26:00"}, "schedule", ["25", "out of range"]),
        ({"schedule": "lun 06:00-20:00"}, "schedule", ["11 consecutive hours of daily rest"]),
        ({"schedule": "sab"}, "schedule", ["round-the-clock cover needs a second assistant"]),
        ({"ccnl_level": "BS"}, "ccnl_level", ["not self-sufficient"]),
        ({"required_qualifications": ["astronaut"]}, "required_qualifications", ["oss"]),
        (
            {"required_qualifications": ["oss"], "preferred_qualifications": ["oss"]},
            "preferred_qualifications",
            ["both required and preferred"],
        ),
        ({"required_languages": ["xx"]}, "required_languages", ["xx", "ro"]),
        ({"start_date": "2020-01-01"}, "start_date", ["past"]),
        ({"weekly_hours": 25}, "weekly_hours", ["25", "20"]),
        ({"gender_preference": "required"}, "gender", ["gender"]),
        ({"organization_id": 999999}, "organization_id", ["999999"]),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    client: FlaskClient,
    db_session: Session,
    world: World,
    family: dict[str, str],
    changes: dict[str, Any],
    field: str,
    expected: list[str],
) -> None:
    before = count(db_session, CareRequest), count(db_session, AuditEvent)
    response = client.post(URL, json=payload(world, **changes), headers=family)
    assert response.status_code == 422, response.json
    messages = response.json["details"]["fields"][field]
    text = " ".join(messages) + " " + response.json["message"]
    for fragment in expected:
        assert fragment in text
    assert (count(db_session, CareRequest), count(db_session, AuditEvent)) == before


def test_unknown_qualification_lists_the_valid_codes(
    client: FlaskClient, world: World, family: dict[str, str]
) -> None:
    response = client.post(URL, json=payload(world, required_qualifications=["x"]), headers=family)
    message = response.json["details"]["fields"]["required_qualifications"][0]
    for code in ("assistente_familiare", "dementia_care", "nurse", "oss", "osa"):
        assert code in message


def test_every_problem_is_reported_at_once(
    client: FlaskClient, world: World, family: dict[str, str]
) -> None:
    body = payload(world, schedule="lun-sab 08:00-18:00", ccnl_level="BS", max_distance_km=20)
    response = client.post(URL, json=body, headers=family)
    assert response.status_code == 422
    assert set(response.json["details"]["fields"]) == {"schedule", "ccnl_level"}


@pytest.mark.parametrize(
    ("recipient", "changes", "level"),
    [
        ("recipient_torino", {}, "CS"),
        ("recipient_torino", {"required_qualifications": ["oss"]}, "DS"),
        ("recipient_torino", {"required_qualifications": ["nurse"]}, "DS"),
        ("recipient_torino", {"required_qualifications": ["first_aid"]}, "CS"),
        ("recipient_torino", {"ccnl_level": "DS"}, "DS"),
        ("recipient_cuneo", {}, "BS"),
    ],
)
def test_ccnl_level_derivation(
    client: FlaskClient,
    db_session: Session,
    world: World,
    recipient: str,
    changes: dict[str, Any],
    level: str,
) -> None:
    target = getattr(world, recipient)
    owner = world.family_torino if recipient == "recipient_torino" else world.family_cuneo
    body = payload(world, recipient_id=target.id, **changes)
    response = client.post(URL, json=body, headers=bearer(db_session, owner))
    assert response.status_code == 201, response.json
    assert response.json["ccnl_level"] == level


def test_buono_eligibility_in_the_response(
    client: FlaskClient, world: World, family: dict[str, str]
) -> None:
    short = client.post(URL, json=payload(world, duration_months=6), headers=family).json
    assert short["buono_domiciliarita"]["eligible"] is False
    assert any("6 months" in r for r in short["buono_domiciliarita"]["reasons"])
    few = client.post(URL, json=payload(world, schedule="lun-ven 08:00-11:00"), headers=family)
    assert few.json["buono_domiciliarita"]["eligible"] is False
    assert any("15 hours" in r for r in few.json["buono_domiciliarita"]["reasons"])


def test_patch_rechecks_everything_and_changes_nothing_when_invalid(
    client: FlaskClient, db_session: Session, world: World, family: dict[str, str]
) -> None:
    created = client.post(URL, json=payload(world), headers=family).json
    url = f"{URL}/{created['id']}"
    events_before = count(db_session, AuditEvent)
    response = client.patch(url, json={"schedule": "lun-sab 08:00-18:00"}, headers=family)
    assert response.status_code == 422
    assert "at most 40 hours" in response.json["message"]
    assert count(db_session, AuditEvent) == events_before
    assert client.get(url, headers=family).json["weekly_hours"] == 20

    response = client.patch(
        url,
        json={"schedule": "lun-ven 08:00-13:00", "required_qualifications": ["oss"]},
        headers=family,
    )
    assert response.status_code == 200, response.json
    assert response.json["weekly_hours"] == 25
    assert response.json["ccnl_level"] == "DS"
    update = events(db_session, "care_request.update")
    assert update[-1].data["fields"] == [
        "ccnl_level",
        "required_qualifications",
        "schedule",
        "weekly_hours",
    ]
    # Dropping the trained qualification brings the implied level back to CS.
    response = client.patch(url, json={"required_qualifications": []}, headers=family)
    assert response.json["ccnl_level"] == "CS"
    db_session.commit()
    assert count(db_session, RequestQualification) == 0


def test_explicit_level_survives_unrelated_changes(
    client: FlaskClient, world: World, family: dict[str, str]
) -> None:
    created = client.post(URL, json=payload(world, ccnl_level="DS"), headers=family).json
    response = client.patch(f"{URL}/{created['id']}", json={"notes": "x"}, headers=family)
    assert response.json["ccnl_level"] == "DS"
    response = client.patch(f"{URL}/{created['id']}", json={"ccnl_level": None}, headers=family)
    assert response.json["ccnl_level"] == "CS"


def test_transitions_and_their_audit_events(
    client: FlaskClient, db_session: Session, world: World, family: dict[str, str]
) -> None:
    created = client.post(URL, json=payload(world), headers=family).json
    url = f"{URL}/{created['id']}"
    assert client.post(f"{url}/close", headers=family).status_code == 409
    response = client.post(f"{url}/submit", headers=family)
    assert response.status_code == 200
    assert response.json["status"] == "open"
    again = client.post(f"{url}/submit", headers=family)
    assert again.status_code == 409
    assert "open" in again.json["message"]
    assert client.post(f"{url}/cancel", headers=family).json["status"] == "cancelled"
    assert client.patch(url, json={"notes": "late"}, headers=family).status_code == 409
    assert [(e.data["from"], e.data["to"]) for e in events(db_session, "care_request.submit")] == [
        ("draft", "open")
    ]
    assert len(events(db_session, "care_request.cancel")) == 1
    second = client.post(URL, json=payload(world, status="open"), headers=family).json
    assert client.post(f"{URL}/{second['id']}/close", headers=family).json["status"] == "closed"
    assert len(events(db_session, "care_request.close")) == 1


def test_territory_isolation_both_ways(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    torino = factories.CareRequestFactory(recipient=world.recipient_torino)
    cuneo = factories.CareRequestFactory(recipient=world.recipient_cuneo, ccnl_level="BS")
    for operator, own, other in (
        (world.cpi_torino, torino, cuneo),
        (world.cpi_cuneo, cuneo, torino),
    ):
        headers = bearer(db_session, operator)
        listed = client.get(URL, headers=headers).json
        assert [item["id"] for item in listed["items"]] == [own.id]
        assert listed["total"] == 1
        assert client.get(f"{URL}/{own.id}", headers=headers).status_code == 200
        assert client.get(f"{URL}/{other.id}", headers=headers).status_code == 404
        patched = client.patch(f"{URL}/{other.id}", json={"notes": "x"}, headers=headers)
        assert patched.status_code == 404
        assert client.post(f"{URL}/{other.id}/cancel", headers=headers).status_code == 404
        body = payload(world, recipient_id=other.recipient_id)
        assert client.post(URL, json=body, headers=headers).status_code == 404
    db_session.expire_all()
    assert db_session.get(CareRequest, torino.id).status == "open"
    assert db_session.get(CareRequest, cuneo.id).notes == ""
    assert count(db_session, CareRequest) == 2


def test_families_see_only_their_own_requests(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    theirs = factories.CareRequestFactory(recipient=world.recipient_cuneo, ccnl_level="BS")
    headers = bearer(db_session, world.family_torino)
    assert client.get(f"{URL}/{theirs.id}", headers=headers).status_code == 404
    assert client.get(URL, headers=headers).json["items"] == []


def test_list_filters(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    moncalieri = factories.HouseholdFactory(municipality_id="001156")
    recipient = factories.CareRecipientFactory(household=moncalieri)
    hourly = factories.CareRequestFactory(recipient=world.recipient_torino)
    night = factories.CareRequestFactory(
        recipient=recipient, arrangement="night", status="draft", weekly_hours=20
    )
    headers = bearer(db_session, world.cpi_torino)

    def ids(query: str) -> list[int]:
        response = client.get(f"{URL}?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return [item["id"] for item in response.json["items"]]

    assert ids("") == [night.id, hourly.id]
    assert ids("status=draft") == [night.id]
    assert ids("arrangement=hourly") == [hourly.id]
    assert ids("municipality=001156") == [night.id]
    assert ids("per_page=1&page=2") == [hourly.id]
    assert client.get(f"{URL}?status=nope", headers=headers).status_code == 422


def test_roles_and_authentication(client: FlaskClient, db_session: Session, world: World) -> None:
    assert client.get(URL).status_code == 401
    assistant = bearer(db_session, world.assistant)
    assert client.get(URL, headers=assistant).status_code == 403
    assert client.post(URL, json=payload(world), headers=assistant).status_code == 403
    region = bearer(db_session, world.region)
    assert client.get(URL, headers=region).json["items"] == []
    assert client.post(URL, json=payload(world), headers=region).status_code == 404


def test_ids_out_of_range_are_not_found(
    client: FlaskClient, world: World, family: dict[str, str]
) -> None:
    assert client.get(f"{URL}/{2**63}", headers=family).status_code == 404
    assert client.post(f"{URL}/{2**40}/submit", headers=family).status_code == 404
