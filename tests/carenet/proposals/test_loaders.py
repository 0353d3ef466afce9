"""One loader per entity: every caller gets the same access check (regressions of copies
that had drifted apart in placements and proposals)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from tests.carenet.families.helpers import World, login
from tests.carenet.proposals.test_drafts_and_expiry import make_drafts


def test_a_draft_is_not_found_when_a_family_starts_a_placement_from_it(
    app: Flask,
    client: FlaskClient,
    db_session: Session,
    world: World,
    assistant: Assistant,
    care_request: CareRequest,
    family: dict[str, str],
) -> None:
    """Drafts are the brokers' alone: starting a placement from one answers as for any
    unknown proposal (placements' own copy of the loader let the case's readers find it,
    and the refusal then said it existed)."""
    (draft,) = make_drafts(app, db_session, world.cpi_torino, care_request, assistant)
    body = {"proposal_id": draft, "ccnl_level": "BS", "schedule": "mon 09-12"}
    body["start_date"] = care_request.start_date.isoformat()
    response = client.post("/api/v1/placements", json=body, headers=family)
    assert response.status_code == 404, response.json


def test_an_assistant_is_refused_a_requests_proposals_as_the_request_itself(
    client: FlaskClient,
    care_request: CareRequest,
    assistant_headers: dict[str, str],
) -> None:
    """Requests are for families and operators: the proposals list of a request refuses an
    assistant as the request does (proposals' copy of the loader skipped the role check)."""
    url = f"/api/v1/care-requests/{care_request.id}"
    assert client.get(url, headers=assistant_headers).status_code == 403
    assert client.get(f"{url}/proposals", headers=assistant_headers).status_code == 403


def test_an_id_beyond_the_database_range_in_a_query_string_names_nothing(
    client: FlaskClient, world: World
) -> None:
    """Ids from query strings and forms are bounded where they are read (``parse_id``),
    as URLs and API schemas bound theirs: a huge one is "not chosen", never a database
    error (PostgreSQL refuses to compare an integer column with it)."""
    huge = "99999999999"
    login(client, world.cpi_torino)
    assert client.get(f"/placements/new?proposal_id={huge}").status_code == 404
    assert client.get(f"/referrals/new?household_id={huge}").status_code == 404
    login(client, world.family_torino)
    response = client.get(f"/care-requests/new?recipient_id={huge}")
    assert response.status_code == 302 and "/families/household" in response.location
