"""Proposing an assistant one may not see answers as "why not" does (issue 10, item 4):
the same 404 and the same words whether she exists or not; no distance, no name."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.care_requests.models import CareRequest
from carenet.proposals.models import Proposal
from tests.carenet.families.helpers import CUNEO, bearer, count, login

MISSING = 999_999


def _answers(response: Any) -> tuple[int, str, dict[str, Any]]:
    body = response.get_json()
    return response.status_code, body["message"], body["details"]


def test_an_assistant_outside_the_register_and_reach_is_not_found(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    care_request: CareRequest,
    cpi: dict[str, str],
) -> None:
    far = factories.AssistantFactory(
        municipality_id=CUNEO, travel_radius_km=200, display_name="Svetlana"
    )
    before = count(db_session, Proposal)
    base = f"/api/v1/care-requests/{care_request.id}"
    proposed = client.post(f"{base}/proposals", json={"assistant_ids": [far.id]}, headers=cpi)
    missing = client.post(f"{base}/proposals", json={"assistant_ids": [MISSING]}, headers=cpi)
    why_not = client.get(f"{base}/matches/{far.id}", headers=cpi)
    assert _answers(proposed) == _answers(missing) == _answers(why_not)
    assert proposed.status_code == 404
    text = proposed.get_data(as_text=True)
    assert "km" not in text and "Svetlana" not in text and str(far.id) not in text
    assert count(db_session, Proposal) == before


def test_the_proposing_page_answers_the_same(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    world: Any,
    care_request: CareRequest,
) -> None:
    far = factories.AssistantFactory(municipality_id=CUNEO, travel_radius_km=200)
    login(client, world.cpi_torino)
    url = f"/care-requests/{care_request.id}/proposals"
    proposed = client.post(url, data={"assistant_ids": [str(far.id)]})
    missing = client.post(url, data={"assistant_ids": [str(MISSING)]})
    assert proposed.status_code == missing.status_code == 404
    assert "km" not in proposed.get_data(as_text=True)


def test_an_assistant_in_reach_or_in_the_register_is_still_explained(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    care_request: CareRequest,
    live_in_only: Any,
    cpi: dict[str, str],
) -> None:
    url = f"/api/v1/care-requests/{care_request.id}/proposals"
    response = client.post(url, json={"assistant_ids": [live_in_only.id]}, headers=cpi)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["details"]["assistants"][0]["code"] == "arrangement"


def test_score_components_computed_from_health_are_for_its_readers_only(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    world: Any,
    care_request: CareRequest,
    assistant: Any,
    cpi: dict[str, str],
) -> None:
    """The "conditions" and "qualifications" components are computed from the person's
    conditions and the request's level: a Comune sees the proposal without them."""
    url = f"/api/v1/care-requests/{care_request.id}/proposals"
    made = client.post(url, json={"assistant_ids": [assistant.id]}, headers=cpi)
    assert made.status_code == 201, made.get_json()
    assert {"conditions", "qualifications"} <= set(made.get_json()["items"][0]["components"])
    comune = bearer(db_session, world.comune_torino)
    seen = client.get(url, headers=comune).get_json()["items"][0]["components"]
    assert "distance" in seen and not {"conditions", "qualifications"} & set(seen)
