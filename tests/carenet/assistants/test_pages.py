"""The assistants' pages: own profile, forms, the register list and verification buttons."""

from __future__ import annotations

import sqlalchemy as sa

from carenet.assistants.models import Assistant, AssistantQualification
from carenet.core.vocab import QUALIFICATIONS
from tests.carenet.assistants.conftest import MONCALIERI, audit_actions, log_in, row_counts

FORM = {
    "display_name": "Ana Popescu",
    "gender": "f",
    "birth_year": "1978",
    "nationality": "ro",
    "phone": "+39 333 1234567",
    "languages": "ro:native, it:b2",
    "municipality": "Moncalieri",
    "province": "TO",
    "travel_radius_km": "15",
    "arrangements": ["hourly", "night"],
    "availability": "lun-ven 08:00-12:00, sab 09:00-11:00",
    "available_from": "2026-12-01",
    "years_experience": "6",
    "conditions": ["dementia"],
    "bio": "",
}


def test_my_profile_without_one_leads_to_the_form(client, assistant_user):
    log_in(client, assistant_user)

    response = client.get("/assistants/me")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/assistants/me/edit")


def test_the_form_explains_the_schedule_syntax_in_the_current_language(client, assistant_user):
    log_in(client, assistant_user)

    english = client.get("/assistants/me/edit?lang=en").get_data(as_text=True)

    assert "Mon-Fri 08:00-12:00, Sat 09:00-11:00" in english
    assert 'name="availability"' in english


def test_an_assistant_creates_and_edits_their_profile(client, db_session, assistant_user):
    log_in(client, assistant_user)

    created = client.post("/assistants/me/edit", data=FORM)

    assert created.status_code == 302
    assistant = db_session.scalar(sa.select(Assistant))
    assert (assistant.user_id, assistant.status, assistant.nationality) == (
        assistant_user.id,
        "pending",
        "RO",
    )
    assert {(x.language, x.level) for x in assistant.languages} == {("ro", "native"), ("it", "B2")}
    page = client.get("/assistants/me").get_data(as_text=True)
    assert "Mon-Fri 08:00-12:00, Sat 09:00-11:00 (22 hours a week)" in page
    italian = client.get("/assistants/me?lang=it").get_data(as_text=True)
    assert "lun-ven 08:00-12:00, sab 09:00-11:00" in italian

    form = client.get("/assistants/me/edit?lang=it").get_data(as_text=True)
    assert 'value="lun-ven 08:00-12:00, sab 09:00-11:00"' in form
    edited = client.post(
        "/assistants/me/edit", data={**FORM, "availability": "sab-dom", "display_name": "Ana P."}
    )
    assert edited.status_code == 302
    db_session.refresh(assistant)
    assert assistant.display_name == "Ana P."
    assert audit_actions(db_session) == ["assistant.create", "assistant.update"]


def test_bad_form_input_shows_the_problems_and_writes_nothing(client, db_session, assistant_user):
    log_in(client, assistant_user)
    before = row_counts(db_session)

    response = client.post(
        "/assistants/me/edit",
        data={
            **FORM,
            "availability": "lun 25:00-26:00",
            "municipality": "Moncaleri",
            "province": "",
            "lat": "48.85",
            "lon": "2.35",
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "lun 25:00-26:00" in page
    assert "Moncalieri (TO)" in page
    assert "coordinates 48.85, 2.35 are outside Italy" in page
    assert row_counts(db_session) == before


def test_add_a_qualification_through_the_page(client, db_session, assistant_user, make_assistant):
    assistant = make_assistant(user_id=assistant_user.id, municipality_id=MONCALIERI)
    log_in(client, assistant_user)
    before = row_counts(db_session)

    form = client.get("/assistants/me/qualifications/new?lang=en").get_data(as_text=True)
    expired = client.post(
        "/assistants/me/qualifications/new",
        data={"code": "oss", "issued_on": "2020-01-01", "expires_on": "2024-03-01"},
    )
    after_expired = row_counts(db_session)
    added = client.post(
        "/assistants/me/qualifications/new",
        data={"code": "oss", "issued_on": "2020-01-01", "expires_on": ""},
    )

    assert QUALIFICATIONS["oss"][1] in form
    assert expired.status_code == 422
    assert "qualification OSS expired on 2024-03-01" in expired.get_data(as_text=True)
    assert after_expired == before
    assert added.status_code == 302
    row = db_session.scalar(sa.select(AssistantQualification))
    assert (row.assistant_id, row.qualification_code, row.expires_on) == (
        assistant.id,
        "oss",
        None,
    )


def test_register_page_filters(client, cpi_torino, make_assistant):
    make_assistant(display_name="Ana Popescu", languages={"ro": "native"})
    make_assistant(display_name="Olena Kovalenko", languages={"uk": "native"})
    log_in(client, cpi_torino)

    everyone = client.get("/assistants/").get_data(as_text=True)
    ukrainian = client.get("/assistants/?language=uk").get_data(as_text=True)
    bad = client.get("/assistants/?municipality=Moncaleri")

    assert "Ana Popescu" in everyone and "Olena Kovalenko" in everyone
    assert "Olena Kovalenko" in ukrainian and "Ana Popescu" not in ukrainian
    assert bad.status_code == 422
    assert "Moncalieri (TO)" in bad.get_data(as_text=True)


def test_register_page_is_for_operators(client, assistant_user):
    log_in(client, assistant_user)

    assert client.get("/assistants/").status_code == 403


def test_register_page_needs_a_login(client):
    assert client.get("/assistants/").status_code == 401


def test_detail_page_verify_buttons(client, db_session, cpi_torino, make_assistant, factories):
    assistant = make_assistant(status="pending")
    row = factories.AssistantQualificationFactory(assistant_id=assistant.id)
    log_in(client, cpi_torino)

    page = client.get(f"/assistants/{assistant.id}").get_data(as_text=True)
    verify_q = client.post(f"/assistants/{assistant.id}/qualifications/{row.id}/verify")
    verify_a = client.post(f"/assistants/{assistant.id}/verify")

    assert f"/assistants/{assistant.id}/verify" in page
    assert f"/qualifications/{row.id}/verify" in page
    assert 'name="csrf_token"' in page
    assert verify_q.status_code == 302 and verify_a.status_code == 302
    db_session.refresh(row)
    db_session.refresh(assistant)
    assert row.verified_by_user_id == cpi_torino.id
    assert assistant.status == "verified"
    assert audit_actions(db_session) == ["qualification.verify", "assistant.verify"]


def test_no_verify_buttons_for_social_services(client, factories, make_assistant):
    org = factories.OrganizationFactory(kind="social_services")
    operator = factories.OperatorFactory(organization=org)
    assistant = make_assistant(status="pending")
    log_in(client, operator)

    page = client.get(f"/assistants/{assistant.id}").get_data(as_text=True)

    assert f"/assistants/{assistant.id}/verify" not in page
    assert client.post(f"/assistants/{assistant.id}/verify").status_code == 403


def test_operator_registers_an_assistant_at_a_sportello(client, db_session, cpi_torino):
    log_in(client, cpi_torino)

    response = client.post("/assistants/new", data=FORM)

    assert response.status_code == 302
    assistant = db_session.scalar(sa.select(Assistant))
    assert assistant.user_id is None
    assert response.headers["Location"].endswith(f"/assistants/{assistant.id}")


def test_pages_enforce_csrf(client, config_overrides, assistant_user):
    log_in(client, assistant_user)
    client.application.config["WTF_CSRF_ENABLED"] = True

    response = client.post("/assistants/me/edit", data=FORM)

    assert response.status_code == 400
