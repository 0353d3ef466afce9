"""Acceptance (issue 4): the whole brokering flow through the HTTP API alone.

A family registers and requests care; an ASL operator assesses and refers the case, with
the family's consent, to a CPI whose territory does not include the family's comune; the
CPI operator matches and proposes; the assistant and the family accept; the placement
starts and ends with feedback from both sides; the audit log holds every step.

Only the organizations and their operators' accounts are arranged beforehand (staff
accounts are created by an administrator, not through the public API); every operator
still logs in through the API for a token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from tests.factories import MONCALIERI, PASSWORD, TORINO

# Every date is relative to the day the test runs: the care starts today, so the
# placement can start and end (the same day) through the API.
TODAY = dt.date.today()


class Api:
    """One user's view of the API: a bearer token and JSON in, JSON out."""

    def __init__(self, client: FlaskClient, email: str, password: str = PASSWORD) -> None:
        self.client = client
        response = client.post("/api/v1/auth/tokens", json={"email": email, "password": password})
        assert response.status_code == 201, response.get_json()
        self.headers = {"Authorization": f"Bearer {response.get_json()['token']}"}

    def call(self, method: str, url: str, status: int, body: Any = None) -> Any:
        response = self.client.open(url, method=method, headers=self.headers, json=body)
        assert response.status_code == status, (method, url, response.get_json())
        return response.get_json()

    def get(self, url: str, status: int = 200) -> Any:
        return self.call("GET", url, status)

    def post(self, url: str, body: Any = None, status: int = 200) -> Any:
        return self.call("POST", url, status, body if body is not None else {})


def register(client: FlaskClient, email: str, role: str, name: str) -> Api:
    response = client.post(
        "/api/v1/auth/register",
        json={
            "email": email,
            "password": "una password lunga 2026",
            "full_name": name,
            "role": role,
        },
    )
    assert response.status_code == 201, response.get_json()
    return Api(client, email, "una password lunga 2026")


