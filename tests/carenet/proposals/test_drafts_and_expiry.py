"""Drafts reach nobody until sent; pending proposals expire; the request goes back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.db import utcnow
from carenet.proposals import services
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, bearer, events
from tests.carenet.proposals.conftest import answer_proposal, notified, request_status, rows


def make_drafts(
    app: Flask, db_session: Session, actor: User, care_request: CareRequest, *assistants: Assistant
) -> list[int]:
    """Drafts as a bulk run writes them, through the service, committed."""
    with app.app_context():
        request = db_session.get(CareRequest, care_request.id)
        user = db_session.get(User, actor.id)
        drafts = services.create_proposals(
            db_session, user, request, [a.id for a in assistants], status="draft"
        )
        ids = [d.id for d in drafts]
        db_session.commit()
    return ids


def test_drafts_notify_nobody_and_only_brokers_see_them_until_sent(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    other_assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
    assistant_headers: dict[str, str],
) -> None:
    first, second = make_drafts(
        app, db_session, world.cpi_torino, care_request, assistant, other_assistant
    )
    assert notified(db_session, "proposal.new") == set()
    assert request_status(db_session, care_request.id) == "open"
    listed = client.get(f"/api/v1/care-requests/{care_request.id}/proposals", headers=cpi).json
    assert {p["id"] for p in listed["items"]} == {first, second}
    assert all(p["status"] == "draft" and p["sent_at"] is None for p in listed["items"])
    for headers in (family, assistant_headers):
        assert client.get(f"/api/v1/proposals/{first}", headers=headers).status_code == 404
        assert client.get("/api/v1/proposals", headers=headers).json["total"] == 0
    before = rows(db_session)
    answer = answer_proposal(client, first, cpi, "family", "accepted")
    assert answer.status_code == 409
    assert client.post(f"/api/v1/proposals/{first}/send", headers=family).status_code == 404
    assert rows(db_session) == before

    sent = client.post(f"/api/v1/proposals/{first}/send", headers=cpi)
    assert sent.status_code == 200, sent.json
    assert sent.json["status"] == "pending"
    assert sent.json["sent_at"] and sent.json["expires_at"]
    assert notified(db_session, "proposal.new") == {world.family_torino.id, world.assistant.id}
    assert request_status(db_session, care_request.id) == "proposed"
    (event,) = events(db_session, "proposal.send", "proposal")
    assert event.data["request_id"] == care_request.id
    assert client.get(f"/api/v1/proposals/{first}", headers=family).status_code == 200
    before = rows(db_session)
    assert client.post(f"/api/v1/proposals/{first}/send", headers=cpi).status_code == 409
    assert rows(db_session) == before

    # Discarding the other draft.
    discarded = client.post(f"/api/v1/proposals/{second}/withdraw", headers=cpi)
    assert discarded.status_code == 200 and discarded.json["status"] == "withdrawn"
    assert notified(db_session, "proposal.withdrawn") == set()
    assert request_status(db_session, care_request.id) == "proposed"


def test_a_draft_whose_assistant_became_ineligible_is_not_sent(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    (draft,) = make_drafts(app, db_session, world.cpi_torino, care_request, assistant)
    db_session.get(Assistant, assistant.id).status = "suspended"
    db_session.commit()
    before = rows(db_session)
    response = client.post(f"/api/v1/proposals/{draft}/send", headers=cpi)
    assert response.status_code == 422, response.json
    assert response.json["details"]["assistants"][0]["code"] == "inactive"
    assert rows(db_session) == before
    db_session.expire_all()
    assert db_session.get(Proposal, draft).status == "draft"


def test_pending_proposals_past_their_expiry_expire_and_the_request_goes_back(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    other_assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
    config_overrides: dict[str, Any],
) -> None:
    response = client.post(
        f"/api/v1/care-requests/{care_request.id}/proposals",
        json={"assistant_ids": [assistant.id, other_assistant.id]},
        headers=cpi,
    )
    first, second = (p["id"] for p in response.json["items"])
    expires = dt.datetime.fromisoformat(response.json["items"][0]["expires_at"])
    assert dt.timedelta(days=13, hours=23) < expires - utcnow() <= dt.timedelta(days=14)
    # The family accepted the second one: only the first is still waiting on both.
    accepted = answer_proposal(client, second, family, "family", "accepted")
    assert accepted.status_code == 200
    with app.app_context():
        assert services.expire_due(db_session, utcnow()) == 0
        db_session.commit()
        later = utcnow() + dt.timedelta(days=15)
        assert services.expire_due(db_session, later) == 2
        db_session.commit()
        assert services.expire_due(db_session, later) == 0
        db_session.commit()
    db_session.expire_all()
    assert {db_session.get(Proposal, i).status for i in (first, second)} == {"expired"}
    assert request_status(db_session, care_request.id) == "matching"
    expired = events(db_session, "proposal.expire", "proposal")
    assert len(expired) == 2 and all(e.actor_user_id is None for e in expired)
    assert expired[-1].data["request_status"] == {"from": "proposed", "to": "matching"}
    assert world.family_torino.id in notified(db_session, "proposal.expired")
    before = rows(db_session)
    late = answer_proposal(client, first, family, "family", "accepted")
    assert late.status_code == 409
    assert rows(db_session) == before


def test_an_answer_after_the_expiry_is_refused_before_the_sweep(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    family: dict[str, str],
) -> None:
    made = client.post(
        f"/api/v1/care-requests/{care_request.id}/proposals",
        json={"assistant_ids": [assistant.id]},
        headers=cpi,
    ).json["items"][0]
    proposal = db_session.get(Proposal, made["id"])
    proposal.expires_at = utcnow() - dt.timedelta(minutes=1)
    db_session.commit()
    before = rows(db_session)
    response = answer_proposal(client, made["id"], family, "family", "accepted")
    assert response.status_code == 409
    assert "expired" in response.json["message"]
    assert rows(db_session) == before


@pytest.mark.parametrize("config_overrides", [{"PROPOSAL_TTL_DAYS": 3}])
def test_the_time_to_live_is_configurable(
    client: FlaskClient,
    db_session: Session,
    assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    made = client.post(
        f"/api/v1/care-requests/{care_request.id}/proposals",
        json={"assistant_ids": [assistant.id]},
        headers=cpi,
    ).json["items"][0]
    expires = dt.datetime.fromisoformat(made["expires_at"])
    assert dt.timedelta(days=2, hours=23) < expires - utcnow() <= dt.timedelta(days=3)


def test_operators_filter_their_cases_proposals_by_status(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    other_assistant: Assistant,
    care_request: CareRequest,
    cpi: dict[str, str],
    assistant_headers: dict[str, str],
) -> None:
    made = client.post(
        f"/api/v1/care-requests/{care_request.id}/proposals",
        json={"assistant_ids": [assistant.id, other_assistant.id]},
        headers=cpi,
    ).json["items"]
    answer_proposal(
        client, made[0]["id"], assistant_headers, "assistant", "declined", reason_code="schedule"
    )
    declined = client.get("/api/v1/proposals?status=declined", headers=cpi).json
    assert [p["id"] for p in declined["items"]] == [made[0]["id"]]
    pending = client.get("/api/v1/proposals?status=pending", headers=cpi).json
    assert [p["id"] for p in pending["items"]] == [made[1]["id"]]
    # The assistant sees only their own.
    mine = client.get("/api/v1/proposals", headers=assistant_headers).json
    assert [p["id"] for p in mine["items"]] == [made[0]["id"]]
    region = client.get("/api/v1/proposals", headers=bearer(db_session, world.region)).json
    assert region["total"] == 0
