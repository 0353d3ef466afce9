"""``carenet demo load``: what it creates, the demo logins, and loading only once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.errors import Invalid
from carenet.core.security import verify_password
from carenet.demo.accounts import DEMO_LOGINS
from carenet.demo.places import organization_specs, piemonte_places
from carenet.demo.services import check_can_load
from carenet.families.models import CareRecipient, Household
from carenet.gazetteer import haversine_km
from carenet.organizations.models import Organization
from tests.carenet.demo.conftest import Loaded, load

TORINO, MONCALIERI = "001272", "001156"


def count(session: Session, model: type[Any]) -> int:
    """Rows of ``model``'s table."""
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_load_creates_the_requested_counts(loaded: Loaded, db_session: Session) -> None:
    assert count(db_session, Assistant) == loaded.assistants
    assert count(db_session, CareRequest) == loaded.requests
    assert count(db_session, Household) == loaded.requests
    assert count(db_session, CareRecipient) == loaded.requests
    assert count(db_session, User) == len(DEMO_LOGINS)
    # 8 CPIs, 2 + 7 ASLs, 2 + 7 Enti gestori, the Comune, the agency, the Region.
    assert count(db_session, Organization) == 29
    assert "200 assistants and 30 care requests" in loaded.result.output


def test_load_records_one_audit_event(loaded: Loaded, db_session: Session) -> None:
    events = db_session.scalars(sa.select(AuditEvent)).all()
    assert [(e.action, e.entity_type, e.entity_id) for e in events] == [
        ("demo.loaded", "demo", str(loaded.seed))
    ]
    assert events[0].data["assistants"] == loaded.assistants


def test_every_demo_login_authenticates_with_the_demo_password(
    loaded: Loaded, db_session: Session
) -> None:
    users = {u.email: u for u in db_session.scalars(sa.select(User))}
    assert set(users) == {login.email for login in DEMO_LOGINS}
    for login in DEMO_LOGINS:
        user = users[login.email]
        assert verify_password(user.password_hash, "carenet-demo"), login.email
        assert not verify_password(user.password_hash, "wrong-password")
        assert user.role == login.role
        org_code = user.organization.code if user.organization else None
        assert org_code == login.organization
        assert login.email in loaded.result.output
    assert "carenet-demo" in loaded.result.output


def test_demo_logins_can_log_in_over_http(loaded: Loaded, client: Any) -> None:
    for login in DEMO_LOGINS:
        response = client.post(
            "/api/v1/auth/tokens", json={"email": login.email, "password": "carenet-demo"}
        )
        assert response.status_code == 201, (login.email, response.get_json())


