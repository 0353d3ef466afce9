"""Marshmallow schemas of the care-requests API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import PageQuery, identifier, text
from carenet.core.responses import ResponseSchema
from carenet.core.vocab import (
    ARRANGEMENTS,
    CCNL_LEVELS,
    GENDER_PREFERENCES,
    GENDERS,
    LANGUAGES,
    REQUEST_STATUSES,
)
from carenet.gazetteer.schemas import ComuneRefSchema

HEALTH_DERIVED = (
    "Health information (the level reveals whether the person is self-sufficient): omitted "
    "unless the caller may read it"
)
HEALTH_CODES = (
    "Catalogue codes; those that reveal health (dementia care, nursing) are left out unless "
    "the caller may read health information"
)
SCHEDULE_HELP = (
    "Weekly hours as readable ranges, Italian or English day names: "
    "'lun-ven 08:00-12:00, sab 09:00-11:00' or 'Mon-Fri 08:00-12:00'"
)


def _codes(max_items: int, max_length: int, description: str) -> ma.fields.List:
    """Catalogue codes: the catalogue is data, so the service checks which exist."""
    return ma.fields.List(
        text(max_length, 1),
        validate=validate.Length(max=max_items),
        metadata={"description": description},
    )


def _languages(description: str) -> ma.fields.List:
    """Language codes: a fixed vocabulary, listed in the document (the service checks
    them, with a message that names the valid ones in the reader's language)."""
    return ma.fields.List(
        ma.fields.String(metadata={"enum": list(LANGUAGES)}),
        validate=validate.Length(max=len(LANGUAGES)),
        metadata={"description": description},
    )


class _RequestFields(ma.Schema):
    """Fields shared by creation and change (none required here)."""

    arrangement = ma.fields.String(validate=validate.OneOf(ARRANGEMENTS))
    live_in_part_time = ma.fields.Boolean()
    schedule = text(500, 1, metadata={"description": SCHEDULE_HELP})
    weekly_hours = ma.fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=168),
        metadata={"description": "Must equal the schedule's hours; omit to derive it"},
    )
    start_date = ma.fields.Date(metadata={"description": "Not in the past"})
    duration_months = ma.fields.Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=120),
        metadata={"description": "Null for an open-ended contract"},
    )
    required_qualifications = _codes(20, 40, "Qualification catalogue codes (e.g. oss)")
    preferred_qualifications = _codes(20, 40, "Qualification catalogue codes")
    required_languages = _languages("Language codes (e.g. it, ro)")
    preferred_languages = _languages("Language codes")
    gender_preference = ma.fields.String(validate=validate.OneOf(GENDER_PREFERENCES))
    gender = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(GENDERS),
        metadata={"description": "Needed unless gender_preference is none (then ignored)"},
    )
    max_distance_km = ma.fields.Float(validate=validate.Range(min=1, max=300))
    ccnl_level = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(CCNL_LEVELS),
        metadata={"description": "Ask for a level above the implied one; null: implied level"},
    )
    budget_eur_month = ma.fields.Integer(
        allow_none=True, validate=validate.Range(min=0, max=100_000)
    )
    has_voucher = ma.fields.Boolean()
    organization_id = identifier(
        allow_none=True,
        metadata={"description": "Organization handling it; default: the operator's own"},
    )
    notes = text(2000, multiline=True)


class CareRequestCreateSchema(_RequestFields):
    """A new care request."""

    recipient_id = identifier(required=True)
    arrangement = ma.fields.String(required=True, validate=validate.OneOf(ARRANGEMENTS))
    schedule = text(500, 1, required=True, metadata={"description": SCHEDULE_HELP})
    start_date = ma.fields.Date(required=True, metadata={"description": "Not in the past"})
    max_distance_km = ma.fields.Float(required=True, validate=validate.Range(min=1, max=300))
    status = ma.fields.String(
        validate=validate.OneOf(("draft", "open")),
        metadata={"description": "draft (default) or open (submitted at once)"},
    )


class CareRequestUpdateSchema(_RequestFields):
    """Changes to a draft or open request; every field optional."""


class CareRequestListQuery(PageQuery):
    """Filters of the request list."""

    status = ma.fields.String(validate=validate.OneOf(REQUEST_STATUSES))
    arrangement = ma.fields.String(validate=validate.OneOf(ARRANGEMENTS))
    municipality = ma.fields.String(
        validate=validate.Regexp(r"^\d{6}\Z"),
        metadata={"description": "ISTAT code of the household's comune"},
    )


class RequestScheduleSchema(ResponseSchema):
    """A weekly schedule, readable in Italian and English, with its hours."""

    it = ma.fields.String(required=True)
    en = ma.fields.String(required=True)
    hours = ma.fields.Integer(required=True)


class BuonoDomiciliaritaSchema(ResponseSchema):
    """Whether the request could qualify for Piemonte's Buono domiciliarita'."""

    eligible = ma.fields.Boolean(required=True)
    reasons = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "The conditions met (eligible) or not met (not eligible)"},
    )


class CareRequestSchema(ResponseSchema):
    """A care request."""

    id = ma.fields.Integer(required=True)
    recipient_id = ma.fields.Integer(required=True)
    household_id = ma.fields.Integer(required=True)
    municipality = ma.fields.Nested(ComuneRefSchema, required=True)
    arrangement = ma.fields.String(required=True, validate=validate.OneOf(ARRANGEMENTS))
    live_in_part_time = ma.fields.Boolean(required=True)
    schedule = ma.fields.Nested(RequestScheduleSchema, required=True)
    weekly_hours = ma.fields.Integer(required=True)
    start_date = ma.fields.Date(required=True)
    duration_months = ma.fields.Integer(required=True, allow_none=True)
    required_qualifications = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": HEALTH_CODES}
    )
    preferred_qualifications = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": HEALTH_CODES}
    )
    required_languages = ma.fields.List(ma.fields.String(), required=True)
    preferred_languages = ma.fields.List(ma.fields.String(), required=True)
    gender_preference = ma.fields.String(required=True, validate=validate.OneOf(GENDER_PREFERENCES))
    gender = ma.fields.String(required=True, allow_none=True, validate=validate.OneOf(GENDERS))
    max_distance_km = ma.fields.Float(required=True)
    ccnl_level = ma.fields.String(
        validate=validate.OneOf(CCNL_LEVELS), metadata={"description": HEALTH_DERIVED}
    )
    budget_eur_month = ma.fields.Integer(required=True, allow_none=True)
    has_voucher = ma.fields.Boolean(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(REQUEST_STATUSES))
    organization_id = ma.fields.Integer(required=True, allow_none=True)
    created_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    notes = ma.fields.String(required=True)
    buono_domiciliarita = ma.fields.Nested(
        BuonoDomiciliaritaSchema, metadata={"description": HEALTH_DERIVED}
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class CareRequestPageSchema(ResponseSchema):
    """A page of care requests."""

    items = ma.fields.List(ma.fields.Nested(CareRequestSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