def test_from_registration_to_feedback(
    client: FlaskClient, db_session: Session, factories: Any
) -> None:
    asl_org = factories.OrganizationFactory(
        kind="health_authority", name="ASL TO5", territory_codes=[MONCALIERI]
    )
    cpi_org = factories.OrganizationFactory(kind="cpi", name="CPI Torino", territory_codes=[TORINO])
    asl_user = factories.OperatorFactory(organization=asl_org, email="asl@example.org")
    cpi_user = factories.OperatorFactory(organization=cpi_org, email="cpi@example.org")
    asl, cpi = Api(client, asl_user.email), Api(client, cpi_user.email)

    # 1. The family registers, describes the person and asks for care.
    family = register(client, "figlia@example.org", "family", "Giulia Bianchi")
    household = family.post(
        "/api/v1/families/households",
        {
            "contact_name": "Giulia Bianchi",
            "phone": "+39 011 555 0101",
            "municipality": "Moncalieri",
        },
        status=201,
    )
    recipient = family.post(
        f"/api/v1/families/households/{household['id']}/recipients",
        {
            "first_name": "Ada",
            "age_band": "85+",
            "self_sufficiency": "partially",
            "conditions": ["dementia"],
        },
        status=201,
    )
    request = family.post(
        "/api/v1/care-requests",
        {
            "recipient_id": recipient["id"],
            "arrangement": "hourly",
            "schedule": "lun-ven 08:00-12:00",
            "start_date": TODAY.isoformat(),
            "duration_months": 12,
            "max_distance_km": 25,
            "gender_preference": "none",
            "preferred_languages": ["it"],
        },
        status=201,
    )
    if request["status"] == "draft":
        request = family.post(f"/api/v1/care-requests/{request['id']}/submit")
    assert request["status"] == "open"
    assert request["ccnl_level"] in ("CS", "DS")  # not self-sufficient: CS or DS

    # The CPI of Torino does not see a case in Moncalieri yet.
    cpi.get(f"/api/v1/care-requests/{request['id']}", status=404)

    # 2. The ASL assesses and refers the case to the CPI, with the family's consent.
    asl.post(
        f"/api/v1/families/recipients/{recipient['id']}/assessments",
        {
            "assessed_on": (TODAY - dt.timedelta(days=17)).isoformat(),
            "self_sufficiency": "non_self_sufficient",
            "score": 70,
        },
        status=201,
    )
    refused = asl.call(
        "POST",
        "/api/v1/referrals",
        422,
        {
            "household_id": household["id"],
            "request_id": request["id"],
            "to_organization_id": cpi_org.id,
            "reason": "Needs an hourly assistant",
            "consent_given": False,
        },
    )
    assert "consent" in refused["message"].lower()
    referral = asl.post(
        "/api/v1/referrals",
        {
            "household_id": household["id"],
            "request_id": request["id"],
            "to_organization_id": cpi_org.id,
            "reason": "Needs an hourly assistant",
            "consent_given": True,
        },
        status=201,
    )
    inbox = cpi.get("/api/v1/referrals?box=inbox")
    assert [r["id"] for r in inbox["items"]] == [referral["id"]]
    cpi.post(f"/api/v1/referrals/{referral['id']}/accept")
    assert cpi.get(f"/api/v1/care-requests/{request['id']}")["id"] == request["id"]

    # 3. An assistant registers; the CPI verifies her.
    ana = register(client, "ana@example.org", "assistant", "Ana Popescu")
    profile = ana.post(
        "/api/v1/assistants",
        {
            "display_name": "Ana Popescu",
            "gender": "f",
            "birth_year": 1978,
            "nationality": "RO",
            "phone": "+39 333 1234567",
            "languages": [{"language": "ro", "level": "native"}, {"language": "it", "level": "B2"}],
            "municipality": "Torino",
            "province": "TO",
            "travel_radius_km": 20,
            "arrangements": ["hourly"],
            "availability": "lun-ven 07:00-13:00",
            "available_from": (TODAY - dt.timedelta(days=6)).isoformat(),
            "years_experience": 6,
            "conditions": ["dementia"],
        },
        status=201,
    )
    cpi.post(f"/api/v1/assistants/{profile['id']}/verify")

    # 4. The CPI matches and proposes.
    matches = cpi.get(f"/api/v1/care-requests/{request['id']}/matches")
    best = matches["items"][0]
    assert best["assistant_id"] == profile["id"] and best["components"]["conditions"] == 1.0
    [proposal] = cpi.post(
        f"/api/v1/care-requests/{request['id']}/proposals",
        {"assistant_ids": [profile["id"]]},
        status=201,
    )["items"]
    assert proposal["status"] == "pending"
    assert family.get(f"/api/v1/proposals/{proposal['id']}")["contacts"] == {}
    cpi.post(
        f"/api/v1/proposals/{proposal['id']}/interview",
        {"interview_at": f"{TODAY}T10:00:00+01:00", "notes": "At the family's home"},
    )

    # 5. Both sides accept; only then do they see each other's contacts.
    ana.post(
        f"/api/v1/proposals/{proposal['id']}/answer", {"side": "assistant", "answer": "accepted"}
    )
    assert family.get(f"/api/v1/proposals/{proposal['id']}")["contacts"] == {}
    accepted = family.post(
        f"/api/v1/proposals/{proposal['id']}/answer", {"side": "family", "answer": "accepted"}
    )
    assert accepted["status"] == "accepted"
    assert accepted["contacts"]["assistant"]["email"] == "ana@example.org"
    seen_by_ana = ana.get(f"/api/v1/proposals/{proposal['id']}")["contacts"]
    assert seen_by_ana["family"]["phone"] == "+39 011 555 0101"

    # 6. The placement starts, then ends with feedback from both sides.
    placement = cpi.post(
        "/api/v1/placements",
        {
            "proposal_id": proposal["id"],
            "ccnl_level": request["ccnl_level"],
            "schedule": "lun-ven 08:00-12:00",
            "start_date": TODAY.isoformat(),
        },
        status=201,
    )
    assert placement["status"] == "active" and placement["weekly_hours"] == 20
    assert placement["buono_domiciliarita"]["eligible"] is True
    assert family.get(f"/api/v1/care-requests/{request['id']}")["status"] == "placed"
    # The assistant's hours are taken: the engine now says so.
    why = cpi.get(f"/api/v1/care-requests/{request['id']}/matches/{profile['id']}")
    assert why["eligible"] is False
    ended = family.post(
        f"/api/v1/placements/{placement['id']}/end",
        {"end_reason": "Ada moved to a care home", "ended_on": TODAY.isoformat()},
    )
    assert ended["status"] == "ended"
    family.post(
        f"/api/v1/placements/{placement['id']}/feedback",
        {"side": "family", "rating": 5, "text": "Attenta e puntuale"},
    )
    final = ana.post(
        f"/api/v1/placements/{placement['id']}/feedback", {"side": "assistant", "rating": 4}
    )
    assert (final["family_rating"], final["assistant_rating"]) == (5, 4)

    # 7. The audit log holds every step, each with its actor and request id.
    db_session.commit()
    events = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    # A read of health information is named by how it was read (a match reads them).
    actions = [
        f"{e.action}:{e.data.get('via', 'record')}" if e.action == "health.read" else e.action
        for e in events
    ]
    expected = [
        "user.registered",
        "household.create",
        "care_request.create",
        "assessment.create",
        "referral.create",
        "referral.accept",
        "assistant.create",
        "assistant.verify",
        "health.read:match",
        "proposal.create",
        "proposal.interview",
        "proposal.answer",
        "placement.start",
        "placement.end",
        "placement.feedback",
    ]
    missing = [a for a in expected if a not in actions]
    assert not missing, f"missing from the audit log: {missing}; it has {actions}"
    positions = [actions.index(a) for a in expected]
    assert positions == sorted(positions), "steps logged out of order"
    assert actions.count("proposal.answer") == 2 and actions.count("placement.feedback") == 2
    assert all(e.request_id for e in events if e.action != "user.logged_in")
    by_actor = {e.action: e.actor_user_id for e in events}
    assert by_actor["referral.create"] == asl_user.id
    assert by_actor["placement.start"] == cpi_user.id

    # The case's timeline shows the steps to the organizations involved.
    timeline = asl.get(f"/api/v1/households/{household['id']}/timeline")
    shown = {item["action"] for item in timeline["items"]}
    assert {"referral.accept", "proposal.create", "placement.start", "placement.end"} <= shown
