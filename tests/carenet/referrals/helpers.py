"""Helpers of the referral and audit tests (their world is ``tests.factories.ReferralWorld``)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import User
from tests.carenet.families.helpers import bearer
from tests.factories import ReferralWorld

__all__ = ["ReferralWorld", "act", "refer"]


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
