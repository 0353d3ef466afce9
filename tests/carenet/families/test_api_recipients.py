"""Care recipients and assessments: health data only where allowed, and every read audited."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.families.models import Assessment, CareRecipient, RecipientCondition
from tests.carenet.families.helpers import World, bearer, count, events

URL = "/api/v1/families"
ADA = {
    "first_name": "Ada",
    "age_band": "85+",
    "self_sufficiency": "partially",
    "conditions": ["dementia", "mobility"],
}
ASSESSMENT = {"assessed_on": "2026-01-15", "self_sufficiency": "non_self_sufficient", "score": 72}


def test_family_adds_a_recipient(client: FlaskClient, db_session: Session, world: World) -> None:
    headers = bearer(db_session, world.family_torino)
    url = f"{URL}/households/{world.household_torino.id}/recipients"
    response = client.post(url, json=ADA, headers=headers)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["self_sufficiency"] == "partially"
    assert body["conditions"] == ["dementia", "mobility"]
    assert [e.entity_id for e in events(db_session, "care_recipient.create")] == [str(body["id"])]


def test_operator_adds_a_recipient_at_the_sportello(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    url = f"{URL}/households/{world.household_torino.id}/recipients"
    response = client.post(url, json=ADA, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["self_sufficiency"] == "partially"
    db_session.commit()
    stored = db_session.get(CareRecipient, response.json["id"])
    assert stored is not None and stored.self_sufficiency == "partially"
    # A municipality may not read health information, so it may not write it either
    # (tests/carenet/families/test_health_writes.py).


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"conditions": ["flu"]}, "conditions"),
        ({"age_band": "200+"}, "age_band"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_recipient_input_changes_nothing(
    client: FlaskClient, db_session: Session, world: World, changes: dict[str, Any], field: str
) -> None:
    before = count(db_session, CareRecipient), count(db_session, RecipientCondition)
    headers = bearer(db_session, world.family_torino)
    url = f"{URL}/households/{world.household_torino.id}/recipients"
    response = client.post(url, json={**ADA, **changes}, headers=headers)
    assert response.status_code == 422
    assert field in response.json["details"]["fields"]
    assert (count(db_session, CareRecipient), count(db_session, RecipientCondition)) == before


def _with_condition(db_session: Session, world: World) -> int:
    db_session.add(RecipientCondition(recipient_id=world.recipient_torino.id, condition="dementia"))
    db_session.commit()
    return world.recipient_torino.id


def test_health_data_omitted_for_a_municipality_operator(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    recipient_id = _with_condition(db_session, world)
    headers = bearer(db_session, world.comune_torino)
    body = client.get(f"{URL}/recipients/{recipient_id}", headers=headers).json
    assert body["first_name"] == world.recipient_torino.first_name
    assert "self_sufficiency" not in body and "conditions" not in body
    household = client.get(f"{URL}/households/{world.household_torino.id}", headers=headers).json
    assert "conditions" not in household["recipients"][0]
    assert events(db_session, "health.read") == []
    response = client.get(f"{URL}/recipients/{recipient_id}/assessments", headers=headers)
    assert response.status_code == 403


def test_health_data_present_and_audited_for_an_asl_operator(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    recipient_id = _with_condition(db_session, world)
    headers = bearer(db_session, world.asl_torino)
    body = client.get(f"{URL}/recipients/{recipient_id}", headers=headers).json
    assert body["self_sufficiency"] == "non_self_sufficient"
    assert body["conditions"] == ["dementia"]
    reads = events(db_session, "health.read", "care_recipient")
    assert [(e.entity_id, e.actor_user_id) for e in reads] == [
        (str(recipient_id), world.asl_torino.id)
    ]
    assert reads[0].organization_id == world.asl_torino.organization_id
    assert reads[0].request_id
    client.get(f"{URL}/households/{world.household_torino.id}", headers=headers)
    assert len(events(db_session, "health.read")) == 2


def test_cpi_reads_the_summary_but_not_assessments(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    body = client.get(f"{URL}/recipients/{world.recipient_torino.id}", headers=headers).json
    assert body["self_sufficiency"] == "non_self_sufficient"
    url = f"{URL}/recipients/{world.recipient_torino.id}/assessments"
    assert client.get(url, headers=headers).status_code == 403
    assert client.post(url, json=ASSESSMENT, headers=headers).status_code == 403


def test_asl_records_and_reads_assessments(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.asl_torino)
    url = f"{URL}/recipients/{world.recipient_torino.id}/assessments"
    response = client.post(
        url, json={**ASSESSMENT, "notes": "Needs help at night"}, headers=headers
    )
    assert response.status_code == 201, response.json
    assert response.json["score"] == 72
    assert response.json["organization_id"] == world.asl_torino.organization_id
    assert len(events(db_session, "assessment.create")) == 1
    listed = client.get(url, headers=headers)
    assert listed.status_code == 200
    assert [a["notes"] for a in listed.json["items"]] == ["Needs help at night"]
    reads = events(db_session, "health.read")
    assert reads[-1].data == {"fields": ["assessments"], "via": "assessments"}
    family = bearer(db_session, world.family_torino)
    assert client.get(url, headers=family).status_code == 200


def test_latest_assessment_sets_self_sufficiency(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.asl_torino)
    url = f"{URL}/recipients/{world.recipient_torino.id}/assessments"
    client.post(url, json={**ASSESSMENT, "self_sufficiency": "partially"}, headers=headers)
    older = {**ASSESSMENT, "assessed_on": "2025-01-01", "self_sufficiency": "self_sufficient"}
    client.post(url, json=older, headers=headers)
    db_session.expire_all()
    assert db_session.get(CareRecipient, world.recipient_torino.id).self_sufficiency == "partially"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"score": 101}, "score"), ({"assessed_on": "2999-01-01"}, "assessed_on")],
)
def test_bad_assessment_changes_nothing(
    client: FlaskClient, db_session: Session, world: World, changes: dict[str, Any], field: str
) -> None:
    before = count(db_session, Assessment), count(db_session, AuditEvent)
    headers = bearer(db_session, world.asl_torino)
    url = f"{URL}/recipients/{world.recipient_torino.id}/assessments"
    response = client.post(url, json={**ASSESSMENT, **changes}, headers=headers)
    assert response.status_code == 422
    assert field in response.json["details"]["fields"]
    assert (count(db_session, Assessment), count(db_session, AuditEvent)) == before


def test_family_cannot_record_assessments(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_torino)
    url = f"{URL}/recipients/{world.recipient_torino.id}/assessments"
    assert client.post(url, json=ASSESSMENT, headers=headers).status_code == 403


def test_assessors_of_another_territory_get_not_found(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    asl_cuneo = factories.OrganizationFactory(kind="health_authority", territory_codes=["004078"])
    operator = factories.OperatorFactory(organization=asl_cuneo, locale="en")
    headers = bearer(db_session, operator)
    url = f"{URL}/recipients/{world.recipient_torino.id}/assessments"
    assert client.post(url, json=ASSESSMENT, headers=headers).status_code == 404
    assert client.get(url, headers=headers).status_code == 404
    assert (
        client.get(f"{URL}/recipients/{world.recipient_torino.id}", headers=headers).status_code
        == 404
    )
    assert count(db_session, Assessment) == 0


def test_update_recipient_audits_field_names_only(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_torino)
    url = f"{URL}/recipients/{world.recipient_torino.id}"
    response = client.patch(
        url, json={"conditions": ["parkinson"], "age_band": "75-84"}, headers=headers
    )
    assert response.status_code == 200, response.json
    assert response.json["conditions"] == ["parkinson"]
    event = events(db_session, "care_recipient.update")[0]
    assert event.data == {"fields": ["age_band", "conditions"]}
    other = bearer(db_session, world.family_cuneo)
    assert client.patch(url, json={"age_band": "18-64"}, headers=other).status_code == 404
