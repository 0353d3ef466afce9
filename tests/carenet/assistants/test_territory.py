"""Territory isolation: an operator only lists, reads, changes and verifies assistants of
their own territory, through the API and through the pages; the answer elsewhere is 404."""

from __future__ import annotations

import pytest

from tests.carenet.assistants.conftest import CUNEO, TORINO, audit_actions, bearer, log_in


@pytest.fixture
def in_cuneo(make_assistant):
    return make_assistant(display_name="Olena Cuneo", municipality_id=CUNEO, status="pending")


@pytest.fixture
def in_torino(make_assistant):
    return make_assistant(display_name="Ana Torino", municipality_id=TORINO, status="pending")


def _api_attempts(client, headers, assistant):
    """Status of each operation an operator can try on ``assistant``."""
    base = f"/api/v1/assistants/{assistant.id}"
    listing = client.get("/api/v1/assistants", headers=headers).json
    return {
        "listed": assistant.id in [item["id"] for item in listing["items"]],
        "read": client.get(base, headers=headers).status_code,
        "change": client.patch(base, json={"years_experience": 9}, headers=headers).status_code,
        "add_qualification": client.post(
            f"{base}/qualifications",
            json={"code": "oss", "issued_on": "2019-01-01"},
            headers=headers,
        ).status_code,
        "verify": client.post(f"{base}/verify", headers=headers).status_code,
        "suspend": client.post(f"{base}/suspend", json={}, headers=headers).status_code,
    }


def test_torino_operator_cannot_touch_a_cuneo_assistant_via_api(
    client, db_session, cpi_torino, in_cuneo
):
    attempts = _api_attempts(client, bearer(db_session, cpi_torino), in_cuneo)

    assert attempts == {
        "listed": False,
        "read": 404,
        "change": 404,
        "add_qualification": 404,
        "verify": 404,
        "suspend": 404,
    }
    assert audit_actions(db_session) == []


def test_cuneo_operator_can_via_api(client, db_session, cpi_cuneo, in_cuneo):
    attempts = _api_attempts(client, bearer(db_session, cpi_cuneo), in_cuneo)

    assert attempts == {
        "listed": True,
        "read": 200,
        "change": 200,
        "add_qualification": 201,
        "verify": 200,
        "suspend": 200,
    }


def test_and_the_other_way_round_via_api(client, db_session, cpi_cuneo, cpi_torino, in_torino):
    assert _api_attempts(client, bearer(db_session, cpi_cuneo), in_torino)["read"] == 404
    assert _api_attempts(client, bearer(db_session, cpi_torino), in_torino)["verify"] == 200


def test_a_qualification_of_an_outside_assistant_cannot_be_verified(
    client, db_session, cpi_torino, in_cuneo, factories
):
    row = factories.AssistantQualificationFactory(assistant_id=in_cuneo.id)

    response = client.post(
        f"/api/v1/assistants/{in_cuneo.id}/qualifications/{row.id}/verify",
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code == 404
    db_session.refresh(row)
    assert row.verified_at is None


def test_an_operator_cannot_move_an_assistant_out_of_the_territory(
    client, db_session, cpi_torino, in_torino
):
    response = client.patch(
        f"/api/v1/assistants/{in_torino.id}",
        json={"municipality": CUNEO},
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code == 422
    assert "territory" in response.json["message"]


def test_an_operator_cannot_register_outside_the_territory(client, db_session, cpi_torino):
    from tests.carenet.assistants.conftest import PROFILE, row_counts

    response = client.post(
        "/api/v1/assistants",
        json={**PROFILE, "municipality": "Cuneo", "province": "CN"},
        headers=bearer(db_session, cpi_torino),
    )

    assert response.status_code == 422
    assert row_counts(db_session)["assistant"] == 0


def test_an_assistant_cannot_read_another_assistant(
    client, db_session, factories, make_assistant, in_torino
):
    user = factories.UserFactory(role="assistant")
    own = make_assistant(user_id=user.id)
    headers = bearer(db_session, user)

    assert client.get(f"/api/v1/assistants/{own.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/assistants/{in_torino.id}", headers=headers).status_code == 404
    assert (
        client.patch(
            f"/api/v1/assistants/{in_torino.id}", json={"bio": "x"}, headers=headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/assistants", headers=headers).status_code == 403
    with client:
        log_in(client, user)
        assert client.get(f"/assistants/{in_torino.id}").status_code == 404


def test_region_staff_and_families_get_403(client, db_session, factories, in_torino):
    region = factories.OperatorFactory(
        organization=factories.OrganizationFactory(kind="region", territory_codes=[TORINO])
    )
    family = factories.UserFactory(role="family")

    for user in (region, family):
        headers = bearer(db_session, user)
        assert client.get("/api/v1/assistants", headers=headers).status_code == 403
        assert client.get(f"/api/v1/assistants/{in_torino.id}", headers=headers).status_code == 403


def _page_attempts(client, assistant):
    """Status of each page an operator can try on ``assistant``."""
    listing = client.get("/assistants/").get_data(as_text=True)
    return {
        "listed": assistant.display_name in listing,
        "read": client.get(f"/assistants/{assistant.id}").status_code,
        "edit_form": client.get(f"/assistants/{assistant.id}/edit").status_code,
        "change": client.post(
            f"/assistants/{assistant.id}/edit", data={"display_name": "X"}
        ).status_code,
        "verify": client.post(f"/assistants/{assistant.id}/verify").status_code,
    }


def test_torino_operator_cannot_touch_a_cuneo_assistant_via_pages(
    client, db_session, cpi_torino, in_cuneo
):
    log_in(client, cpi_torino)

    assert _page_attempts(client, in_cuneo) == {
        "listed": False,
        "read": 404,
        "edit_form": 404,
        "change": 404,
        "verify": 404,
    }
    db_session.refresh(in_cuneo)
    assert (in_cuneo.display_name, in_cuneo.status) == ("Olena Cuneo", "pending")


def test_cuneo_operator_can_via_pages(client, db_session, cpi_cuneo, in_cuneo):
    log_in(client, cpi_cuneo)

    attempts = _page_attempts(client, in_cuneo)

    # The edit POST is incomplete on purpose: the form answers 422, not 404.
    assert attempts == {
        "listed": True,
        "read": 200,
        "edit_form": 200,
        "change": 422,
        "verify": 302,
    }
    db_session.refresh(in_cuneo)
    assert in_cuneo.status == "verified"


def test_and_the_other_way_round_via_pages(client, cpi_cuneo, in_torino):
    log_in(client, cpi_cuneo)

    assert client.get(f"/assistants/{in_torino.id}").status_code == 404
    assert client.post(f"/assistants/{in_torino.id}/verify").status_code == 404
