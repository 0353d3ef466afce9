"""Care requests as pages and the API show them: schedule text, hours, level, buono."""

from __future__ import annotations

from typing import Any

from carenet.care_requests import rules
from carenet.care_requests.models import CareRequest
from carenet.care_requests.services import SCALAR_FIELDS
from matching import Schedule


def buono_eligibility(care_request: CareRequest) -> tuple[bool, list[str]]:
    """Whether the request could qualify for the Buono domiciliarita', with the reasons."""
    return rules.buono_domiciliarita(
        care_request.duration_months, care_request.weekly_hours, care_request.ccnl_level
    )


def schedule_of(care_request: CareRequest) -> Schedule:
    """The request's weekly schedule."""
    return Schedule.from_bytes(care_request.schedule)


def present_request(care_request: CareRequest) -> dict[str, Any]:
    """A request as a dict for pages and the API: schedule text, hours, level, buono."""
    schedule = schedule_of(care_request)
    eligible, reasons = buono_eligibility(care_request)
    household = care_request.recipient.household
    out: dict[str, Any] = {name: getattr(care_request, name) for name in SCALAR_FIELDS}
    out.update(
        id=care_request.id,
        recipient_id=care_request.recipient_id,
        household_id=household.id,
        municipality=household.municipality,
        schedule={
            "it": schedule.format("it"),
            "en": schedule.format("en"),
            "hours": schedule.hours,
        },
        ccnl_level=care_request.ccnl_level,
        status=care_request.status,
        created_by_user_id=care_request.created_by_user_id,
        required_qualifications=care_request.qualification_codes(required=True),
        preferred_qualifications=care_request.qualification_codes(required=False),
        required_languages=care_request.language_codes(required=True),
        preferred_languages=care_request.language_codes(required=False),
        buono_domiciliarita={"eligible": eligible, "reasons": reasons},
        created_at=care_request.created_at,
        updated_at=care_request.updated_at,
    )
    return out
