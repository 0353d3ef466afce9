"""The proposals API: propose, answer on both sides, contacts, interview, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, bearer, events
from tests.carenet.proposals.conftest import answer_proposal, notified, request_status, rows


def url(care_request: CareRequest) -> str:
    return f"/api/v1/care-requests/{care_request.id}/proposals"


def propose(
    client: FlaskClient, care_request: CareRequest, headers: dict[str, str], *ids: int
) -> list[dict]:
    response = client.post(url(care_request), json={"assistant_ids": list(ids)}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["items"]  # type: ignore[no-any-return]


def test_the_whole_flow_propose_accept_both_reveals_contacts(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
    assistant_headers: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    assert made["status"] == "pending"
    assert 0 < made["score"] <= 1
    assert made["components"] and made["distance_km"] >= 0
    assert made["sent_at"] and made["expires_at"]
    assert made["contacts"] == {}
    assert request_status(db_session, care_request.id) == "proposed"
    assert notified(db_session, "proposal.new") == {world.family_torino.id, world.assistant.id}
    (event,) = events(db_session, "proposal.create", "proposal")
    assert event.data["request_id"] == care_request.id
    assert event.data["request_status"] == {"from": "open", "to": "proposed"}
    pid = made["id"]

    # Each side sees it in "my proposals", without the other's contact yet.
    mine = client.get("/api/v1/proposals", headers=family).json
    assert [p["id"] for p in mine["items"]] == [pid]
    assert mine["items"][0]["contacts"] == {}
    theirs = client.get("/api/v1/proposals", headers=assistant_headers).json
    assert [p["id"] for p in theirs["items"]] == [pid]

    accepted = answer_proposal(client, pid, assistant_headers, "assistant", "accepted")
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "pending"
    assert accepted.json["contacts"] == {}
    # The family and the proposing operator hear of it.
    assert notified(db_session, "proposal.accepted") == {
        world.family_torino.id,
        world.cpi_torino.id,
    }
    family_view = client.get(f"/api/v1/proposals/{pid}", headers=family).json
    assert family_view["contacts"] == {}

    done = answer_proposal(client, pid, family, "family", "accepted")
    assert done.status_code == 200, done.json
    assert done.json["status"] == "accepted"
    # Contacts: the family sees the assistant's, the assistant the family's, brokers both.
    assert done.json["contacts"] == {
        "assistant": {"name": "Irina", "email": world.assistant.email, "phone": "+39 333 000 1111"}
    }
    for_assistant = client.get(f"/api/v1/proposals/{pid}", headers=assistant_headers).json
    assert for_assistant["contacts"] == {
        "family": {
            "name": world.household_torino.contact_name,
            "email": world.family_torino.email,
            "phone": "+39 011 555 0101",
        }
    }
    for_cpi = client.get(f"/api/v1/proposals/{pid}", headers=cpi).json
    assert set(for_cpi["contacts"]) == {"family", "assistant"}
    # The ASL sees the case, not the contacts (it does not broker).
    asl = client.get(f"/api/v1/proposals/{pid}", headers=bearer(db_session, world.asl_torino))
    assert asl.status_code == 200 and asl.json["contacts"] == {}
    assert request_status(db_session, care_request.id) == "proposed"
    answers = events(db_session, "proposal.answer", "proposal")
    assert [(e.data["side"], e.data["on_behalf"]) for e in answers] == [
        ("assistant", False),
        ("family", False),
    ]
    assert all(e.data["request_id"] == care_request.id for e in answers)


def test_a_broker_answers_on_the_familys_behalf_and_the_audit_says_who(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    response = answer_proposal(client, made["id"], cpi, "family", "accepted")
    assert response.status_code == 200, response.json
    assert response.json["family_answer"] == "accepted"
    (event,) = events(db_session, "proposal.answer", "proposal")
    assert event.actor_user_id == world.cpi_torino.id
    assert event.data["on_behalf"] is True and event.data["side"] == "family"


def test_a_decline_needs_a_reason_and_sends_the_request_back_to_matching(
    client: FlaskClient,
    db_session: Session,
    factories: object,
    world: World,
    assistant: Assistant,
    other_assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    assistant_headers: dict[str, str],
    family: dict[str, str],
) -> None:
    first, second = propose(client, care_request, cpi, assistant.id, other_assistant.id)
    before = rows(db_session)
    bare = answer_proposal(client, first["id"], assistant_headers, "assistant", "declined")
    assert bare.status_code == 422
    assert "reason_code" in bare.json["details"]["fields"]
    unknown = answer_proposal(
        client, first["id"], assistant_headers, "assistant", "declined", reason_code="bored"
    )
    assert unknown.status_code == 422
    assert rows(db_session) == before

    declined = client.post(
        f"/api/v1/proposals/{first['id']}/answer",
        json={
            "side": "assistant",
            "answer": "declined",
            "reason_code": "distance",
            "reason_text": "Two buses each way",
        },
        headers=assistant_headers,
    )
    assert declined.status_code == 200, declined.json
    assert declined.json["status"] == "declined"
    assert declined.json["assistant_reason"] == {"code": "distance", "text": "Two buses each way"}
    (event,) = events(db_session, "proposal.answer", "proposal")
    assert event.data["reason_code"] == "distance"
    assert "Two buses" not in str(event.data)  # free text stays out of the audit log
    # The words reach the side that wrote them and the brokers; the family, the code.
    seen = {
        who: client.get(f"/api/v1/proposals/{first['id']}", headers=headers).json
        for who, headers in (("family", family), ("cpi", cpi))
    }
    assert seen["family"]["assistant_reason"] == {"code": "distance", "text": None}
    assert seen["cpi"]["assistant_reason"]["text"] == "Two buses each way"
    # The other proposal is still pending: the request stays proposed.
    assert request_status(db_session, care_request.id) == "proposed"

    words_only = answer_proposal(
        client, second["id"], family, "family", "declined", reason_text="We found someone"
    )
    assert words_only.status_code == 200, words_only.json
    assert words_only.json["family_reason"] == {"code": None, "text": "We found someone"}
    assert request_status(db_session, care_request.id) == "matching"
    last = events(db_session, "proposal.answer", "proposal")[-1]
    assert last.data["request_status"] == {"from": "proposed", "to": "matching"}
    # The next match can propose others.
    third = factories.AssistantFactory(display_name="Ana")  # type: ignore[attr-defined]
    (again,) = propose(client, care_request, cpi, third.id)
    assert again["status"] == "pending"
    assert request_status(db_session, care_request.id) == "proposed"


def test_answering_twice_or_a_closed_proposal_is_a_conflict(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
    assistant_headers: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    ok = answer_proposal(client, made["id"], family, "family", "accepted")
    assert ok.status_code == 200
    before = rows(db_session)
    again = answer_proposal(client, made["id"], family, "family", "declined", reason_code="other")
    assert again.status_code == 409
    assert rows(db_session) == before
    declined = answer_proposal(
        client, made["id"], assistant_headers, "assistant", "declined", reason_code="schedule"
    )
    assert declined.status_code == 200 and declined.json["status"] == "declined"
    before = rows(db_session)
    late = answer_proposal(client, made["id"], cpi, "family", "accepted")
    assert late.status_code == 409
    assert rows(db_session) == before


def test_a_side_cannot_answer_for_the_other(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
    assistant_headers: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    before = rows(db_session)
    for headers, side in ((family, "assistant"), (assistant_headers, "family")):
        response = answer_proposal(client, made["id"], headers, side, "accepted")
        assert response.status_code == 403, response.json
    assert rows(db_session) == before


def test_ineligible_assistant_is_named_and_nothing_is_written(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    live_in_only: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    before = rows(db_session)
    response = client.post(
        url(care_request), json={"assistant_ids": [assistant.id, live_in_only.id]}, headers=cpi
    )
    assert response.status_code == 422, response.json
    body = response.json
    assert str(live_in_only.id) in body["message"]
    (refused,) = body["details"]["assistants"]
    assert refused["assistant_id"] == live_in_only.id
    assert refused["code"] == "arrangement"
    assert refused["message"]
    assert rows(db_session) == before
    assert request_status(db_session, care_request.id) == "open"

    # An id that names nobody is answered as "why not" answers it (and as an assistant
    # the operator may not learn about; see test_propose_visibility.py).
    missing = client.post(url(care_request), json={"assistant_ids": [999_999]}, headers=cpi)
    assert missing.status_code == 404
    assert missing.json["message"] == "Assistant not found."
    assert rows(db_session) == before


def test_proposing_the_same_assistant_twice_is_a_conflict(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    other_assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    propose(client, care_request, cpi, assistant.id)
    before = rows(db_session)
    response = client.post(
        url(care_request),
        json={"assistant_ids": [other_assistant.id, assistant.id]},
        headers=cpi,
    )
    assert response.status_code == 409, response.json
    assert response.json["details"]["assistant_ids"] == [assistant.id]
    assert rows(db_session) == before


def test_only_brokers_propose_and_other_territories_get_404(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    family: dict[str, str],
) -> None:
    before = rows(db_session)
    body = {"assistant_ids": [assistant.id]}
    asl = client.post(url(care_request), json=body, headers=bearer(db_session, world.asl_torino))
    assert asl.status_code == 403
    assert client.post(url(care_request), json=body, headers=family).status_code == 403
    cuneo = bearer(db_session, world.cpi_cuneo)
    assert client.post(url(care_request), json=body, headers=cuneo).status_code == 404
    assert rows(db_session) == before
    assert client.get(url(care_request), headers=cuneo).status_code == 404


def test_an_operator_of_another_territory_does_not_see_the_proposal(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    cuneo = bearer(db_session, world.cpi_cuneo)
    before = rows(db_session)
    assert client.get(f"/api/v1/proposals/{made['id']}", headers=cuneo).status_code == 404
    for action, body in (
        ("answer", {"side": "family", "answer": "accepted"}),
        ("interview", {"interview_at": "2027-01-05T10:00:00+01:00"}),
        ("withdraw", None),
        ("send", None),
    ):
        response = client.post(f"/api/v1/proposals/{made['id']}/{action}", json=body, headers=cuneo)
        assert response.status_code == 404, (action, response.json)
    assert client.get("/api/v1/proposals", headers=cuneo).json["total"] == 0
    other_family = bearer(db_session, world.family_cuneo)
    assert client.get(f"/api/v1/proposals/{made['id']}", headers=other_family).status_code == 404
    assert rows(db_session) == before


def test_interview_is_recorded_by_brokers_only(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    interview_url = f"/api/v1/proposals/{made['id']}/interview"
    body = {"interview_at": "2027-01-05T10:00:00+01:00", "notes": "At the family's home"}
    before = rows(db_session)
    assert client.post(interview_url, json=body, headers=family).status_code == 403
    naive = client.post(interview_url, json={"interview_at": "2027-01-05T10:00:00"}, headers=cpi)
    assert naive.status_code == 422
    assert rows(db_session) == before
    response = client.post(interview_url, json=body, headers=cpi)
    assert response.status_code == 200, response.json
    assert response.json["interview_at"].startswith("2027-01-05T09:00:00")
    assert response.json["interview_notes"] == "At the family's home"
    # Notes are the brokers' working notes.
    assert (
        client.get(f"/api/v1/proposals/{made['id']}", headers=family).json["interview_notes"]
        is None
    )
    (event,) = events(db_session, "proposal.interview", "proposal")
    assert event.data["request_id"] == care_request.id
    assert "home" not in str(event.data)


def test_withdrawing_the_last_pending_proposal_reopens_matching(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    assert (
        client.post(f"/api/v1/proposals/{made['id']}/withdraw", headers=family).status_code == 403
    )
    response = client.post(f"/api/v1/proposals/{made['id']}/withdraw", headers=cpi)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "withdrawn"
    assert request_status(db_session, care_request.id) == "matching"
    (event,) = events(db_session, "proposal.withdraw", "proposal")
    assert event.data["request_status"] == {"from": "proposed", "to": "matching"}
    before = rows(db_session)
    again = client.post(f"/api/v1/proposals/{made['id']}/withdraw", headers=cpi)
    assert again.status_code == 409
    assert rows(db_session) == before


@pytest.mark.parametrize("status", ["placed", "closed", "cancelled", "draft"])
def test_a_request_not_open_to_proposals_is_a_conflict(
    client: FlaskClient,
    db_session: Session,
    factories: object,
    world: World,
    assistant: Assistant,
    cpi: dict[str, str],
    status: str,
) -> None:
    care_request = factories.CareRequestFactory(  # type: ignore[attr-defined]
        recipient=world.recipient_torino, status=status
    )
    before = rows(db_session)
    response = client.post(url(care_request), json={"assistant_ids": [assistant.id]}, headers=cpi)
    assert response.status_code == 409, response.json
    assert rows(db_session) == before
    db_session.expire_all()
    assert db_session.get(CareRequest, care_request.id).status == status
    assert db_session.query(Proposal).count() == 0


def test_proposals_of_a_cancelled_request_cannot_be_answered(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
) -> None:
    (made,) = propose(client, care_request, cpi, assistant.id)
    cancelled = client.post(f"/api/v1/care-requests/{care_request.id}/cancel", headers=family)
    assert cancelled.status_code == 200, cancelled.json
    before = rows(db_session)
    response = answer_proposal(client, made["id"], family, "family", "accepted")
    assert response.status_code == 409
    assert response.json["details"]["request_status"] == "cancelled"
    assert rows(db_session) == before


def test_only_a_broker_holding_the_assistants_record_answers_for_her(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    # An agency brokering the case by referral does not hold the Torino assistant's
    # record: accepting for her (and the family) would hand it her contacts unasked.
    agency = factories.OperatorFactory(
        organization=factories.OrganizationFactory(kind="agency", territory_codes=[]),
        locale="en",
    )
    refer = client.post(
        "/api/v1/referrals",
        json={
            "household_id": world.household_torino.id,
            "to_organization_id": agency.organization_id,
            "reason": "Please take over the search.",
            "consent_given": True,
        },
        headers=cpi,
    )
    assert refer.status_code == 201, refer.json
    agency_headers = bearer(db_session, agency)
    (made,) = propose(client, care_request, agency_headers, assistant.id)
    before = rows(db_session)
    refused = answer_proposal(client, made["id"], agency_headers, "assistant", "accepted")
    assert refused.status_code == 403
    assert "holds their record" in refused.json["message"]
    assert rows(db_session) == before
    # The family side it may answer for; contacts stay hidden while she has not answered.
    family_side = answer_proposal(client, made["id"], agency_headers, "family", "accepted")
    assert family_side.status_code == 200, family_side.json
    assert family_side.json["status"] == "pending" and family_side.json["contacts"] == {}
    # The CPI whose register holds her may answer for her (at its sportello).
    for_her = answer_proposal(client, made["id"], cpi, "assistant", "accepted")
    assert for_her.status_code == 200, for_her.json
    assert for_her.json["status"] == "accepted"
    (event,) = [
        e
        for e in events(db_session, "proposal.answer", "proposal")
        if e.data["side"] == "assistant"
    ]
    assert event.data["on_behalf"] is True and event.actor_user_id == world.cpi_torino.id


def test_an_accepted_proposal_can_be_withdrawn_until_a_placement_starts_from_it(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    other_assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
) -> None:
    first, second = propose(client, care_request, cpi, assistant.id, other_assistant.id)
    for made in (first, second):
        assert answer_proposal(client, made["id"], family, "family", "accepted").status_code == 200
        assert answer_proposal(client, made["id"], cpi, "assistant", "accepted").status_code == 200
    # Both sides agreed on the first, then nothing followed: the broker withdraws it and
    # its side is told.
    response = client.post(f"/api/v1/proposals/{first['id']}/withdraw", headers=cpi)
    assert response.status_code == 200, response.json
    assert response.json["status"] == "withdrawn"
    assert notified(db_session, "proposal.withdrawn") == {
        world.assistant.id,
        world.family_torino.id,
    }
    # A placement started from the second: withdrawing it now is a conflict.
    placed = client.post(
        "/api/v1/placements",
        json={
            "proposal_id": second["id"],
            "ccnl_level": "CS",
            "schedule": "lun-ven 08:00-12:00",
            "start_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
        headers=cpi,
    )
    assert placed.status_code == 201, placed.json
    before = rows(db_session)
    refused = client.post(f"/api/v1/proposals/{second['id']}/withdraw", headers=cpi)
    assert refused.status_code == 409
    assert "end the placement" in refused.json["message"]
    assert rows(db_session) == before
