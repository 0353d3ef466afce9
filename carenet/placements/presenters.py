"""Placements as pages and the API show them: terms, schedule text, buono."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.assistants.models import Assistant
from carenet.care_requests.models import CareRequest
from carenet.placements.models import Placement
from carenet.placements.services import TERM_REACHED, buono_eligibility
from matching import Schedule

FIELDS = (
    "id",
    "request_id",
    "assistant_id",
    "proposal_id",
    "arrangement",
    "ccnl_level",
    "weekly_hours",
    "start_date",
    "end_date",
    "status",
    "ended_at",
    "end_reason",
    "family_rating",
    "family_feedback",
    "assistant_rating",
    "assistant_feedback",
    "created_by_user_id",
    "created_at",
    "updated_at",
)


def present_placement(session: Session, placement: Placement) -> dict[str, Any]:
    """A placement as a dict for pages and the API."""
    schedule = Schedule.from_bytes(placement.schedule)
    care_request = session.get(CareRequest, placement.request_id)
    assistant = session.get(Assistant, placement.assistant_id)
    assert care_request is not None and assistant is not None  # foreign keys
    eligible, reasons = buono_eligibility(placement)
    out: dict[str, Any] = {name: getattr(placement, name) for name in FIELDS}
    if placement.end_reason == TERM_REACHED:
        out["end_reason"] = _("The planned end date was reached.")
    out.update(
        household_id=care_request.recipient.household_id,
        assistant_name=assistant.display_name,
        schedule={
            "it": schedule.format("it"),
            "en": schedule.format("en"),
            "hours": schedule.hours,
        },
        buono_domiciliarita={"eligible": eligible, "reasons": reasons},
    )
    return out
