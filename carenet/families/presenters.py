"""Households and assessments as the API shows them (recipients: ``services.present_recipient``,
which the pages share, with its audited health read)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.families.models import Assessment, Household
from carenet.families.services import present_recipient
from carenet.gazetteer.presenters import comune_ref

HOUSEHOLD_FIELDS = ("id", "owner_user_id", "created_by_user_id", "contact_name", "phone")
ASSESSMENT_FIELDS = (
    "id",
    "recipient_id",
    "organization_id",
    "assessed_by_user_id",
    "assessed_on",
    "self_sufficiency",
    "score",
    "notes",
    "created_at",
)


def present_household_summary(household: Household) -> dict[str, Any]:
    """A household in a list: contact, place, no people."""
    out = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    out.update(
        municipality=comune_ref(household.municipality),
        address=household.address,
        lat=household.lat,
        lon=household.lon,
        created_at=household.created_at,
        updated_at=household.updated_at,
    )
    return out


def present_household(session: Session, actor: User, household: Household) -> dict[str, Any]:
    """A household with its recipients, health fields filtered and audited."""
    return {
        **present_household_summary(household),
        "recipients": [present_recipient(session, actor, r) for r in household.recipients],
    }


def present_assessment(assessment: Assessment) -> dict[str, Any]:
    """A recorded needs assessment."""
    return {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
