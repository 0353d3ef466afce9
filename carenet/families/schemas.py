"""Marshmallow schemas of the families API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import text
from carenet.core.responses import ResponseSchema
from carenet.core.vocab import AGE_BANDS, CONDITIONS, SELF_SUFFICIENCY
from carenet.gazetteer.schemas import ComuneRefSchema


class HouseholdCreateSchema(ma.Schema):
    """A new household."""

    contact_name = text(200, 1, required=True)
    phone = text(40, allow_none=True)
    municipality = text(
        100,
        1,
        required=True,
        metadata={"description": "ISTAT code or name of the comune (e.g. 001272 or Torino)"},
    )
    province = text(2, 2, allow_none=True, metadata={"description": "e.g. TO, to disambiguate"})
    address = text(300)
    lat = ma.fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    lon = ma.fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))


class HouseholdUpdateSchema(ma.Schema):
    """Changes to a household; every field optional."""

    contact_name = text(200, 1)
    phone = text(40, allow_none=True)
    municipality = text(100, 1, metadata={"description": "ISTAT code or name of the comune"})
    province = text(2, 2, allow_none=True)
    address = text(300)
    lat = ma.fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    lon = ma.fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))


class RecipientCreateSchema(ma.Schema):
    """A new person who needs care."""

    first_name = text(100, 1, required=True)
    age_band = ma.fields.String(required=True, validate=validate.OneOf(AGE_BANDS))
    self_sufficiency = ma.fields.String(required=True, validate=validate.OneOf(SELF_SUFFICIENCY))
    conditions = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(CONDITIONS)),
        validate=validate.Length(max=len(CONDITIONS)),
    )


class RecipientUpdateSchema(ma.Schema):
    """Changes to a care recipient; every field optional."""

    first_name = text(100, 1)
    age_band = ma.fields.String(validate=validate.OneOf(AGE_BANDS))
    self_sufficiency = ma.fields.String(validate=validate.OneOf(SELF_SUFFICIENCY))
    conditions = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(CONDITIONS)),
        validate=validate.Length(max=len(CONDITIONS)),
    )


class RecipientSchema(ResponseSchema):
    """A care recipient; self-sufficiency and conditions only for those allowed to read them."""

    id = ma.fields.Integer(required=True)
    household_id = ma.fields.Integer(required=True)
    first_name = ma.fields.String(required=True)
    age_band = ma.fields.String(required=True, validate=validate.OneOf(AGE_BANDS))
    self_sufficiency = ma.fields.String(
        validate=validate.OneOf(SELF_SUFFICIENCY),
        metadata={"description": "Health data: omitted unless the caller may read it"},
    )
    conditions = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(CONDITIONS)),
        metadata={"description": "Health data: omitted unless the caller may read it"},
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class HouseholdSummarySchema(ResponseSchema):
    """A household in a list."""

    id = ma.fields.Integer(required=True)
    owner_user_id = ma.fields.Integer(required=True, allow_none=True)
    created_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    contact_name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True, allow_none=True)
    municipality = ma.fields.Nested(ComuneRefSchema, required=True)
    address = ma.fields.String(required=True)
    lat = ma.fields.Float(required=True, allow_none=True)
    lon = ma.fields.Float(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class HouseholdSchema(HouseholdSummarySchema):
    """A household with the people it cares for."""

    recipients = ma.fields.List(ma.fields.Nested(RecipientSchema), required=True)


class HouseholdPageSchema(ResponseSchema):
    """A page of households."""

    items = ma.fields.List(ma.fields.Nested(HouseholdSummarySchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)


class AssessmentCreateSchema(ma.Schema):
    """A needs assessment (by an ASL or Ente gestore operator)."""

    assessed_on = ma.fields.Date(metadata={"description": "Default: today; not in the future"})
    self_sufficiency = ma.fields.String(required=True, validate=validate.OneOf(SELF_SUFFICIENCY))
    score = ma.fields.Integer(required=True, validate=validate.Range(min=0, max=100))
    notes = text(4000, multiline=True)


class AssessmentSchema(ResponseSchema):
    """A recorded needs assessment."""

    id = ma.fields.Integer(required=True)
    recipient_id = ma.fields.Integer(required=True)
    organization_id = ma.fields.Integer(required=True)
    assessed_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    assessed_on = ma.fields.Date(required=True)
    self_sufficiency = ma.fields.String(required=True, validate=validate.OneOf(SELF_SUFFICIENCY))
    score = ma.fields.Integer(required=True)
    notes = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)


class AssessmentListSchema(ResponseSchema):
    """A recipient's assessments, oldest first."""

    items = ma.fields.List(ma.fields.Nested(AssessmentSchema), required=True)
