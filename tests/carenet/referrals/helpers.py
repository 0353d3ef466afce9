"""A world for the referral and audit tests: two territories plus an agency and an admin."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import User
from tests.carenet.families.helpers import World, bearer, build_world


@dataclass
class ReferralWorld:
    """``build_world`` plus a second Cuneo CPI operator, an agency, an admin and a request."""

    base: World
    cpi_cuneo_2: User
    agency: User
    admin: User
    request_torino: Any
    request_cuneo: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.base, name)


def build_referral_world(factories: Any) -> ReferralWorld:
    """Torino's household (with an open request) is outside Cuneo's and the agency's scope."""
    base = build_world(factories)
    operator = functools.partial(factories.OperatorFactory, locale="en")
    agency_org = factories.OrganizationFactory(kind="agency", territory_codes=[])
    return ReferralWorld(
        base=base,
        cpi_cuneo_2=operator(organization=base.cpi_cuneo.organization),
        agency=operator(organization=agency_org),
        admin=factories.UserFactory(role="admin", locale="en"),
        request_torino=factories.CareRequestFactory(recipient=base.recipient_torino),
        request_cuneo=factories.CareRequestFactory(recipient=base.recipient_cuneo),
    )


def refer(
    client: FlaskClient,
    db_session: Session,
    sender: User,
    household_id: int,
    to_organization_id: int,
    **changes: Any,
) -> Any:
    """POST a referral with consent as ``sender``; returns the response."""
    body = {
        "household_id": household_id,
        "to_organization_id": to_organization_id,
        "reason": "Needs a night assistant; please take over the search.",
        "consent_given": True,
        **changes,
    }
    return client.post("/api/v1/referrals", json=body, headers=bearer(db_session, sender))


def act(
    client: FlaskClient, db_session: Session, user: User, referral_id: int, action: str, **body: Any
) -> Any:
    """POST a transition as ``user``."""
    return client.post(
        f"/api/v1/referrals/{referral_id}/{action}",
        json=body,
        headers=bearer(db_session, user),
    )
