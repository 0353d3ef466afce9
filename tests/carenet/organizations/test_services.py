"""Organization services: territory expansion and creation."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.core.db import db
from carenet.core.errors import Conflict, Invalid
from carenet.gazetteer import get_gazetteer
from carenet.organizations import services
from carenet.organizations.models import Organization, organization_territory
from tests.factories import MONCALIERI, TORINO


def test_a_province_expands_to_every_comune_of_the_gazetteer(app_ctx: Flask) -> None:
    expected = {c.istat for c in get_gazetteer() if c.province == "TO"}
    assert len(expected) > 300
    assert services.expand_territory(db.session, "TO") == sorted(expected)


def test_tokens_mix_provinces_codes_names_and_regions(app_ctx: Flask) -> None:
    gazetteer = get_gazetteer()
    codes = services.expand_territory(db.session, " at , 1272, Moncalieri ")
    asti = {c.istat for c in gazetteer if c.province == "AT"}
    assert set(codes) == asti | {TORINO, MONCALIERI}
    piemonte = services.expand_territory(db.session, ["region:Piemonte"])
    assert set(piemonte) == {c.istat for c in gazetteer if c.region_code == "01"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("ZZ", "ZZ is not a province abbreviation."),
        ("999999", "999999 is not the ISTAT code of a comune."),
        ("region:Atlantide", "region:Atlantide does not name a region."),
        ("", "The territory is empty"),
    ],
)
def test_bad_territory_tokens_are_named(app_ctx: Flask, spec: str, message: str) -> None:
    with pytest.raises(Invalid) as error:
        services.expand_territory(db.session, spec)
    assert message in error.value.message
    assert "territory" in error.value.details["fields"]


def test_create_organization_with_a_province_and_audit_it(app_ctx: Flask) -> None:
    organization = services.create_organization(
        db.session, None, code="CPI-Torino", kind="cpi", name="CPI Torino", territory="TO"
    )
    db.session.commit()
    count = db.session.scalar(
        sa.select(sa.func.count()).where(
            organization_territory.c.organization_id == organization.id
        )
    )
    assert organization.code == "cpi-torino"
    assert count == len(get_gazetteer().in_province("TO"))
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organization.created")
    )
    assert event is not None and event.entity_id == str(organization.id)


def test_create_organization_reports_every_bad_field_and_writes_nothing(
    app_ctx: Flask,
) -> None:
    with pytest.raises(Invalid) as error:
        services.create_organization(
            db.session, None, code="x", kind="bakery", name=" ", territory="TO"
        )
    assert set(error.value.details["fields"]) == {"code", "kind", "name"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 0


def test_duplicate_code_is_a_conflict(app_ctx: Flask, factories: Any) -> None:
    factories.OrganizationFactory(code="cpi-torino")
    with pytest.raises(Conflict):
        services.create_organization(
            db.session, None, code="cpi-torino", kind="cpi", name="Again", territory="TO"
        )


def test_extend_and_set_territory(app_ctx: Flask, db_session: Session) -> None:
    organization = services.create_organization(
        db.session, None, code="asl-to5", kind="health_authority", name="ASL TO5", territory="1272"
    )
    services.extend_territory(db.session, None, organization, f"{MONCALIERI}, {TORINO}")
    assert sorted(m.istat for m in organization.territory) == [MONCALIERI, TORINO]
    services.set_territory(db.session, None, organization, "AT")
    assert len(organization.territory) == len(get_gazetteer().in_province("AT"))
    assert TORINO not in {m.istat for m in organization.territory}
