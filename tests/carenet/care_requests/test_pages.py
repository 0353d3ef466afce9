"""The care-request pages: form, detail, operators' list, transitions, territories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.care_requests.models import CareRequest
from tests.carenet.families.helpers import World, count, events, login

FORM = {
    "arrangement": "hourly",
    "schedule": "lun-ven 08:00-12:00",
    # The service refuses a start date in the past.
    "start_date": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
    "duration_months": "12",
    "max_distance_km": "20",
    "gender_preference": "none",
    "required_languages": ["it"],
    "action": "open",
}


def _new_url(world: World) -> str:
    return f"/care-requests/new?recipient_id={world.recipient_torino.id}"


def test_form_explains_the_schedule_in_the_current_language(
    client: FlaskClient, world: World
) -> None:
    login(client, world.family_torino)
    english = client.get(_new_url(world))
    assert english.status_code == 200
    assert "Mon-Fri 08:00-12:00, Sat 09:00-11:00" in english.text
    assert 'type="radio"' in english.text and 'value="live_in"' in english.text
    assert 'type="checkbox"' in english.text and 'value="oss"' in english.text
    italian = client.get(_new_url(world) + "&lang=it")
    assert "lun-ven 08:00-12:00, sab 09:00-11:00" in italian.text


def test_family_sends_a_request_and_sees_level_hours_and_buono(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    response = client.post(_new_url(world), data={**FORM, "required_qualifications": ["oss"]})
    assert response.status_code == 302, response.text
    page = client.get(response.location)
    assert page.status_code == 200
    assert 'data-field="ccnl_level">DS' in page.text
    assert 'data-field="weekly_hours">20<' in page.text
    assert "Mon-Fri 08:00-12:00" in page.text
    assert 'data-eligible="true"' in page.text
    db_session.commit()
    stored = db_session.query(CareRequest).one()
    assert (stored.status, stored.ccnl_level, stored.weekly_hours) == ("open", "DS", 20)
    assert len(events(db_session, "care_request.create")) == 1


def test_too_many_hours_in_the_form_changes_nothing(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    before = count(db_session, CareRequest), count(db_session, AuditEvent)
    response = client.post(_new_url(world), data={**FORM, "schedule": "lun-sab 08:00-18:00"})
    assert response.status_code == 422
    assert "at most 40 hours a week; the schedule has 60" in response.text
    assert (count(db_session, CareRequest), count(db_session, AuditEvent)) == before


def test_unreadable_schedule_in_the_form(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    response = client.post(_new_url(world), data={**FORM, "schedule": "lun 25:00-26:00"})
    assert response.status_code == 422
    assert "hour 25 is out of range" in response.text
    assert count(db_session, CareRequest) == 0


def test_italian_message_cites_the_limit(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    response = client.post(
        _new_url(world) + "&lang=it", data={**FORM, "schedule": "lun-sab 08:00-18:00"}
    )
    assert response.status_code == 422
    assert "40" in response.text and "60" in response.text
    assert count(db_session, CareRequest) == 0


def test_bs_for_a_non_self_sufficient_person_is_refused_on_the_form(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    response = client.post(_new_url(world), data={**FORM, "ccnl_level": "BS"})
    assert response.status_code == 422
    assert "not self-sufficient" in response.text
    assert count(db_session, CareRequest) == 0


def test_draft_then_submit_then_cancel_on_the_page(
    client: FlaskClient, db_session: Session, world: World
) -> None:
    login(client, world.family_torino)
    created = client.post(_new_url(world), data={**FORM, "action": "draft"})
    request_id = int(created.location.rsplit("/", 1)[1])
    detail = client.get(f"/care-requests/{request_id}")
    assert f'action="/care-requests/{request_id}/submit"' in detail.text
    assert client.post(f"/care-requests/{request_id}/submit").status_code == 302
    assert client.post(f"/care-requests/{request_id}/submit").status_code == 409
    assert client.post(f"/care-requests/{request_id}/cancel").status_code == 302
    db_session.commit()
    assert db_session.get(CareRequest, request_id).status == "cancelled"
    assert [e.action for e in events(db_session, "care_request.submit")] == ["care_request.submit"]
    assert len(events(db_session, "care_request.cancel")) == 1


def test_edit_form_is_prefilled_and_rechecked(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    care_request = factories.CareRequestFactory(recipient=world.recipient_torino)
    login(client, world.cpi_torino)
    url = f"/care-requests/{care_request.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    assert "Mon-Fri 08:00-12:00" in page.text
    response = client.post(url, data={**FORM, "schedule": "lun-dom 08:00-14:00"})
    assert response.status_code == 422
    assert "at most 40 hours" in response.text
    response = client.post(url, data={**FORM, "schedule": "lun-ven 09:00-15:00"})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(CareRequest, care_request.id).weekly_hours == 30


def test_operator_list_filters_and_territory(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    moncalieri = factories.HouseholdFactory(municipality_id="001156")
    recipient = factories.CareRecipientFactory(household=moncalieri)
    torino = factories.CareRequestFactory(recipient=world.recipient_torino)
    night = factories.CareRequestFactory(recipient=recipient, arrangement="night", status="draft")
    cuneo = factories.CareRequestFactory(recipient=world.recipient_cuneo, ccnl_level="BS")
    login(client, world.cpi_torino)

    def ids(query: str = "") -> set[int]:
        page = client.get(f"/care-requests{query}")
        assert page.status_code == 200, page.text
        return {
            item.id
            for item in (torino, night, cuneo)
            if f'data-request-id="{item.id}"' in page.text
        }

    assert ids() == {torino.id, night.id}
    assert ids("?status=draft") == {night.id}
    assert ids("?arrangement=hourly") == {torino.id}
    assert ids("?comune=Moncalieri") == {night.id}
    assert ids("?comune=001272") == {torino.id}
    bad = client.get("/care-requests?comune=Moncalier")
    assert bad.status_code == 422
    assert "Moncalieri (TO)" in bad.text

    login(client, world.cpi_cuneo)
    assert ids() == {cuneo.id}


def test_request_pages_outside_the_territory_are_not_found(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    torino = factories.CareRequestFactory(recipient=world.recipient_torino)
    cuneo = factories.CareRequestFactory(recipient=world.recipient_cuneo, ccnl_level="BS")
    for user, other in ((world.cpi_torino, cuneo), (world.cpi_cuneo, torino)):
        login(client, user)
        assert client.get(f"/care-requests/{other.id}").status_code == 404
        assert client.get(f"/care-requests/{other.id}/edit").status_code == 404
        assert client.post(f"/care-requests/{other.id}/edit", data=FORM).status_code == 404
        assert client.post(f"/care-requests/{other.id}/cancel").status_code == 404
        new = client.get(f"/care-requests/new?recipient_id={other.recipient_id}")
        assert new.status_code == 404
    login(client, world.family_cuneo)
    assert client.get(f"/care-requests/{torino.id}").status_code == 404
    db_session.expire_all()
    assert {r.status for r in db_session.query(CareRequest)} == {"open"}
    assert count(db_session, AuditEvent) == 0


def test_edit_keeps_an_old_start_date_and_an_automatic_level(
    client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    started = factories.CareRequestFactory(
        recipient=world.recipient_torino, start_date=dt.date(2020, 1, 2)
    )
    login(client, world.family_torino)
    url = f"/care-requests/{started.id}/edit"
    page = client.get(url)
    assert '<option selected value="">' in page.text  # CS was implied, not asked for
    data = {**FORM, "start_date": "2020-01-02", "ccnl_level": "", "required_qualifications": "oss"}
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text
    db_session.expire_all()
    stored = db_session.get(CareRequest, started.id)
    assert (stored.ccnl_level, stored.start_date) == ("DS", dt.date(2020, 1, 2))
    moved = client.post(url, data={**data, "start_date": "2020-02-01"})
    assert moved.status_code == 422
    assert "in the past" in moved.text


def test_a_new_request_without_a_person_leads_to_the_household_to_pick_one(
    client: FlaskClient, world: World
) -> None:
    login(client, world.family_torino)
    response = client.get("/care-requests/new?lang=en", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == f"/families/households/{world.household_torino.id}"
    html = response.get_data(as_text=True)
    assert "Choose the person who needs care first." in html
    assert f"/care-requests/new?recipient_id={world.recipient_torino.id}" in html
