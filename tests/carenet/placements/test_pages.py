"""The placement pages: the operator's start form, the placement page with its buono,
end and feedback forms, and "My placements" for families and assistants."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.placements.models import Placement, PlacementSlot
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import World, count, login
from tests.carenet.placements.conftest import NEXT_MONTH, TODAY, accepted_proposal

FORM = {
    "ccnl_level": "CS",
    "schedule": "lun-ven 08:00-12:00",
    "start_date": NEXT_MONTH.isoformat(),
}


def start(client: FlaskClient, proposal: Proposal, **changes: str) -> str:
    """Start a placement through the form; the placement page's URL."""
    response = client.post(f"/placements/new?proposal_id={proposal.id}", data={**FORM, **changes})
    assert response.status_code == 302, response.text
    return response.location


def test_operator_starts_a_placement_from_the_form(
    client: FlaskClient, db_session: Session, world: World, proposal: Proposal
) -> None:
    login(client, world.cpi_torino)
    form = client.get(f"/placements/new?proposal_id={proposal.id}")
    assert form.status_code == 200
    assert "Irina" in form.text
    # Prefilled from the request: its level and its hours.
    assert 'value="CS" selected' in form.text or 'selected value="CS"' in form.text
    assert "08:00-12:00" in form.text
    page = client.get(start(client, proposal))
    assert page.status_code == 200
    assert 'data-field="schedule">Mon-Fri 08:00-12:00' in page.text
    assert 'data-eligible="true"' in page.text
    assert "could qualify for the Buono" in page.text
    assert count(db_session, PlacementSlot) == 20


def test_the_form_shows_a_double_booking_and_writes_nothing(
    client: FlaskClient,
    db_session: Session,
    world: World,
    proposal: Proposal,
    make_request: Callable[..., CareRequest],
    assistant: Assistant,
) -> None:
    login(client, world.cpi_torino)
    start(client, proposal)
    other = accepted_proposal(db_session, make_request(), assistant)
    response = client.post(
        f"/placements/new?proposal_id={other.id}", data={**FORM, "schedule": "lun 11:00-13:00"}
    )
    assert response.status_code == 409
    assert "already placed in these hours: Mon 11:00-12:00" in response.text
    assert count(db_session, Placement) == 1
    bad = client.post(f"/placements/new?proposal_id={other.id}", data={**FORM, "schedule": "x"})
    assert bad.status_code == 422
    assert "could not be read" in bad.text
    assert count(db_session, Placement) == 1


def test_only_brokers_open_the_start_form(
    client: FlaskClient, world: World, proposal: Proposal
) -> None:
    login(client, world.family_torino)
    assert client.get(f"/placements/new?proposal_id={proposal.id}").status_code == 403
    login(client, world.asl_torino)
    assert client.get(f"/placements/new?proposal_id={proposal.id}").status_code == 403
    login(client, world.cpi_cuneo)
    assert client.get(f"/placements/new?proposal_id={proposal.id}").status_code == 404


def test_family_and_assistant_see_their_placements_give_feedback_and_end(
    client: FlaskClient, db_session: Session, world: World, proposal: Proposal
) -> None:
    login(client, world.cpi_torino)
    url = start(client, proposal)
    placement_id = int(url.rsplit("/", 1)[1])

    login(client, world.family_torino)
    mine = client.get("/placements")
    assert mine.status_code == 200
    assert "My placements" in mine.text
    assert f'data-placement-id="{placement_id}"' in mine.text
    page = client.get(url)
    # The family may give its own feedback only, and may end the placement.
    assert 'data-testid="feedback-family"' in page.text
    assert 'data-testid="feedback-assistant"' not in page.text
    assert 'data-testid="end"' in page.text
    sent = client.post(
        f"{url}/feedback",
        data={
            "side": "family",
            "family-side": "family",
            "family-rating": "5",
            "family-text": "Great",
        },
    )
    assert sent.status_code == 302, sent.text
    page = client.get(url)
    assert "5/5: Great" in page.text
    assert 'data-testid="feedback-family"' not in page.text
    again = client.post(
        f"{url}/feedback", data={"side": "family", "family-side": "family", "family-rating": "1"}
    )
    assert again.status_code == 409

    login(client, world.assistant)
    assert f'data-placement-id="{placement_id}"' in client.get("/placements").text
    assert 'data-testid="feedback-assistant"' in client.get(url).text

    login(client, world.family_torino)
    missing = client.post(f"{url}/end", data={"end_reason": "", "ended_on": NEXT_MONTH.isoformat()})
    assert missing.status_code == 422
    assert count(db_session, PlacementSlot) == 20
    # It has not started: the form offers to call it off on its start date, not today.
    assert f'value="{NEXT_MONTH.isoformat()}"' in client.get(url).text
    early = client.post(
        f"{url}/end", data={"end_reason": "Moved away", "ended_on": TODAY.isoformat()}
    )
    assert early.status_code == 422
    ended = client.post(
        f"{url}/end", data={"end_reason": "Moved away", "ended_on": NEXT_MONTH.isoformat()}
    )
    assert ended.status_code == 302, ended.text
    assert count(db_session, PlacementSlot) == 0
    page = client.get(url)
    assert "Moved away" in page.text
    assert 'data-testid="end"' not in page.text


def test_other_families_do_not_see_the_placement(
    client: FlaskClient, world: World, proposal: Proposal
) -> None:
    login(client, world.cpi_torino)
    url = start(client, proposal)
    login(client, world.family_cuneo)
    assert client.get(url).status_code == 404
    assert "data-placement-id" not in client.get("/placements").text
