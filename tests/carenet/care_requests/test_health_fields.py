"""A request's health-derived fields (issue 10, items 1 and 2): the CCNL level (CS/DS
reveal non-self-sufficiency), the Buono eligibility derived from it, and dementia-care or
nursing qualifications are hidden from those who may not read health information (a
Comune, admins), on pages and in the API, and they may not write them either."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.care_requests.models import CareRequest
from tests.carenet.families.helpers import World, bearer, count, events, login

URL = "/api/v1/care-requests"
START = dt.date.today() + dt.timedelta(days=35)


@pytest.fixture
def care_request(factories: Any, world: World) -> CareRequest:
    """An open CS request for the Torino recipient, requiring dementia care, preferring a
    nurse and first aid."""
    request = factories.CareRequestFactory(recipient=world.recipient_torino, ccnl_level="CS")
    for code in ("nurse", "first_aid"):
        factories.RequestQualificationFactory(
            request_id=request.id, qualification_code=code, is_required=False
        )
    factories.RequestQualificationFactory(
        request_id=request.id, qualification_code="dementia_care", is_required=True
    )
    return request


def _codes(db_session: Session, request_id: int, required: bool) -> list[str]:
    db_session.expire_all()
    stored = db_session.get(CareRequest, request_id)
    assert stored is not None
    return stored.qualification_codes(required=required)


def test_the_catalogue_codes_that_reveal_health() -> None:
    from carenet.access.fields import HEALTH_QUALIFICATIONS

    assert {"dementia_care", "nurse", "oss"} <= HEALTH_QUALIFICATIONS
    assert not {"first_aid", "driving_licence", "osa"} & HEALTH_QUALIFICATIONS


def test_a_municipality_sees_no_health_derived_field_in_the_api(
    client: FlaskClient, db_session: Session, world: World, care_request: CareRequest
) -> None:
    headers = bearer(db_session, world.comune_torino)
    body = client.get(f"{URL}/{care_request.id}", headers=headers).json
    assert "ccnl_level" not in body and "buono_domiciliarita" not in body
    assert body["preferred_qualifications"] == ["first_aid"]
    assert body["required_qualifications"] == []
    listed = client.get(URL, headers=headers).json["items"]
    assert [r["id"] for r in listed] == [care_request.id]
    assert "ccnl_level" not in listed[0] and "buono_domiciliarita" not in listed[0]
    assert listed[0]["preferred_qualifications"] == ["first_aid"]
    assert events(db_session, "health.read") == []


def test_a_municipality_sees_no_health_derived_field_on_the_pages(
    client: FlaskClient, db_session: Session, world: World, care_request: CareRequest
) -> None:
    login(client, world.comune_torino)
    page = client.get(f"/care-requests/{care_request.id}").text
    assert 'data-field="ccnl_level"' not in page and 'data-testid="buono"' not in page
    assert "dementia_care" not in page and "nurse" not in page
    assert "first_aid" in page
    listed = client.get("/care-requests").text
    assert f'data-request-id="{care_request.id}"' in listed
    assert ">CS<" not in listed
    form = client.get(f"/care-requests/{care_request.id}/edit").text
    assert 'name="ccnl_level"' not in form
    assert 'value="dementia_care"' not in form and 'value="nurse"' not in form


def test_a_broker_sees_them_and_the_read_is_audited(
    client: FlaskClient, db_session: Session, world: World, care_request: CareRequest
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    body = client.get(f"{URL}/{care_request.id}", headers=headers).json
    assert body["ccnl_level"] == "CS"
    assert body["preferred_qualifications"] == ["first_aid", "nurse"]
    assert body["required_qualifications"] == ["dementia_care"]
    assert "buono_domiciliarita" in body
    reads = events(db_session, "health.read")
    assert [(e.entity_id, e.actor_user_id) for e in reads] == [
        (str(world.recipient_torino.id), world.cpi_torino.id)
    ]
    assert reads[0].data["via"] == "care_request"
    assert reads[0].data["care_request_id"] == care_request.id


@pytest.mark.parametrize(
    "changes",
    [
        {"ccnl_level": "DS"},
        {"ccnl_level": None},
        {"preferred_qualifications": ["dementia_care"]},
        {"required_qualifications": ["oss"]},
    ],
)
def test_a_municipality_cannot_write_them(
    client: FlaskClient,
    db_session: Session,
    world: World,
    care_request: CareRequest,
    changes: dict[str, Any],
) -> None:
    headers = bearer(db_session, world.comune_torino)
    response = client.patch(f"{URL}/{care_request.id}", json=changes, headers=headers)
    assert response.status_code == 403, response.json
    assert set(response.json["details"]["fields"]) == set(changes)
    assert events(db_session, "care_request.update") == []


def test_a_municipality_creates_a_request_without_them(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.comune_torino)
    body = {
        "recipient_id": world.recipient_torino.id,
        "arrangement": "hourly",
        "schedule": "lun-ven 08:00-12:00",
        "start_date": START.isoformat(),
        "max_distance_km": 20,
        "required_languages": ["it"],
    }
    before = count(db_session, CareRequest)
    refused = client.post(
        URL, json={**body, "required_qualifications": ["dementia_care"]}, headers=headers
    )
    assert refused.status_code == 403, refused.json
    refused = client.post(URL, json={**body, "ccnl_level": "DS"}, headers=headers)
    assert refused.status_code == 403, refused.json
    assert count(db_session, CareRequest) == before
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.json
    assert "ccnl_level" not in created.json
    db_session.commit()
    # The level still follows the person's needs, decided by the service, not the Comune.
    assert db_session.get(CareRequest, created.json["id"]).ccnl_level == "CS"


def test_a_municipality_s_change_keeps_the_codes_it_cannot_see(
    client: FlaskClient, db_session: Session, world: World, care_request: CareRequest
) -> None:
    headers = bearer(db_session, world.comune_torino)
    changes = {"preferred_qualifications": ["driving_licence"], "required_qualifications": []}
    response = client.patch(f"{URL}/{care_request.id}", json=changes, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["preferred_qualifications"] == ["driving_licence"]
    assert _codes(db_session, care_request.id, required=False) == ["driving_licence", "nurse"]
    assert _codes(db_session, care_request.id, required=True) == ["dementia_care"]


def test_the_edit_page_keeps_them_for_a_municipality(
    client: FlaskClient, db_session: Session, world: World, care_request: CareRequest
) -> None:
    login(client, world.comune_torino)
    form = {
        "arrangement": "hourly",
        "schedule": "lun-ven 08:00-12:00",
        "start_date": care_request.start_date.isoformat(),
        "max_distance_km": "25",
        "gender_preference": "none",
        "preferred_qualifications": ["first_aid"],
        # Slipped in by hand: the form does not offer them to a Comune.
        "required_qualifications": ["oss"],
        "ccnl_level": "DS",
    }
    url = f"/care-requests/{care_request.id}/edit"
    assert client.post(url, data=form).status_code == 422  # not a choice it is offered
    assert _codes(db_session, care_request.id, required=True) == ["dementia_care"]
    del form["required_qualifications"]
    response = client.post(url, data={**form, "preferred_qualifications": ["driving_licence"]})
    assert response.status_code == 302, response.text
    db_session.expire_all()
    stored = db_session.get(CareRequest, care_request.id)
    assert stored is not None and stored.ccnl_level == "CS"  # the level field was ignored
    assert _codes(db_session, care_request.id, required=True) == ["dementia_care"]
    assert _codes(db_session, care_request.id, required=False) == ["driving_licence", "nurse"]
