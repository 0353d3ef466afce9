"""Marshmallow schemas of the catalogue API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import text
from carenet.core.responses import ResponseSchema


class CatalogueMunicipalityQuery(ma.Schema):
    """Autocomplete: the start of a comune's name."""

    q = text(100, 1, required=True, metadata={"description": "Start of the name, e.g. 'moncal'"})
    limit = ma.fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class CatalogueMunicipalitySchema(ResponseSchema):
    """An Italian comune."""

    istat = ma.fields.String(required=True, metadata={"description": "ISTAT code, e.g. 001272"})
    name = ma.fields.String(required=True)
    label = ma.fields.String(required=True, metadata={"description": "e.g. 'Moncalieri (TO)'"})
    province = ma.fields.String(required=True, metadata={"description": "Abbreviation, e.g. TO"})
    province_name = ma.fields.String(required=True)
    region_code = ma.fields.String(required=True)
    region = ma.fields.String(required=True)
    lat = ma.fields.Float(required=True)
    lon = ma.fields.Float(required=True)
    note = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "When found by a former comune's name or code, what became of it: "
            "'Trivero is now part of Valdilana (BI), since 2019.'"
        },
    )


class CatalogueMunicipalityDetailSchema(CatalogueMunicipalitySchema):
    """A comune with the ISTAT codes of its neighbours."""

    neighbours = ma.fields.List(ma.fields.String(), required=True)


class CatalogueQualificationSchema(ResponseSchema):
    """An entry of the qualification catalogue."""

    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "In the request's language"})
    name_it = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    is_trained = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Makes an assistant trained, for CCNL level DS "
            "(matching.contract.TRAINED_QUALIFICATIONS; docs/contract-rules.md)"
        },
    )
    is_legacy = ma.fields.Boolean(
        required=True,
        metadata={"description": "Issued no more: replaced by OSS in 2001 (ADEST, OTA)"},
    )


class CatalogueTermSchema(ResponseSchema):
    """A vocabulary code with its label in the request's language."""

    code = ma.fields.String(required=True)
    label = ma.fields.String(required=True)


class CatalogueVocabulariesSchema(ResponseSchema):
    """The controlled vocabularies, labelled in the request's language."""

    arrangements = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
    conditions = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
    languages = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
    language_levels = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
    genders = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
    assistant_statuses = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
    document_kinds = ma.fields.List(ma.fields.Nested(CatalogueTermSchema), required=True)
