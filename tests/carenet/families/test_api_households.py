"""The households API: create, read, change, with territory scoping and validation."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.families.models import Household
from tests.carenet.families.helpers import CUNEO, TORINO, World, bearer, count, events

URL = "/api/v1/families/households"
NEW = {"contact_name": "Anna Rossi", "phone": "+39 011 1234567", "municipality": "Torino"}


def test_family_creates_own_household(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_torino)
    response = client.post(
        URL, json={**NEW, "address": "Via Po 3", "lat": 45.07, "lon": 7.69}, headers=headers
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["owner_user_id"] == world.family_torino.id
    assert body["created_by_user_id"] == world.family_torino.id
    assert body["municipality"] == {"istat": TORINO, "name": "Torino", "province": "TO"}
    assert (body["lat"], body["lon"]) == (45.07, 7.69)
    assert body["recipients"] == []
    created = events(db_session, "household.create")
    assert [e.entity_id for e in created] == [str(body["id"])]
    assert created[0].actor_user_id == world.family_torino.id


def test_operator_registers_a_household_for_a_family(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    response = client.post(URL, json={**NEW, "municipality": "001156"}, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["owner_user_id"] is None
    assert response.json["created_by_user_id"] == world.cpi_torino.id
    assert response.json["municipality"]["name"] == "Moncalieri"
    event = events(db_session, "household.create")[0]
    assert event.organization_id == world.cpi_torino.organization_id


def test_operator_cannot_register_outside_their_territory(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    before = count(db_session, Household)
    headers = bearer(db_session, world.cpi_torino)
    response = client.post(URL, json={**NEW, "municipality": "Cuneo"}, headers=headers)
    assert response.status_code == 422
    assert "Cuneo" in response.json["details"]["fields"]["municipality"][0]
    assert "territory" in response.json["message"]
    assert count(db_session, Household) == before


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"municipality": "Torinoo"}, "municipality", "Torino"),
        ({"lat": 48.85, "lon": 2.35}, "lat", "not in Italy"),
        ({"lat": 45.07}, "lat", "both"),
        ({"contact_name": "   "}, "contact_name", "required"),
    ],
)
def test_bad_household_input_changes_nothing(
    client: FlaskClient,
    db_session: Session,
    world: World,
    changes: dict[str, Any],
    field: str,
    fragment: str,
) -> None:
    before = count(db_session, Household), count(db_session, AuditEvent)
    headers = bearer(db_session, world.family_torino)
    response = client.post(URL, json={**NEW, **changes}, headers=headers)
    assert response.status_code == 422, response.json
    assert fragment in " ".join(response.json["details"]["fields"][field])
    assert (count(db_session, Household), count(db_session, AuditEvent)) == before


def test_unknown_comune_comes_with_suggestions(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_torino)
    response = client.post(URL, json={**NEW, "municipality": "Moncalier"}, headers=headers)
    assert response.status_code == 422
    assert "Moncalieri (TO)" in response.json["details"]["suggestions"]
    assert "Moncalier" in response.json["message"]


def test_lists_are_scoped_by_territory_and_owner(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    expected = {
        world.cpi_torino: [world.household_torino.id],
        world.cpi_cuneo: [world.household_cuneo.id],
        world.family_torino: [world.household_torino.id],
        world.family_cuneo: [world.household_cuneo.id],
        world.region: [],
    }
    for user, ids in expected.items():
        body = client.get(URL, headers=bearer(db_session, user)).json
        assert [item["id"] for item in body["items"]] == ids
        assert body["total"] == len(ids)
        assert (body["page"], body["per_page"]) == (1, 20)
    assert client.get(URL, headers=bearer(db_session, world.assistant)).status_code == 403
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("user", "own", "other"),
    [
        ("cpi_torino", "household_torino", "household_cuneo"),
        ("cpi_cuneo", "household_cuneo", "household_torino"),
        ("family_torino", "household_torino", "household_cuneo"),
    ],
)
def test_households_outside_scope_are_not_found(
    client: FlaskClient, db_session: Session, world: World, user: str, own: str, other: str
) -> None:
    headers = bearer(db_session, getattr(world, user))
    mine, theirs = getattr(world, own), getattr(world, other)
    assert client.get(f"{URL}/{mine.id}", headers=headers).status_code == 200
    assert client.get(f"{URL}/{theirs.id}", headers=headers).status_code == 404
    response = client.patch(f"{URL}/{theirs.id}", json={"contact_name": "X"}, headers=headers)
    assert response.status_code == 404
    recipient = {"first_name": "Ada", "age_band": "85+", "self_sufficiency": "partially"}
    response = client.post(f"{URL}/{theirs.id}/recipients", json=recipient, headers=headers)
    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Household, theirs.id).contact_name != "X"
    assert len(db_session.get(Household, theirs.id).recipients) == 1


def test_patch_household_audits_the_changed_fields(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_torino)
    url = f"{URL}/{world.household_torino.id}"
    unchanged_phone = world.household_torino.phone  # sent again: not a change, not audited
    response = client.patch(
        url, json={"address": "Via Garibaldi 2", "phone": unchanged_phone}, headers=headers
    )
    assert response.status_code == 200, response.json
    assert response.json["address"] == "Via Garibaldi 2"
    assert events(db_session, "household.update")[0].data == {"fields": ["address"]}
    moved = client.patch(url, json={"municipality": "Cuneo"}, headers=headers)
    assert moved.status_code == 200
    assert moved.json["municipality"]["istat"] == CUNEO


def test_operator_cannot_move_a_household_out_of_their_territory(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.cpi_torino)
    url = f"{URL}/{world.household_torino.id}"
    response = client.patch(url, json={"municipality": "Cuneo"}, headers=headers)
    assert response.status_code == 422
    db_session.expire_all()
    assert db_session.get(Household, world.household_torino.id).municipality_id == TORINO


def test_control_characters_are_refused(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_torino)
    response = client.post(URL, json={**NEW, "contact_name": "A\x00B"}, headers=headers)
    assert response.status_code == 422
    assert "contact_name" in response.json["details"]["fields"]
