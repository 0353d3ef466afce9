"""Whoever may not read a person's health information may not write it either (issue 10,
item 1): a Comune operator can neither change nor create self-sufficiency and
conditions, through the API or the pages; those who may read them still write them."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.families.models import CareRecipient, RecipientCondition
from tests.carenet.families.helpers import World, bearer, count, events, login

URL = "/api/v1/families"


def _stored(db_session: Session, recipient_id: int) -> tuple[str, list[str]]:
    db_session.expire_all()
    recipient = db_session.get(CareRecipient, recipient_id)
    assert recipient is not None
    return recipient.self_sufficiency, sorted(c.condition for c in recipient.conditions)


@pytest.mark.parametrize(
    "changes",
    [
        {"self_sufficiency": "self_sufficient"},
        {"conditions": ["dementia"]},
        {"conditions": []},
        {"first_name": "Ada", "self_sufficiency": "partially"},
    ],
)
def test_a_municipality_cannot_change_health_fields_through_the_api(
    client: FlaskClient, db_session: Session, world: World, changes: dict[str, Any]
) -> None:
    recipient = world.recipient_torino
    db_session.add(RecipientCondition(recipient_id=recipient.id, condition="mobility"))
    db_session.commit()
    before = _stored(db_session, recipient.id)
    headers = bearer(db_session, world.comune_torino)
    response = client.patch(f"{URL}/recipients/{recipient.id}", json=changes, headers=headers)
    assert response.status_code == 403, response.json
    fields = response.json["details"]["fields"]
    assert set(fields) == {k for k in changes if k != "first_name"}
    assert _stored(db_session, recipient.id) == before
    assert events(db_session, "care_recipient.update") == []


def test_a_municipality_still_changes_what_it_may_read(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    headers = bearer(db_session, world.comune_torino)
    url = f"{URL}/recipients/{world.recipient_torino.id}"
    response = client.patch(url, json={"first_name": "Adele"}, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["first_name"] == "Adele"
    assert "self_sufficiency" not in response.json


def test_a_municipality_cannot_create_a_person_with_health_fields(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    before = count(db_session, CareRecipient)
    headers = bearer(db_session, world.comune_torino)
    body = {"first_name": "Ada", "age_band": "85+", "self_sufficiency": "partially"}
    url = f"{URL}/households/{world.household_torino.id}/recipients"
    response = client.post(url, json={**body, "conditions": ["dementia"]}, headers=headers)
    assert response.status_code == 403, response.json
    assert {"self_sufficiency", "conditions"} <= set(response.json["details"]["fields"])
    assert count(db_session, CareRecipient) == before


@pytest.mark.parametrize("who", ["family_torino", "cpi_torino", "asl_torino"])
def test_those_who_read_health_fields_write_them(
    client: FlaskClient, db_session: Session, world: World, who: str
) -> None:
    headers = bearer(db_session, getattr(world, who))
    url = f"{URL}/recipients/{world.recipient_torino.id}"
    changes = {"self_sufficiency": "partially", "conditions": ["stroke"]}
    response = client.patch(url, json=changes, headers=headers)
    assert response.status_code == 200, response.json
    assert _stored(db_session, world.recipient_torino.id) == ("partially", ["stroke"])


def test_the_edit_page_refuses_health_fields_a_municipality_slips_in(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    recipient = world.recipient_torino
    before = _stored(db_session, recipient.id)
    login(client, world.comune_torino)
    page = client.get(f"/families/recipients/{recipient.id}/edit")
    assert page.status_code == 200
    assert 'name="self_sufficiency"' not in page.get_data(as_text=True)
    form = {
        "first_name": "Ada",
        "age_band": "85+",
        "self_sufficiency": "self_sufficient",
        "conditions": ["dementia"],
    }
    client.post(f"/families/recipients/{recipient.id}/edit", data=form)
    assert _stored(db_session, recipient.id) == before


def test_the_add_person_page_is_not_offered_to_a_municipality(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    before = count(db_session, CareRecipient)
    login(client, world.comune_torino)
    household = world.household_torino.id
    shown = client.get(f"/families/households/{household}").get_data(as_text=True)
    assert f"/families/households/{household}/recipients/new" not in shown
    url = f"/families/households/{household}/recipients/new"
    assert client.get(url).status_code == 403
    form = {"first_name": "Ada", "age_band": "85+", "self_sufficiency": "partially"}
    assert client.post(url, data=form).status_code == 403
    assert count(db_session, CareRecipient) == before
