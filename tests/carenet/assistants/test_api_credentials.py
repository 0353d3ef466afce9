"""Qualifications, documents and verification through the JSON API."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from carenet.assistants.models import AssistantQualification
from carenet.audit.models import AuditEvent
from tests.carenet.assistants.conftest import MONCALIERI, audit_actions, bearer, row_counts

# Expiry dates still ahead whenever the suite runs: expired ones are refused.
IN_TWO_YEARS = (dt.date.today() + dt.timedelta(days=2 * 365)).isoformat()
IN_SIX_MONTHS = (dt.date.today() + dt.timedelta(days=180)).isoformat()


@pytest.fixture
def moncalieri_assistant(make_assistant):
    """A pending assistant living in Moncalieri (territory of ``cpi_torino``)."""
    return make_assistant(municipality_id=MONCALIERI, status="pending")


def _url(assistant, tail=""):
    return f"/api/v1/assistants/{assistant.id}{tail}"


def test_add_then_verify_a_qualification(client, db_session, cpi_torino, moncalieri_assistant):
    headers = bearer(db_session, cpi_torino)

    added = client.post(
        _url(moncalieri_assistant, "/qualifications"),
        json={"code": "oss", "issued_on": "2019-05-10", "expires_on": None},
        headers=headers,
    )
    assert added.status_code == 201, added.json
    assert added.json["code"] == "oss"
    assert added.json["is_valid_today"] is True
    assert added.json["verified_at"] is None

    verified = client.post(
        _url(moncalieri_assistant, f"/qualifications/{added.json['id']}/verify"), headers=headers
    )

    assert verified.status_code == 200
    row = db_session.get(AssistantQualification, added.json["id"])
    db_session.refresh(row)
    assert row.verified_at is not None
    assert row.verified_by_org_id == cpi_torino.organization_id
    assert row.verified_by_user_id == cpi_torino.id
    assert audit_actions(db_session) == ["qualification.add", "qualification.verify"]


def test_assistant_declares_own_qualification_but_cannot_verify_it(
    client, db_session, factories, make_assistant
):
    user = factories.UserFactory(role="assistant")
    assistant = make_assistant(user_id=user.id, municipality_id=MONCALIERI)
    headers = bearer(db_session, user)

    added = client.post(
        _url(assistant, "/qualifications"),
        json={"code": "first_aid", "issued_on": "2024-01-10", "expires_on": IN_TWO_YEARS},
        headers=headers,
    )
    verify = client.post(
        _url(assistant, f"/qualifications/{added.json['id']}/verify"), headers=headers
    )
    verify_profile = client.post(_url(assistant, "/verify"), headers=headers)

    assert added.status_code == 201
    assert verify.status_code == 403
    assert verify_profile.status_code == 403
    assert audit_actions(db_session) == ["qualification.add"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"code": "oss", "issued_on": "2020-01-01", "expires_on": "2024-03-01"},
            "expires_on",
            "qualification OSS expired on 2024-03-01",
        ),
        (
            {"code": "oss", "issued_on": "2020-01-01", "expires_on": "2019-12-31"},
            "expires_on",
            "not after its issue date 2020-01-01",
        ),
        ({"code": "plumber", "issued_on": "2020-01-01"}, "code", "driving_licence"),
        (
            {"code": "oss", "issued_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
            "issued_on",
            "in the future",
        ),
    ],
)
def test_bad_qualifications_are_422_and_write_nothing(
    client, db_session, cpi_torino, moncalieri_assistant, body, field, message
):
    headers = bearer(db_session, cpi_torino)
    before = row_counts(db_session)

    response = client.post(
        _url(moncalieri_assistant, "/qualifications"), json=body, headers=headers
    )

    assert response.status_code == 422
    assert field in response.json["details"]["fields"]
    assert message in response.json["message"]
    assert row_counts(db_session) == before


def test_unknown_code_lists_every_valid_code(client, db_session, cpi_torino, moncalieri_assistant):
    response = client.post(
        _url(moncalieri_assistant, "/qualifications"),
        json={"code": "plumber", "issued_on": "2020-01-01"},
        headers=bearer(db_session, cpi_torino),
    )

    assert response.json["details"]["valid_codes"] == sorted(
        [
            "adest",
            "assistente_familiare",
            "dementia_care",
            "driving_licence",
            "first_aid",
            "nurse",
            "osa",
            "oss",
            "ota",
        ]
    )


@pytest.mark.parametrize("code", ["adest", "ota"])
def test_a_legacy_qualification_can_be_declared(
    client, db_session, cpi_torino, moncalieri_assistant, code
):
    """Issue 10, item 16: ADEST and OTA, which OSS replaced in 2001, are catalogue codes."""
    added = client.post(
        _url(moncalieri_assistant, "/qualifications"),
        json={"code": code, "issued_on": "1999-06-30"},
        headers=bearer(db_session, cpi_torino),
    )
    assert added.status_code == 201, added.json
    assert added.json["code"] == code


def test_a_qualification_is_declared_once(client, db_session, cpi_torino, moncalieri_assistant):
    headers = bearer(db_session, cpi_torino)
    body = {"code": "oss", "issued_on": "2019-05-10"}

    first = client.post(_url(moncalieri_assistant, "/qualifications"), json=body, headers=headers)
    second = client.post(_url(moncalieri_assistant, "/qualifications"), json=body, headers=headers)

    assert (first.status_code, second.status_code) == (201, 409)
    assert row_counts(db_session)["assistant_qualification"] == 1


def test_remove_a_qualification(client, db_session, cpi_torino, moncalieri_assistant, factories):
    row = factories.AssistantQualificationFactory(assistant_id=moncalieri_assistant.id)
    headers = bearer(db_session, cpi_torino)

    response = client.delete(
        _url(moncalieri_assistant, f"/qualifications/{row.id}"), headers=headers
    )
    again = client.delete(_url(moncalieri_assistant, f"/qualifications/{row.id}"), headers=headers)

    assert response.status_code == 204
    assert again.status_code == 404
    assert row_counts(db_session)["assistant_qualification"] == 0
    assert audit_actions(db_session) == ["qualification.remove"]


def test_verify_and_suspend_a_profile(client, db_session, cpi_torino, moncalieri_assistant):
    headers = bearer(db_session, cpi_torino)

    verified = client.post(_url(moncalieri_assistant, "/verify"), headers=headers)
    suspended = client.post(
        _url(moncalieri_assistant, "/suspend"), json={"reason": "permesso scaduto"}, headers=headers
    )

    assert verified.status_code == 200
    assert verified.json["status"] == "verified"
    assert verified.json["verified_by_org_id"] == cpi_torino.organization_id
    assert suspended.json["status"] == "suspended"
    events = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["assistant.verify", "assistant.suspend"]
    assert events[1].data["reason"] == "permesso scaduto"


def test_social_services_see_but_do_not_verify(client, db_session, factories, moncalieri_assistant):
    org = factories.OrganizationFactory(kind="social_services", territory_codes=[MONCALIERI])
    operator = factories.OperatorFactory(organization=org)
    headers = bearer(db_session, operator)

    assert client.get(_url(moncalieri_assistant), headers=headers).status_code == 200
    assert client.post(_url(moncalieri_assistant, "/verify"), headers=headers).status_code == 403


def test_add_documents(client, db_session, cpi_torino, moncalieri_assistant):
    headers = bearer(db_session, cpi_torino)

    ok = client.post(
        _url(moncalieri_assistant, "/documents"),
        json={"kind": "residence_permit", "expires_on": IN_SIX_MONTHS},
        headers=headers,
    )
    expired = client.post(
        _url(moncalieri_assistant, "/documents"),
        json={"kind": "passport", "expires_on": "2020-06-30"},
        headers=headers,
    )
    with_number = client.post(
        _url(moncalieri_assistant, "/documents"),
        json={"kind": "passport", "number": "YA1234567"},
        headers=headers,
    )

    assert ok.status_code == 201
    assert ok.json["kind"] == "residence_permit"
    assert expired.status_code == 422
    assert "2020-06-30" in expired.json["message"]
    assert with_number.status_code == 422
    assert row_counts(db_session)["assistant_document"] == 1
    profile = client.get(_url(moncalieri_assistant), headers=headers).json
    assert [d["expires_on"] for d in profile["documents"]] == [IN_SIX_MONTHS]
