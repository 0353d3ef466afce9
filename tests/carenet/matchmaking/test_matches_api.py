"""The match API: ranked candidates with components, filters, "why not", and scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from matching import COMPONENTS
from tests.factories import CUNEO, MONCALIERI, weekday_hours
from tests.helpers import bearer


def matches(client: FlaskClient, request_id: int, headers: dict[str, str], **query: Any) -> Any:
    response = client.get(
        f"/api/v1/care-requests/{request_id}/matches", headers=headers, query_string=query
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def why(client: FlaskClient, request_id: int, assistant_id: int, headers: dict[str, str]) -> Any:
    response = client.get(
        f"/api/v1/care-requests/{request_id}/matches/{assistant_id}", headers=headers
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_ranked_candidates_carry_every_component_and_exclude_ineligible(
    client: FlaskClient, factories: Any, torino_request: CareRequest, headers: dict[str, str]
) -> None:
    near = factories.AssistantFactory(years_experience=10)
    farther = factories.AssistantFactory(municipality_id=MONCALIERI, years_experience=10)
    pending = factories.AssistantFactory(status="pending")
    cuneo = factories.AssistantFactory(municipality_id=CUNEO, travel_radius_km=200)

    body = matches(client, torino_request.id, headers)

    ids = [item["assistant_id"] for item in body["items"]]
    assert ids == [near.id, farther.id]  # same profile: the nearer ranks first
    assert pending.id not in ids and cuneo.id not in ids
    first = body["items"][0]
    assert set(first["components"]) == set(COMPONENTS)
    assert first["rank"] == 1 and first["distance_km"] < body["items"][1]["distance_km"]
    weights = body["weights"]
    assert abs(first["score"] - sum(weights[c] * first["components"][c] for c in COMPONENTS)) < 1e-9
    assert first["place"]["municipality"] == "Torino"
    assert body["family"]["max_distance_km"] == 25.0


def test_why_not_names_the_first_failing_filter_with_its_numbers(
    client: FlaskClient, factories: Any, torino_request: CareRequest, headers: dict[str, str]
) -> None:
    # Far from the family, but in the operator's register (the CPI's territory).
    far_in_register = factories.AssistantFactory(municipality_id=MONCALIERI, travel_radius_km=50)
    near_request = factories.CareRequestFactory(max_distance_km=3)
    short_radius = factories.AssistantFactory(municipality_id=MONCALIERI, travel_radius_km=2)
    pending = factories.AssistantFactory(status="pending")
    eligible = factories.AssistantFactory()

    far = why(client, near_request.id, far_in_register.id, headers)
    assert far["eligible"] is False and far["code"] == "distance"
    assert f"{far['distance_km']:.1f} km" in far["reason"] and "3 km" in far["reason"]

    radius = why(client, torino_request.id, short_radius.id, headers)
    assert radius["code"] == "travel_radius" and "2 km" in radius["reason"]

    assert why(client, torino_request.id, pending.id, headers)["code"] == "inactive"

    ok = why(client, torino_request.id, eligible.id, headers)
    assert ok["eligible"] is True and ok["code"] is None
    assert ok["score"] == matches(client, torino_request.id, headers)["items"][0]["score"]


def test_expired_required_qualification_is_explained_with_its_date(
    client: FlaskClient, factories: Any, torino_request: CareRequest, headers: dict[str, str]
) -> None:
    factories.RequestQualificationFactory(
        request_id=torino_request.id, qualification_code="first_aid"
    )
    expired = factories.AssistantFactory()
    factories.AssistantQualificationFactory(
        assistant_id=expired.id,
        qualification_code="first_aid",
        issued_on=dt.date(2022, 1, 1),
        # Still valid today, expired by the request's start (in five weeks).
        expires_on=dt.date.today() + dt.timedelta(days=14),
    )
    body = why(client, torino_request.id, expired.id, headers)
    assert body["code"] == "qualification"
    assert "first_aid" in body["reason"] and "2026" in body["reason"]
    assert matches(client, torino_request.id, headers)["items"] == []


def test_filters_only_tighten_the_request(
    client: FlaskClient, factories: Any, torino_request: CareRequest, headers: dict[str, str]
) -> None:
    near = factories.AssistantFactory()
    moncalieri = factories.AssistantFactory(municipality_id=MONCALIERI)
    factories.AssistantLanguageFactory(assistant_id=moncalieri.id, language="ro")

    assert [
        i["assistant_id"] for i in matches(client, torino_request.id, headers, max_km=3)["items"]
    ] == [near.id]
    romanian = matches(client, torino_request.id, headers, language="ro")
    assert [i["assistant_id"] for i in romanian["items"]] == [moncalieri.id]
    assert len(matches(client, torino_request.id, headers, k=1)["items"]) == 1


def test_a_change_is_seen_by_the_next_match_without_a_rebuild(
    app: Any,
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    torino_request: CareRequest,
    headers: dict[str, str],
) -> None:
    assistant = factories.AssistantFactory()
    assert [i["assistant_id"] for i in matches(client, torino_request.id, headers)["items"]] == [
        assistant.id
    ]
    # Evenings only: the request's mornings are no longer free.
    assistant.availability = weekday_hours(18, 22)
    db_session.commit()
    assert matches(client, torino_request.id, headers)["items"] == []
    assert why(client, torino_request.id, assistant.id, headers)["code"] == "free_hours"

    newcomer = factories.AssistantFactory()
    assert [i["assistant_id"] for i in matches(client, torino_request.id, headers)["items"]] == [
        newcomer.id
    ]
    live = app.extensions["carenet.matching"]
    assert live.stats.builds == 1 and live.stats.applied >= 2


def test_matching_is_for_brokers_of_the_case_only(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    torino_request: CareRequest,
    cpi_cuneo: User,
) -> None:
    asl = factories.OperatorFactory(
        organization=factories.OrganizationFactory(
            kind="health_authority",
            territory_codes=[torino_request.recipient.household.municipality_id],
        )
    )
    family = factories.UserFactory(role="family")
    for user in (cpi_cuneo, asl, family):
        response = client.get(
            f"/api/v1/care-requests/{torino_request.id}/matches", headers=bearer(db_session, user)
        )
        assert response.status_code == 404, user.role
    assert client.get(f"/api/v1/care-requests/{torino_request.id}/matches").status_code == 401


def test_a_closed_request_cannot_be_matched(
    client: FlaskClient, db_session: Session, torino_request: CareRequest, headers: dict[str, str]
) -> None:
    torino_request.status = "closed"
    db_session.commit()
    response = client.get(f"/api/v1/care-requests/{torino_request.id}/matches", headers=headers)
    assert response.status_code == 409
    assert "closed" in response.get_json()["message"]


def test_each_match_and_explanation_is_a_read_of_health_information_in_the_access_log(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    cpi_torino: User,
    torino_request: CareRequest,
    headers: dict[str, str],
) -> None:
    assistant = factories.AssistantFactory()
    matches(client, torino_request.id, headers)
    url = f"/api/v1/care-requests/{torino_request.id}/matches/{assistant.id}"
    assert client.get(url, headers=headers).status_code == 200
    db_session.commit()
    reads = db_session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.action == "health.read",
            AuditEvent.entity_type == "care_recipient",
            AuditEvent.entity_id == str(torino_request.recipient_id),
        )
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.data["via"], e.data["care_request_id"]) for e in reads] == [
        ("match", torino_request.id),
        ("why_not", torino_request.id),
    ]
    assert all(e.actor_user_id == cpi_torino.id for e in reads)
    # "Who viewed this case" lists both reads, for whom may see it (the family here).
    household = torino_request.recipient.household
    owner = factories.UserFactory(role="family")
    household.owner_user_id = owner.id
    db_session.commit()
    log = client.get(
        f"/api/v1/households/{household.id}/access-log", headers=bearer(db_session, owner)
    )
    assert log.status_code == 200, log.get_json()
    assert [item["id"] for item in log.get_json()["items"]] == [e.id for e in reversed(reads)]


def test_why_not_does_not_reveal_far_assistants_outside_the_territory(
    client: FlaskClient,
    factories: Any,
    torino_request: CareRequest,
    headers: dict[str, str],
    db_session: Session,
) -> None:
    """Names of assistants far away and outside one's register cannot be walked by id."""
    in_cuneo = factories.AssistantFactory(municipality_id=CUNEO, travel_radius_km=200)
    response = client.get(
        f"/api/v1/care-requests/{torino_request.id}/matches/{in_cuneo.id}", headers=headers
    )
    assert response.status_code == 404
    assert in_cuneo.display_name not in response.get_data(as_text=True)


def test_the_match_body_is_exactly_what_its_documented_schema_dumps(
    client: FlaskClient,
    factories: Any,
    db_session: Session,
    torino_request: CareRequest,
    headers: dict[str, str],
) -> None:
    # The route answers with the presenter's dict without a marshmallow dump (it cost a
    # seventh of the call); the schema in the OpenAPI document must still describe it.
    from carenet.matchmaking.schemas import MatchResultSchema
    from carenet.proposals.models import Proposal

    factories.AssistantFactory()
    proposed = factories.AssistantFactory(municipality_id=MONCALIERI)
    db_session.add(
        Proposal(
            request_id=torino_request.id,
            assistant_id=proposed.id,
            score=0.5,
            distance_km=9.0,
            status="pending",
        )
    )
    db_session.commit()

    body = matches(client, torino_request.id, headers)

    assert len(body["items"]) == 2
    assert {item["proposal_status"] for item in body["items"]} == {None, "pending"}
    assert MatchResultSchema().validate(body) == {}
    assert MatchResultSchema().dump(body) == body
