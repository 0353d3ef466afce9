"""The families pages: household, recipients, assessments, territory and health rules."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.families.models import Assessment, CareRecipient, Household
from tests.carenet.families.helpers import TORINO, World, count, events, login

NEW = {"contact_name": "Mario Bianchi", "phone": "011 555 1234", "municipality": "Torino"}


def test_family_household_page_shows_recipients_with_health(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    redirect = client.get("/families/household")
    assert redirect.status_code == 302
    assert redirect.location.endswith(f"/families/households/{world.household_torino.id}")
    page = client.get(redirect.location)
    assert page.status_code == 200
    assert world.recipient_torino.first_name in page.text
    assert 'data-field="self_sufficiency"' in page.text
    assert "Not self-sufficient" in page.text
    reads = events(db_session, "health.read")
    assert sorted(tuple(e.data["fields"]) for e in reads) == [
        ("assessments",),
        ("self_sufficiency", "conditions"),
    ]


def test_family_without_household_is_sent_to_the_form(client: FlaskClient, factories: Any) -> None:
    login(client, factories.UserFactory(role="family", locale="en"))
    response = client.get("/families/household")
    assert response.status_code == 302
    assert response.location.endswith("/families/households/new")


def test_family_creates_household_through_the_form(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    response = client.post("/families/households/new", data=NEW)
    assert response.status_code == 302
    db_session.commit()
    newest = db_session.query(Household).order_by(Household.id.desc()).first()
    assert newest is not None and newest.owner_user_id == world.family_torino.id
    assert newest.municipality_id == TORINO


def test_unknown_comune_in_the_form_shows_suggestions(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    before = count(db_session, Household)
    response = client.post("/families/households/new", data={**NEW, "municipality": "Moncalier"})
    assert response.status_code == 422
    assert "Moncalieri (TO)" in response.text
    assert count(db_session, Household) == before


def test_coordinates_outside_italy_in_the_form(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    before = count(db_session, Household)
    response = client.post("/families/households/new", data={**NEW, "lat": "48.85", "lon": "2.35"})
    assert response.status_code == 422
    assert "not in Italy" in response.text
    assert count(db_session, Household) == before


def test_operator_registers_household_and_recipient_at_the_sportello(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.cpi_torino)
    response = client.post("/families/households/new", data=NEW)
    assert response.status_code == 302
    db_session.commit()
    household = db_session.query(Household).order_by(Household.id.desc()).first()
    assert household is not None
    assert household.owner_user_id is None
    assert household.created_by_user_id == world.cpi_torino.id
    response = client.post(
        f"/families/households/{household.id}/recipients/new",
        data={
            "first_name": "Teresa",
            "age_band": "75-84",
            "self_sufficiency": "partially",
            "conditions": ["stroke"],
        },
    )
    assert response.status_code == 302, response.text
    db_session.expire_all()
    assert [r.first_name for r in db_session.get(Household, household.id).recipients] == ["Teresa"]
    assert len(events(db_session, "care_recipient.create")) == 1


def test_health_hidden_from_municipality_and_shown_to_asl(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    url = f"/families/households/{world.household_torino.id}"
    login(client, world.comune_torino)
    page = client.get(url)
    assert page.status_code == 200
    assert world.recipient_torino.first_name in page.text
    assert 'data-field="self_sufficiency"' not in page.text
    assert "Health information is not shown" in page.text
    assert events(db_session, "health.read") == []

    login(client, world.asl_torino)
    page = client.get(url)
    assert 'data-field="self_sufficiency"' in page.text
    assert 'data-testid="assessments"' in page.text or "No assessment yet" in page.text
    reads = events(db_session, "health.read")
    assert {tuple(e.data["fields"]) for e in reads} == {
        ("self_sufficiency", "conditions"),
        ("assessments",),
    }
    assert {e.actor_user_id for e in reads} == {world.asl_torino.id}


def test_recipient_edit_form_without_health_fields_for_municipality(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.comune_torino)
    url = f"/families/recipients/{world.recipient_torino.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="self_sufficiency"' not in page.text
    response = client.post(url, data={"first_name": "Nina", "age_band": "85+"})
    assert response.status_code == 302
    db_session.expire_all()
    recipient = db_session.get(CareRecipient, world.recipient_torino.id)
    assert recipient.first_name == "Nina"
    assert recipient.self_sufficiency == "non_self_sufficient"


def test_asl_records_an_assessment_through_the_form(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.asl_torino)
    url = f"/families/recipients/{world.recipient_torino.id}/assessments/new"
    assert client.get(url).status_code == 200
    data = {"assessed_on": "2026-02-01", "self_sufficiency": "partially", "score": "40"}
    bad = client.post(url, data={**data, "score": "140"})
    assert bad.status_code == 422
    assert count(db_session, Assessment) == 0
    assert client.post(url, data=data).status_code == 302
    assert count(db_session, Assessment) == 1


def test_cpi_cannot_open_the_assessment_form(client: FlaskClient, world: World) -> None:
    login(client, world.cpi_torino)
    url = f"/families/recipients/{world.recipient_torino.id}/assessments/new"
    assert client.get(url).status_code == 403


def test_territory_isolation_on_pages(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    for user, own, other in (
        (world.cpi_torino, world.household_torino, world.household_cuneo),
        (world.cpi_cuneo, world.household_cuneo, world.household_torino),
        (world.family_torino, world.household_torino, world.household_cuneo),
    ):
        login(client, user)
        listing = client.get("/families/households")
        assert listing.status_code == 200
        assert f'data-household-id="{own.id}"' in listing.text
        assert f'data-household-id="{other.id}"' not in listing.text
        assert client.get(f"/families/households/{other.id}").status_code == 404
        assert client.get(f"/families/households/{other.id}/edit").status_code == 404
        changed = client.post(f"/families/households/{other.id}/edit", data=NEW)
        assert changed.status_code == 404
        recipient_id = other.recipients[0].id
        assert client.get(f"/families/recipients/{recipient_id}/edit").status_code == 404
    db_session.expire_all()
    assert db_session.get(Household, world.household_cuneo.id).contact_name != NEW["contact_name"]
    assert db_session.get(Household, world.household_torino.id).contact_name != NEW["contact_name"]


def test_pages_need_login_and_the_right_role(client: FlaskClient, world: World) -> None:
    assert client.get("/families/households").status_code == 401
    login(client, world.assistant)
    assert client.get("/families/households").status_code == 403
    assert client.get(f"/families/households/{world.household_torino.id}").status_code == 403


def test_edit_household_form(client: FlaskClient, db_session: Session, world: World) -> None:
    login(client, world.family_torino)
    url = f"/families/households/{world.household_torino.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="001272"' in page.text
    response = client.post(url, data={**NEW, "address": "Corso Francia 10"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Household, world.household_torino.id).address == "Corso Francia 10"
    assert events(db_session, "household.update")[0].data["fields"]


def test_edit_household_with_missing_fields_is_a_422_not_a_500(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    """Found by the authorization matrix: an empty form used to crash (the stored
    Municipality object stood in for the missing field)."""
    login(client, world.family_torino)
    url = f"/families/households/{world.household_torino.id}/edit"
    before = db_session.get(Household, world.household_torino.id).contact_name
    response = client.post(url, data={})
    assert response.status_code == 422
    assert "is-invalid" in response.text
    db_session.expire_all()
    assert db_session.get(Household, world.household_torino.id).contact_name == before
