"""Referrals as plain dicts for the API and the pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from carenet.organizations.models import Organization
from carenet.organizations.presenters import organization_ref
from carenet.referrals.models import Referral


def _organization(session: Session, organization_id: int) -> dict[str, Any]:
    organization = session.get(Organization, organization_id)
    if organization is None:  # pragma: no cover - a foreign key keeps it
        return {"id": organization_id, "code": "", "kind": "", "name": ""}
    return organization_ref(organization)


def present_referral(session: Session, referral: Referral) -> dict[str, Any]:
    """A referral with both organizations named (no health information in it)."""
    return {
        "id": referral.id,
        "household_id": referral.household_id,
        "request_id": referral.request_id,
        "from_organization": _organization(session, referral.from_organization_id),
        "to_organization": _organization(session, referral.to_organization_id),
        "reason": referral.reason,
        "status": referral.status,
        "response_reason": referral.response_reason,
        "consent_given": referral.consent_given,
        "consent_recorded_at": referral.consent_recorded_at,
        "consent_recorded_by_user_id": referral.consent_recorded_by_user_id,
        "created_by_user_id": referral.created_by_user_id,
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
    }
