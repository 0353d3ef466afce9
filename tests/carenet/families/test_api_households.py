"""The households API: create, read, change, with territory scoping and validation."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.carenet.families.helpers import TORINO, World, bearer, events

NEW = {"contact_name": "Anna Rossi", "phone": "+39 011 1234567", "municipality": "Torino"}


def test_family_creates_own_household(client: FlaskClient, db_session: Session, world: World):
    headers = bearer(db_session, world.family_torino)
    response = client.post(
        "/api/v1/families/households",
        json={**NEW, "address": "Via Po 3", "lat": 45.07, "lon": 7.69},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["owner_user_id"] == world.family_torino.id
    assert body["municipality"] == {"istat": TORINO, "name": "Torino", "province": "TO"}
    assert body["recipients"] == []
    created = events(db_session, "household.create")
    assert [e.entity_id for e in created] == [str(body["id"])]