class TestConfiguredPassword:
    """DEMO_PASSWORD sets the password of every demo account."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"DEMO_PASSWORD": "another-demo-secret"}

    def test_password_comes_from_configuration(self, loaded: Loaded, db_session: Session) -> None:
        hashes = db_session.scalars(sa.select(User.password_hash)).all()
        assert len(hashes) == len(DEMO_LOGINS)
        assert all(verify_password(h, "another-demo-secret") for h in hashes)
        assert not any(verify_password(h, "carenet-demo") for h in hashes)


def test_family_login_has_a_household_in_torino_with_an_open_request(
    loaded: Loaded, db_session: Session
) -> None:
    family = db_session.scalars(sa.select(User).where(User.email == "famiglia@carenet.demo")).one()
    household = db_session.scalars(
        sa.select(Household).where(Household.owner_user_id == family.id)
    ).one()
    assert household.municipality_id == TORINO
    (recipient,) = household.recipients
    request = db_session.scalars(
        sa.select(CareRequest).where(CareRequest.recipient_id == recipient.id)
    ).one()
    assert request.status == "open"
    assert request.organization is not None and request.organization.code == "cpi-to"


def test_assistant_login_is_verified_in_moncalieri_with_qualifications(
    loaded: Loaded, db_session: Session
) -> None:
    user = db_session.scalars(sa.select(User).where(User.email == "assistente@carenet.demo")).one()
    assistant = db_session.scalars(sa.select(Assistant).where(Assistant.user_id == user.id)).one()
    assert assistant.status == "verified"
    assert assistant.municipality_id == MONCALIERI
    today = dt.date.today()
    assert {q.qualification_code for q in assistant.qualifications if q.is_valid_on(today)} >= {
        "oss",
        "first_aid",
    }
    assert int.from_bytes(assistant.availability, "little") != 0


def test_if_empty_does_nothing_the_second_time(
    loaded: Loaded, runner: FlaskCliRunner, db_session: Session
) -> None:
    result = load(runner, "--if-empty", "--assistants", "50", "--requests", "5")
    assert result.exit_code == 0, result.output
    assert "demo data not loaded" in result.output
    assert count(db_session, Assistant) == loaded.assistants
    assert count(db_session, CareRequest) == loaded.requests


def test_if_empty_loads_into_an_empty_database(runner: FlaskCliRunner, db_session: Session) -> None:
    result = load(runner, "--if-empty", "--assistants", "20", "--requests", "4")
    assert result.exit_code == 0, result.output
    assert count(db_session, Assistant) == 20
    assert count(db_session, CareRequest) == 4


def test_if_empty_skips_a_database_with_other_users(
    runner: FlaskCliRunner, db_session: Session, factories: Any
) -> None:
    factories.UserFactory(email="someone@example.org")
    result = load(runner, "--if-empty", "--assistants", "20", "--requests", "4")
    assert result.exit_code == 0, result.output
    assert "1 users" in result.output
    assert count(db_session, Assistant) == 0


def test_loading_twice_without_if_empty_fails_and_changes_nothing(
    loaded: Loaded, runner: FlaskCliRunner, db_session: Session
) -> None:
    result = load(runner, "--assistants", "20", "--requests", "4")
    assert result.exit_code == 1
    assert "already loaded" in result.output
    assert count(db_session, Assistant) == loaded.assistants
    assert count(db_session, Organization) == 29


@pytest.mark.parametrize("option", ["--assistants", "--requests"])
def test_counts_below_one_are_refused(
    runner: FlaskCliRunner, db_session: Session, option: str
) -> None:
    result = load(runner, option, "0")
    assert result.exit_code == 2
    assert option in result.output
    assert count(db_session, Organization) == 0


def test_ids_keep_working_after_the_load(loaded: Loaded, db_session: Session) -> None:
    """New rows get fresh ids (on PostgreSQL the sequences were moved past the load)."""
    household = Household(contact_name="Nuova famiglia", municipality_id=TORINO)
    db_session.add(household)
    db_session.commit()
    assert household.id > loaded.requests


def test_load_refuses_without_the_municipalities(app_ctx: Flask, db_session: Session) -> None:
    places = piemonte_places()
    missing = dataclasses.replace(places, istat=(*places.istat, "999999"))
    with pytest.raises(Invalid, match="carenet init"):
        check_can_load(db_session, missing, organization_specs(places))
    assert count(db_session, Organization) == 0


def test_demo_assistant_passes_the_hard_filters_of_the_demo_request(
    loaded: Loaded, db_session: Session
) -> None:
    """The two demo logins meet: the assistant could serve the family's request."""
    assistant = db_session.scalars(
        sa.select(Assistant)
        .join(User, Assistant.user_id == User.id)
        .where(User.email == "assistente@carenet.demo")
    ).one()
    request = db_session.scalars(
        sa.select(CareRequest)
        .join(User, CareRequest.created_by_user_id == User.id)
        .where(User.email == "famiglia@carenet.demo")
    ).one()
    household = request.recipient.household
    assert assistant.lat is not None and assistant.lon is not None
    assert household.lat is not None and household.lon is not None
    km = haversine_km((assistant.lat, assistant.lon), (household.lat, household.lon))
    assert km <= min(request.max_distance_km, assistant.travel_radius_km)
    assert request.arrangement in assistant.arrangements
    needed = int.from_bytes(request.schedule, "little")
    assert needed & int.from_bytes(assistant.availability, "little") == needed
    assert assistant.available_from <= request.start_date
    assert set(request.language_codes(required=True)) <= {
        lang.language for lang in assistant.languages
    }
    assert request.gender in (None, assistant.gender)


@pytest.mark.commits  # an app on a database of its own, not the test's transaction
class TestUnmigratedDatabase:
    """A database without the schema gets a hint instead of a traceback."""

    @pytest.fixture
    def config_overrides(self, tmp_path: Path) -> dict[str, Any]:
        return {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}

    def test_load_asks_for_carenet_init(self, runner: FlaskCliRunner) -> None:
        result = load(runner, "--if-empty")
        assert result.exit_code == 1
        assert "carenet init" in result.output
