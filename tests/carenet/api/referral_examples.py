"""Example referrals and audit events for the schemathesis run, so that the referral,
timeline and access-log operations return real records and not only errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from carenet.audit.models import AuditEvent
from carenet.auth.models import User
from carenet.referrals.models import Referral


def add_referral_examples(factories: Any, db_session: Session, operator: User) -> None:
    """Referrals to and from the operator's CPI, and events on one of its households."""
    other = factories.OrganizationFactory(kind="agency", territory_codes=[])
    now = dt.datetime.now(dt.UTC)
    care_request = factories.CareRequestFactory()
    household_id = care_request.recipient.household_id
    rows = [
        (operator.organization_id, other.id, "pending"),
        (other.id, operator.organization_id, "pending"),
        (other.id, operator.organization_id, "accepted"),
    ]
    for from_id, to_id, status in rows:
        db_session.add(
            Referral(
                from_organization_id=from_id,
                to_organization_id=to_id,
                household_id=household_id,
                request_id=care_request.id,
                reason="Example referral",
                consent_given=True,
                consent_recorded_at=now,
                consent_recorded_by_user_id=operator.id,
                status=status,
                response_reason="",
                created_by_user_id=operator.id,
            )
        )
    db_session.add_all(
        [
            AuditEvent(
                actor_user_id=operator.id,
                organization_id=operator.organization_id,
                action="household.update",
                entity_type="household",
                entity_id=str(household_id),
                data={"fields": ["phone"]},
            ),
            AuditEvent(
                actor_user_id=operator.id,
                organization_id=operator.organization_id,
                action="health.read",
                entity_type="care_recipient",
                entity_id=str(care_request.recipient_id),
                request_id="example",
                data={"fields": ["self_sufficiency", "conditions"]},
            ),
        ]
    )
    db_session.commit()
