"""Creating, reading and changing profiles through the JSON API."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from carenet.assistants.models import Assistant
from carenet.audit.models import AuditEvent
from tests.carenet.assistants.conftest import (
    MONCALIERI,
    PROFILE,
    TORINO,
    audit_actions,
    bearer,
    row_counts,
)


def test_operator_creates_a_profile_at_a_sportello(client, db_session, cpi_torino):
    response = client.post(
        "/api/v1/assistants", json=PROFILE, headers=bearer(db_session, cpi_torino)
    )

    assert response.status_code == 201
    body = response.json
    assert body["status"] == "pending"
    assert body["user_id"] is None
    assert body["municipality"] == {"istat": MONCALIERI, "name": "Moncalieri", "province": "TO"}
    assert body["availability"] == {
        "it": "lun-ven 08:00-12:00, sab 09:00-11:00",
        "en": "Mon-Fri 08:00-12:00, Sat 09:00-11:00",
        "hours": 22,
    }
    assert [(x["language"], x["level"]) for x in body["languages"]] == [
        ("it", "B2"),
        ("ro", "native"),
    ]
    assert body["arrangements"] == ["hourly", "night"]
    assert body["conditions"] == ["dementia"]
    stored = db_session.get(Assistant, body["id"])
    assert stored.accepts_hourly and stored.accepts_night and not stored.accepts_live_in
    assert len(stored.availability) == 21
    event = db_session.scalar(sa.select(AuditEvent))
    assert (event.action, event.entity_id, event.actor_user_id) == (
        "assistant.create",
        str(body["id"]),
        cpi_torino.id,
    )


def test_assistant_creates_their_own_profile_once(client, db_session, assistant_user):
    headers = bearer(db_session, assistant_user)

    first = client.post("/api/v1/assistants", json=PROFILE, headers=headers)
    second = client.post("/api/v1/assistants", json=PROFILE, headers=headers)

    assert first.status_code == 201
    assert first.json["user_id"] == assistant_user.id
    assert second.status_code == 409
    assert second.json["error"] == "conflict"
    assert row_counts(db_session)["assistant"] == 1
    me = client.get("/api/v1/assistants/me", headers=headers)
    assert me.status_code == 200
    assert me.json["id"] == first.json["id"]


def test_me_before_creating_the_profile_is_404(client, db_session, assistant_user):
    response = client.get("/api/v1/assistants/me", headers=bearer(db_session, assistant_user))

    assert response.status_code == 404


def test_me_is_for_assistants_only(client, db_session, cpi_torino):
    response = client.get("/api/v1/assistants/me", headers=bearer(db_session, cpi_torino))

    assert response.status_code == 403


def test_a_family_cannot_create_a_profile(client, db_session, factories):
    family = factories.UserFactory(role="family")

    response = client.post("/api/v1/assistants", json=PROFILE, headers=bearer(db_session, family))

    assert response.status_code == 403
    assert row_counts(db_session)["assistant"] == 0


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/assistants").status_code == 401
    assert client.post("/api/v1/assistants", json=PROFILE).status_code == 401


def test_patch_changes_only_the_given_fields(client, db_session, assistant_user):
    headers = bearer(db_session, assistant_user)
    created = client.post("/api/v1/assistants", json=PROFILE, headers=headers).json

    response = client.patch(
        f"/api/v1/assistants/{created['id']}",
        json={
            "availability": "Mon-Sun 20:00-08:00",
            "languages": [{"language": "it", "level": "C1"}, {"language": "uk", "level": "A2"}],
            "conditions": ["parkinson", "dementia"],
            "municipality": TORINO,
            "lat": 45.07,
            "lon": 7.69,
        },
        headers=headers,
    )

    assert response.status_code == 200, response.json
    body = response.json
    assert body["display_name"] == "Ana Popescu"
    assert body["availability"]["hours"] == 7 * 12
    assert [(x["language"], x["level"]) for x in body["languages"]] == [
        ("it", "C1"),
        ("uk", "A2"),
    ]
    assert body["conditions"] == ["dementia", "parkinson"]
    assert body["municipality"]["name"] == "Torino"
    assert (body["lat"], body["lon"]) == (45.07, 7.69)
    assert audit_actions(db_session) == ["assistant.create", "assistant.update"]


def _create(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/assistants", json=PROFILE, headers=headers)
    assert response.status_code == 201
    return response.json


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"availability": "lun 25:00-26:00"}, "availability", "25"),
        ({"lat": 48.85, "lon": 2.35}, "lat", "coordinates 48.85, 2.35 are outside Italy"),
        ({"lat": 45.0}, "lon", "together"),
        ({"municipality": "Moncaleri", "province": None}, "municipality", "Moncalieri"),
        ({"nationality": "QQ"}, "nationality", "'QQ'"),
        ({"birth_year": 1901}, "birth_year", "1901"),
        ({"arrangements": []}, "arrangements", "at least one"),
        (
            {"languages": [{"language": "it", "level": "B1"}, {"language": "it", "level": "A1"}]},
            "languages",
            "twice",
        ),
        ({"phone": "call me"}, "phone", "call me"),
    ],
)
def test_bad_profile_input_is_422_and_writes_nothing(
    client, db_session, cpi_torino, change, field, message
):
    headers = bearer(db_session, cpi_torino)
    before = row_counts(db_session)

    response = client.post("/api/v1/assistants", json={**PROFILE, **change}, headers=headers)

    assert response.status_code == 422, response.json
    assert field in response.json["details"]["fields"]
    assert message in response.json["message"] + str(response.json["details"])
    assert row_counts(db_session) == before


def test_bad_schedule_names_the_token(client, db_session, cpi_torino):
    response = client.post(
        "/api/v1/assistants",
        json={**PROFILE, "availability": "lun 25:00-26:00"},
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code == 422
    assert "lun 25:00-26:00" in response.json["message"]


def test_unknown_comune_suggests_the_close_ones(client, db_session, cpi_torino):
    response = client.post(
        "/api/v1/assistants",
        json={**PROFILE, "municipality": "Moncaleri", "province": None},
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code == 422
    assert "Moncalieri (TO)" in response.json["details"]["suggestions"]


def test_bad_patch_changes_nothing(client, db_session, assistant_user):
    headers = bearer(db_session, assistant_user)
    created = _create(client, headers)
    before = row_counts(db_session)

    response = client.patch(
        f"/api/v1/assistants/{created['id']}",
        json={"display_name": "Ana P.", "languages": [], "lat": 48.85, "lon": 2.35},
        headers=headers,
    )

    assert response.status_code == 422
    assert "coordinates 48.85, 2.35 are outside Italy" in response.json["message"]
    assert row_counts(db_session) == before
    again = client.get(f"/api/v1/assistants/{created['id']}", headers=headers).json
    assert again["display_name"] == "Ana Popescu"
    assert len(again["languages"]) == 2


@pytest.mark.parametrize(
    "body",
    [
        {**PROFILE, "birth_year": 10**30},
        {**PROFILE, "travel_radius_km": 0},
        {**PROFILE, "travel_radius_km": 301},
        {**PROFILE, "display_name": ""},
        {**PROFILE, "display_name": "x" * 121},
        {**PROFILE, "display_name": "Ana\x00"},
        {**PROFILE, "gender": "q"},
        {**PROFILE, "arrangements": ["weekend"]},
        {**PROFILE, "unexpected": 1},
        {k: v for k, v in PROFILE.items() if k != "availability"},
    ],
)
def test_malformed_bodies_are_422(client, db_session, cpi_torino, body):
    response = client.post("/api/v1/assistants", json=body, headers=bearer(db_session, cpi_torino))

    assert response.status_code == 422
    assert set(response.json) == {"error", "message", "details"}
    assert row_counts(db_session)["assistant"] == 0


def test_nan_coordinates_are_refused(client, db_session, cpi_torino):
    text = (
        '{"display_name": "Ana", "gender": "f", "birth_year": 1980, "nationality": "RO",'
        ' "municipality": "001272", "travel_radius_km": 10, "arrangements": ["hourly"],'
        ' "availability": "lun 08:00-12:00", "available_from": "2026-12-01",'
        ' "lat": NaN, "lon": 7.6}'
    )

    response = client.post(
        "/api/v1/assistants",
        data=text,
        content_type="application/json",
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code in (400, 422)
    assert row_counts(db_session)["assistant"] == 0


def test_huge_ids_are_404(client, db_session, cpi_torino):
    response = client.get(
        "/api/v1/assistants/99999999999999999999999", headers=bearer(db_session, cpi_torino)
    )

    assert response.status_code == 404


def test_any_two_letter_language_is_accepted_and_known_ones_are_named(
    client, db_session, cpi_torino
):
    response = client.post(
        "/api/v1/assistants",
        json={
            **PROFILE,
            "languages": [{"language": "WO", "level": "native"}, {"language": "qz", "level": "A1"}],
        },
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code == 201
    assert response.json["languages"] == [
        {"language": "qz", "level": "A1", "label": "qz"},
        {"language": "wo", "level": "native", "label": "Wolof"},
    ]


def test_an_assistant_cannot_verify_themself_by_patching_the_status(
    client, db_session, assistant_user
):
    headers = bearer(db_session, assistant_user)
    created = _create(client, headers)

    response = client.patch(
        f"/api/v1/assistants/{created['id']}", json={"status": "verified"}, headers=headers
    )

    assert response.status_code == 422
    db_session.commit()
    assert db_session.get(Assistant, created["id"]).status == "pending"
