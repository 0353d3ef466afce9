"""``carenet org ...``: creating organizations with provinces, listing them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from carenet.gazetteer import get_gazetteer
from carenet.organizations.models import Organization

CREATE = ["org", "create", "--code", "cpi-torino", "--kind", "cpi", "--name", "CPI Torino"]


def _organizations(session: Session) -> list[Organization]:
    session.expire_all()
    return list(session.scalars(sa.select(Organization)))


def test_create_with_a_province_then_list(runner: FlaskCliRunner, db_session: Session) -> None:
    result = runner.invoke(args=[*CREATE, "--territory", "TO"])
    assert result.exit_code == 0, result.output
    expected = len(get_gazetteer().in_province("TO"))
    assert f"with {expected} comuni" in result.output
    [organization] = _organizations(db_session)
    assert len(organization.territory) == expected

    listing = runner.invoke(args=["org", "list"])
    assert listing.exit_code == 0
    assert f"cpi-torino\tcpi\t{expected} comuni\tCPI Torino" in listing.output


def test_create_refuses_duplicates_and_bad_territories(
    runner: FlaskCliRunner, db_session: Session, factories: Any
) -> None:
    bad = runner.invoke(args=[*CREATE, "--territory", "TO,XX"])
    assert bad.exit_code != 0
    assert "XX is not a province abbreviation." in bad.output
    assert _organizations(db_session) == []

    factories.OrganizationFactory(code="cpi-torino")
    duplicate = runner.invoke(args=[*CREATE, "--territory", "TO"])
    assert duplicate.exit_code != 0
    assert "An organization with the code cpi-torino already exists." in duplicate.output


def test_create_refuses_an_unknown_kind(runner: FlaskCliRunner, db_session: Session) -> None:
    args = [
        "org",
        "create",
        "--code",
        "x-1",
        "--kind",
        "bakery",
        "--name",
        "X",
        "--territory",
        "TO",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "bakery" in result.output
    assert _organizations(db_session) == []


def test_territory_command_extends_and_replaces(
    runner: FlaskCliRunner, db_session: Session
) -> None:
    assert runner.invoke(args=[*CREATE, "--territory", "001272"]).exit_code == 0
    extended = runner.invoke(args=["org", "territory", "--code", "cpi-torino", "--territory", "AT"])
    assert extended.exit_code == 0, extended.output
    asti = len(get_gazetteer().in_province("AT"))
    assert len(_organizations(db_session)[0].territory) == asti + 1
    replaced = runner.invoke(
        args=["org", "territory", "--code", "cpi-torino", "--territory", "1272", "--replace"]
    )
    assert replaced.exit_code == 0
    assert [m.istat for m in _organizations(db_session)[0].territory] == ["001272"]
