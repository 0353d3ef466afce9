"""Marshmallow schemas of the assistants API: what goes in, and the documented shape of
what comes out (built by ``presenters.py``)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from carenet.core import vocab
from carenet.core.api import PageQuery, text
from carenet.core.responses import ResponseSchema
from carenet.core.sanitize import MULTILINE
from carenet.gazetteer.schemas import ComuneRefSchema


def choice(values: tuple[str, ...], **kwargs: Any) -> ma.fields.String:
    """A string field holding one code of a vocabulary."""
    return ma.fields.String(validate=validate.OneOf(values), **kwargs)


LANGUAGE_CODE = validate.Regexp(r"^[A-Za-z]{2}$", error="Use a two-letter ISO 639-1 code.")


class AssistantLanguageInSchema(ma.Schema):
    """A language and the assistant's level in it."""

    language = ma.fields.String(required=True, validate=LANGUAGE_CODE)
    level = choice(vocab.LANGUAGE_LEVELS, required=True)


class AssistantInSchema(ma.Schema):
    """A profile as an assistant or an operator fills it in."""

    display_name = text(120, 1, required=True)
    gender = choice(vocab.GENDERS, required=True)
    birth_year = ma.fields.Integer(required=True, validate=validate.Range(1900, 2100))
    nationality = ma.fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z]{2}$", error="Use an ISO 3166 alpha-2 code."),
        metadata={"description": "ISO 3166-1 alpha-2 country code, e.g. RO"},
    )
    phone = text(40, allow_none=True)
    languages = ma.fields.List(
        ma.fields.Nested(AssistantLanguageInSchema), validate=validate.Length(max=20)
    )
    municipality = text(
        100,
        1,
        required=True,
        metadata={"description": "ISTAT code (e.g. 001272) or name of the comune"},
    )
    province = ma.fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^[A-Za-z]{2}$", error="Use the two-letter province."),
        metadata={"description": "Province abbreviation (TO, CN...), to tell homonyms apart"},
    )
    lat = ma.fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(-90, 90))
    lon = ma.fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(-180, 180))
    travel_radius_km = ma.fields.Float(
        required=True, allow_nan=False, validate=validate.Range(1, 300)
    )
    arrangements = ma.fields.List(
        choice(vocab.ARRANGEMENTS),
        required=True,
        validate=validate.Length(
            min=1, max=3, error="Choose at least one of live_in, hourly, night (at most 3)."
        ),
    )
    availability = text(
        500,
        1,
        required=True,
        metadata={"description": "Weekly ranges, e.g. 'lun-ven 08:00-12:00, sab 09:00-11:00'"},
    )
    available_from = ma.fields.Date(required=True)
    years_experience = ma.fields.Integer(validate=validate.Range(0, 70))
    conditions = ma.fields.List(choice(vocab.CONDITIONS), validate=validate.Length(max=20))
    bio = text(4000, allow_none=True, metadata={MULTILINE: True})


class AssistantPatchSchema(AssistantInSchema):
    """Some fields of a profile; the others keep their values."""


class AssistantListQuery(PageQuery):
    """Filters of the register, and the page."""

    municipality = text(100, 1, metadata={"description": "ISTAT code or name"})
    province = ma.fields.String(validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    status = choice(vocab.ASSISTANT_STATUSES)
    arrangement = choice(vocab.ARRANGEMENTS)
    language = ma.fields.String(validate=LANGUAGE_CODE)
    qualification = text(40, 1, metadata={"description": "Holds it, valid today"})
    condition = choice(vocab.CONDITIONS)
    q = text(120, 1, metadata={"description": "Part of the display name"})


class AssistantQualificationInSchema(ma.Schema):
    """A declared qualification."""

    code = text(40, 1, required=True, metadata={"description": "Catalogue code, e.g. oss"})
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(allow_none=True)


class AssistantDocumentInSchema(ma.Schema):
    """An identity document or residence permit: kind and expiry, never its number."""

    kind = choice(vocab.DOCUMENT_KINDS, required=True)
    expires_on = ma.fields.Date(allow_none=True)


class AssistantSuspendSchema(ma.Schema):
    """Why a profile is suspended."""

    reason = text(500)


class AssistantLanguageSchema(ResponseSchema):
    """A language with its level and its name in the request's language."""

    language = ma.fields.String(required=True)
    level = ma.fields.String(required=True)
    label = ma.fields.String(required=True)


class AssistantAvailabilitySchema(ResponseSchema):
    """Weekly availability as ranges in Italian and English, and its hours."""

    it = ma.fields.String(required=True)
    en = ma.fields.String(required=True)
    hours = ma.fields.Integer(required=True)


class AssistantQualificationSchema(ResponseSchema):
    """A declared qualification and its verification."""

    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(required=True, allow_none=True)
    is_valid_today = ma.fields.Boolean(required=True)
    verified_at = ma.fields.DateTime(required=True, allow_none=True)
    verified_by_org_id = ma.fields.Integer(required=True, allow_none=True)
    verified_by_user_id = ma.fields.Integer(required=True, allow_none=True)


class AssistantDocumentSchema(ResponseSchema):
    """A recorded document."""

    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    expires_on = ma.fields.Date(required=True, allow_none=True)
    verified_at = ma.fields.DateTime(required=True, allow_none=True)


class AssistantSchema(ResponseSchema):
    """A profile as the API shows it."""

    id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True, allow_none=True)
    display_name = ma.fields.String(required=True)
    gender = ma.fields.String(required=True)
    birth_year = ma.fields.Integer(required=True)
    nationality = ma.fields.String(required=True)
    phone = ma.fields.String(required=True, allow_none=True)
    languages = ma.fields.List(ma.fields.Nested(AssistantLanguageSchema), required=True)
    municipality = ma.fields.Nested(ComuneRefSchema, required=True)
    lat = ma.fields.Float(required=True, allow_none=True)
    lon = ma.fields.Float(required=True, allow_none=True)
    travel_radius_km = ma.fields.Float(required=True)
    arrangements = ma.fields.List(ma.fields.String(), required=True)
    availability = ma.fields.Nested(AssistantAvailabilitySchema, required=True)
    available_from = ma.fields.Date(required=True)
    years_experience = ma.fields.Integer(required=True)
    conditions = ma.fields.List(ma.fields.String(), required=True)
    bio = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_label = ma.fields.String(required=True)
    verified_at = ma.fields.DateTime(required=True, allow_none=True)
    verified_by_org_id = ma.fields.Integer(required=True, allow_none=True)
    qualifications = ma.fields.List(ma.fields.Nested(AssistantQualificationSchema), required=True)
    documents = ma.fields.List(ma.fields.Nested(AssistantDocumentSchema), required=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class AssistantPageSchema(ResponseSchema):
    """One page of the register."""

    items = ma.fields.List(ma.fields.Nested(AssistantSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
