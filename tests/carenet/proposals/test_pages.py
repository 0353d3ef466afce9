"""The proposal pages: "My proposals" with accept/decline forms, the proposal page with
contacts once both accepted, the brokers' request view with the interview form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, events, login
from tests.carenet.proposals.conftest import request_status, rows


def propose(client: FlaskClient, care_request: CareRequest, *assistants: Assistant) -> None:
    response = client.post(
        f"/care-requests/{care_request.id}/proposals",
        data={"assistant_ids": [str(a.id) for a in assistants]},
    )
    assert response.status_code == 302, response.text


def proposal_id(db_session: Session, assistant: Assistant) -> int:
    db_session.commit()
    found = db_session.query(Proposal).filter_by(assistant_id=assistant.id).one()
    db_session.commit()
    return found.id


def test_family_accepts_assistant_declines_from_the_pages(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
) -> None:
    login(client, world.cpi_torino)
    propose(client, care_request, assistant)
    pid = proposal_id(db_session, assistant)
    listed = client.get(f"/care-requests/{care_request.id}/proposals?lang=en")
    assert listed.status_code == 200
    assert f'data-proposal-id="{pid}"' in listed.text and "Irina" in listed.text
    # The operator may answer for either side (many families are not digital).
    assert 'data-testid="answer-family"' in listed.text
    assert 'data-testid="answer-assistant"' in listed.text

    login(client, world.family_torino)
    mine = client.get("/proposals?lang=en")
    assert "My proposals" in mine.text and f'data-proposal-id="{pid}"' in mine.text
    assert 'data-testid="answer-family"' in mine.text
    assert 'data-testid="answer-assistant"' not in mine.text
    page = client.get(f"/proposals/{pid}?lang=en")
    assert 'data-testid="contacts-hidden"' in page.text
    accepted = client.post(
        f"/proposals/{pid}/answer", data={"side": "family", "family-answer": "accepted"}
    )
    assert accepted.status_code == 302, accepted.text

    login(client, world.assistant)
    before = rows(db_session)
    bare = client.post(
        f"/proposals/{pid}/answer?lang=en",
        data={"side": "assistant", "assistant-answer": "declined"},
    )
    assert bare.status_code == 422
    assert "choose a reason or write one" in bare.text
    assert rows(db_session) == before
    declined = client.post(
        f"/proposals/{pid}/answer",
        data={
            "side": "assistant",
            "assistant-answer": "declined",
            "assistant-reason_code": "schedule",
        },
    )
    assert declined.status_code == 302
    page = client.get(f"/proposals/{pid}?lang=en")
    assert 'data-field="status">Declined' in page.text
    assert "The hours do not suit" in page.text
    assert request_status(db_session, care_request.id) == "matching"


def test_contacts_appear_on_the_page_only_after_both_accepted(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
) -> None:
    login(client, world.cpi_torino)
    propose(client, care_request, assistant)
    pid = proposal_id(db_session, assistant)
    login(client, world.assistant)
    client.post(
        f"/proposals/{pid}/answer", data={"side": "assistant", "assistant-answer": "accepted"}
    )
    before = client.get(f"/proposals/{pid}?lang=en").text
    assert world.family_torino.email not in before and "+39 011 555 0101" not in before
    login(client, world.family_torino)
    assert world.assistant.email not in client.get(f"/proposals/{pid}").text
    client.post(f"/proposals/{pid}/answer", data={"side": "family", "family-answer": "accepted"})
    family_page = client.get(f"/proposals/{pid}?lang=en").text
    assert world.assistant.email in family_page and "+39 333 000 1111" in family_page
    assert 'data-contact="family"' not in family_page
    login(client, world.assistant)
    assistant_page = client.get(f"/proposals/{pid}?lang=en").text
    assert world.family_torino.email in assistant_page and "+39 011 555 0101" in assistant_page
    login(client, world.cpi_torino)
    broker_page = client.get(f"/proposals/{pid}?lang=en").text
    assert 'data-contact="family"' in broker_page and 'data-contact="assistant"' in broker_page
    assert "Start the placement" in broker_page


def test_operator_records_the_interview_and_withdraws(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
) -> None:
    login(client, world.cpi_torino)
    propose(client, care_request, assistant)
    pid = proposal_id(db_session, assistant)
    page = client.get(f"/proposals/{pid}?lang=en")
    assert 'data-testid="interview"' in page.text
    empty = client.post(f"/proposals/{pid}/interview", data={"notes": "x"})
    assert empty.status_code == 422
    done = client.post(
        f"/proposals/{pid}/interview",
        data={"interview_at": "2027-01-05T10:00", "notes": "At home"},
    )
    assert done.status_code == 302
    db_session.commit()
    stored = db_session.get(Proposal, pid)
    db_session.refresh(stored)
    # Typed in Italian time (CET in January): 09:00 UTC.
    assert stored.interview_at.hour == 9 and stored.interview_notes == "At home"
    (event,) = events(db_session, "proposal.interview", "proposal")
    assert event.data["request_id"] == care_request.id
    # Families do not get the interview form.
    login(client, world.family_torino)
    assert 'data-testid="interview"' not in client.get(f"/proposals/{pid}").text
    assert client.post(f"/proposals/{pid}/withdraw").status_code == 403
    login(client, world.cpi_torino)
    assert client.post(f"/proposals/{pid}/withdraw").status_code == 302
    assert request_status(db_session, care_request.id) == "matching"


def test_another_territory_gets_404_on_every_page(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
) -> None:
    login(client, world.cpi_torino)
    propose(client, care_request, assistant)
    pid = proposal_id(db_session, assistant)
    login(client, world.cpi_cuneo)
    before = rows(db_session)
    assert client.get(f"/proposals/{pid}").status_code == 404
    assert client.get(f"/care-requests/{care_request.id}/proposals").status_code == 404
    assert f'data-proposal-id="{pid}"' not in client.get("/proposals").text
    posts = {
        "answer": {"side": "family", "family-answer": "accepted"},
        "interview": {"interview_at": "2027-01-05T10:00"},
        "withdraw": {},
        "send": {},
    }
    for action, data in posts.items():
        assert client.post(f"/proposals/{pid}/{action}", data=data).status_code == 404, action
    response = client.post(
        f"/care-requests/{care_request.id}/proposals", data={"assistant_ids": [str(assistant.id)]}
    )
    assert response.status_code == 404
    assert rows(db_session) == before


class TestWithCsrf:
    """The forms carry their CSRF tokens; a post without one changes nothing."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_answer_needs_the_token(
        self,
        client: FlaskClient,
        db_session: Session,
        world: World,
        assistant: Assistant,
        care_request: CareRequest,
    ) -> None:
        proposal = Proposal(
            request_id=care_request.id,
            assistant_id=assistant.id,
            score=0.5,
            distance_km=1.0,
            status="pending",
        )
        db_session.add(proposal)
        db_session.commit()
        login(client, world.family_torino)
        page = client.get(f"/proposals/{proposal.id}").text
        form = re.search(r'<form[^>]*data-testid="answer-family".*?</form>', page, re.S)
        assert form is not None
        token = re.search(r'name="family-csrf_token"[^>]*value="([^"]+)"', form.group(0))
        assert token is not None
        before = rows(db_session)
        refused = client.post(
            f"/proposals/{proposal.id}/answer", data={"side": "family", "family-answer": "accepted"}
        )
        assert refused.status_code in (400, 422)
        assert rows(db_session) == before
        ok = client.post(
            f"/proposals/{proposal.id}/answer",
            data={
                "side": "family",
                "family-answer": "accepted",
                "family-csrf_token": token.group(1),
            },
        )
        assert ok.status_code == 302, ok.text


def test_a_reader_who_does_not_broker_is_refused_before_the_form_is_read(
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
) -> None:
    login(client, world.cpi_torino)
    propose(client, care_request, assistant)
    pid = proposal_id(db_session, assistant)
    login(client, world.asl_torino)  # sees the case, does not broker it
    before = rows(db_session)
    assert client.get(f"/proposals/{pid}").status_code == 200
    assert client.post(f"/proposals/{pid}/answer", data={"side": "family"}).status_code == 403
    assert client.post(f"/proposals/{pid}/interview", data={}).status_code == 403
    assert client.post(f"/proposals/{pid}/withdraw").status_code == 403
    propose_again = client.post(f"/care-requests/{care_request.id}/proposals", data={})
    assert propose_again.status_code == 403
    assert rows(db_session) == before
