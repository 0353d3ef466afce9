"""Marshmallow schemas of the placements API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.care_requests.schemas import (
    SCHEDULE_HELP,
    BuonoDomiciliaritaSchema,
    RequestScheduleSchema,
)
from carenet.core.api import PageQuery, identifier, text
from carenet.core.responses import ResponseSchema
from carenet.core.vocab import ARRANGEMENTS, CCNL_LEVELS
from carenet.placements.models import PLACEMENT_STATUSES
from carenet.placements.services import SIDES


class PlacementCreateSchema(ma.Schema):
    """A placement from an accepted proposal, with its contract terms."""

    proposal_id = identifier(required=True)
    ccnl_level = ma.fields.String(
        required=True,
        validate=validate.OneOf(CCNL_LEVELS),
        metadata={"description": "Not below the level the request implies or asks for"},
    )
    weekly_hours = ma.fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=168),
        metadata={"description": "Must equal the schedule's hours; omit to derive it"},
    )
    schedule = text(500, 1, required=True, metadata={"description": SCHEDULE_HELP})
    start_date = ma.fields.Date(required=True, metadata={"description": "Not in the past"})
    end_date = ma.fields.Date(
        allow_none=True, metadata={"description": "Null or omitted: open-ended contract"}
    )


class PlacementEndSchema(ma.Schema):
    """The end of a placement."""

    end_reason = text(
        2000, 1, multiline=True, required=True, metadata={"description": "Why it ends"}
    )
    ended_on = ma.fields.Date(
        allow_none=True,
        metadata={
            "description": "Last day of work (default: today), not before the start (refused, "
            "never moved); a placement that has not started is called off: omit it, or give "
            "the start date"
        },
    )


class PlacementFeedbackSchema(ma.Schema):
    """One side's feedback, given once."""

    side = ma.fields.String(required=True, validate=validate.OneOf(SIDES))
    rating = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    text = text(2000, multiline=True, metadata={"description": "Optional words"})


class PlacementListQuery(PageQuery):
    """Filters of the placement list."""

    status = ma.fields.String(validate=validate.OneOf(PLACEMENT_STATUSES))


class PlacementSchema(ResponseSchema):
    """A placement: terms, status, feedback and Buono domiciliarita' eligibility."""

    id = ma.fields.Integer(required=True)
    request_id = ma.fields.Integer(required=True)
    household_id = ma.fields.Integer(required=True)
    assistant_id = ma.fields.Integer(required=True)
    assistant_name = ma.fields.String(required=True)
    proposal_id = ma.fields.Integer(required=True, allow_none=True)
    arrangement = ma.fields.String(required=True, validate=validate.OneOf(ARRANGEMENTS))
    ccnl_level = ma.fields.String(required=True, validate=validate.OneOf(CCNL_LEVELS))
    weekly_hours = ma.fields.Integer(required=True)
    schedule = ma.fields.Nested(RequestScheduleSchema, required=True)
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(required=True, allow_none=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(PLACEMENT_STATUSES))
    ended_at = ma.fields.DateTime(required=True, allow_none=True)
    end_reason = ma.fields.String(required=True)
    family_rating = ma.fields.Integer(required=True, allow_none=True)
    family_feedback = ma.fields.String(required=True)
    assistant_rating = ma.fields.Integer(required=True, allow_none=True)
    assistant_feedback = ma.fields.String(required=True)
    buono_domiciliarita = ma.fields.Nested(BuonoDomiciliaritaSchema, required=True)
    created_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class PlacementPageSchema(ResponseSchema):
    """A page of placements."""

    items = ma.fields.List(ma.fields.Nested(PlacementSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
