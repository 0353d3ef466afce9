"""Issue 10, items 14-16 and 20 for care requests: one definition of "trained", levels CS
and DS only for people who are not self-sufficient, the legacy qualifications, and every
refusal of a contract rule naming the CCNL article it applies, in Italian and English."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.care_requests.models import CareRequest
from tests.carenet.care_requests.test_api_requests import URL, payload
from tests.carenet.families.helpers import World, bearer, count


def cuneo(world: World, **changes: Any) -> dict[str, Any]:
    """A request for the Cuneo recipient, who is self-sufficient."""
    return payload(world, recipient_id=world.recipient_cuneo.id, **changes)


@pytest.mark.parametrize("level", ["CS", "DS"])
def test_cs_or_ds_for_a_self_sufficient_person_is_refused(
    client: FlaskClient, db_session: Session, world: World, level: str
) -> None:
    headers = bearer(db_session, world.family_cuneo)
    response = client.post(URL, json=cuneo(world, ccnl_level=level), headers=headers)
    assert response.status_code == 422, response.json
    message = " ".join(response.json["details"]["fields"]["ccnl_level"])
    assert "self-sufficient" in message and "BS" in message and "art. 9" in message
    assert count(db_session, CareRequest) == 0
    # Without a level the request is BS, which the Buono domiciliarita' does not fund.
    created = client.post(URL, json=cuneo(world), headers=headers)
    assert created.json["ccnl_level"] == "BS"
    assert created.json["buono_domiciliarita"]["eligible"] is False
    changed = client.patch(
        f"{URL}/{created.json['id']}", json={"ccnl_level": level}, headers=headers
    )
    assert changed.status_code == 422, changed.json


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("oss", "DS"),
        ("nurse", "DS"),
        ("osa", "DS"),
        ("adest", "DS"),
        ("ota", "DS"),
        ("assistente_familiare", "CS"),
        ("first_aid", "CS"),
    ],
)
def test_a_required_trained_qualification_implies_ds(
    client: FlaskClient, db_session: Session, world: World, code: str, level: str
) -> None:
    headers = bearer(db_session, world.family_torino)
    body = payload(world, required_qualifications=[code])
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["ccnl_level"] == level


CITED = [
    ({"schedule": "lun-sab 08:00-18:00"}, "schedule", "art. 14"),
    (
        {"arrangement": "live_in", "schedule": "lun-sab 08:00-14:00 16:00-20:00"},
        "schedule",
        "art. 14",
    ),
    (
        {"arrangement": "live_in", "live_in_part_time": True, "schedule": "lun-ven 08:00-15:00"},
        "schedule",
        "art. 14",
    ),
    ({"arrangement": "night", "schedule": "lun-sab 22:00-06:00"}, "schedule", "art. 14"),
    ({"schedule": "lun 06:00-20:00"}, "schedule", "art. 14"),
    ({"schedule": "sab"}, "schedule", "art. 14"),
    ({"ccnl_level": "BS"}, "ccnl_level", "art. 9"),
    ({"required_qualifications": ["oss"], "ccnl_level": "CS"}, "ccnl_level", "art. 9"),
]


@pytest.mark.parametrize(
    ("language", "name"), [("it", "lavoro domestico"), ("en", "domestic work")]
)
@pytest.mark.parametrize(("changes", "field", "article"), CITED)
def test_every_contract_refusal_cites_its_source(
    client: FlaskClient,
    db_session: Session,
    world: World,
    changes: dict[str, Any],
    field: str,
    article: str,
    language: str,
    name: str,
) -> None:
    headers = bearer(db_session, world.family_torino)
    response = client.post(
        f"{URL}?lang={language}", json=payload(world, **changes), headers=headers
    )
    assert response.status_code == 422, response.json
    for message in response.json["details"]["fields"][field]:
        assert "CCNL" in message and name in message and article in message, message


def test_the_self_sufficiency_refusal_cites_its_source_in_italian(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.family_cuneo)
    response = client.post(f"{URL}?lang=it", json=cuneo(world, ccnl_level="CS"), headers=headers)
    (message,) = response.json["details"]["fields"]["ccnl_level"]
    assert (
        "autosufficient" in message and "CCNL lavoro domestico" in message and "art. 9" in message
    )
