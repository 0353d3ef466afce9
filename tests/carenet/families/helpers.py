"""Helpers shared by the families and care-requests tests: tokens, logins, a small world."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from tests.helpers import bearer, log_in

__all__ = [
    "CUNEO",
    "MONCALIERI",
    "TORINO",
    "World",
    "bearer",
    "build_world",
    "count",
    "events",
    "login",
]

TORINO, MONCALIERI, CUNEO = "001272", "001156", "004078"

# The shared helpers, under the names these tests use.
login = log_in


def count(db_session: Session, model: Any) -> int:
    """Rows of ``model`` as committed right now (a new transaction, so no stale snapshot)."""
    db_session.commit()
    value = db_session.scalar(sa.select(sa.func.count()).select_from(model))
    db_session.commit()
    return int(value or 0)


def events(db_session: Session, action: str, entity_type: str | None = None) -> list[AuditEvent]:
    """Audit events with ``action`` (and entity type), oldest first."""
    db_session.commit()
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)
    rows = list(db_session.scalars(stmt.order_by(AuditEvent.id)))
    db_session.commit()
    return rows


@dataclass
class World:
    """Two territories (Torino, Cuneo) with their operators, families and households."""

    cpi_torino: User
    cpi_cuneo: User
    asl_torino: User
    comune_torino: User
    region: User
    family_torino: User
    family_cuneo: User
    assistant: User
    household_torino: Any
    household_cuneo: Any
    recipient_torino: Any
    recipient_cuneo: Any


def build_world(factories: Any) -> World:
    """Organizations, users and one household with one recipient in each territory."""
    f = factories
    org = f.OrganizationFactory
    # English, so that tests can read the messages; one test checks the Italian ones.
    user = functools.partial(f.UserFactory, locale="en")
    operator = functools.partial(f.OperatorFactory, locale="en")
    cpi_to = org(kind="cpi", territory_codes=[TORINO, MONCALIERI])
    cpi_cn = org(kind="cpi", territory_codes=[CUNEO])
    asl_to = org(kind="health_authority", territory_codes=[TORINO, MONCALIERI])
    comune_to = org(kind="municipality", territory_codes=[TORINO])
    region = org(kind="region", territory_codes=[TORINO, CUNEO])
    family_to = user(role="family")
    family_cn = user(role="family")
    household_to = f.HouseholdFactory(owner_user_id=family_to.id, municipality_id=TORINO)
    household_cn = f.HouseholdFactory(owner_user_id=family_cn.id, municipality_id=CUNEO)
    return World(
        cpi_torino=operator(organization=cpi_to),
        cpi_cuneo=operator(organization=cpi_cn),
        asl_torino=operator(organization=asl_to),
        comune_torino=operator(organization=comune_to),
        region=operator(organization=region),
        family_torino=family_to,
        family_cuneo=family_cn,
        assistant=user(role="assistant"),
        household_torino=household_to,
        household_cuneo=household_cn,
        recipient_torino=f.CareRecipientFactory(
            household=household_to, self_sufficiency="non_self_sufficient"
        ),
        recipient_cuneo=f.CareRecipientFactory(
            household=household_cn, self_sufficiency="self_sufficient"
        ),
    )
