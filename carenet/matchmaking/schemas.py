"""Marshmallow schemas of the matching API."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import text
from carenet.core.responses import ResponseSchema
from carenet.core.vocab import LANGUAGES
from matching import COMPONENTS, FILTERS


class MatchQuery(ma.Schema):
    """Filters an operator narrows a match with (each only tightens the request)."""

    k = ma.fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "How many candidates to return"},
    )
    max_km = ma.fields.Float(
        validate=validate.Range(min=1, max=300),
        metadata={"description": "A shorter maximum distance than the request's"},
    )
    language = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(LANGUAGES)),
        load_default=list,
        validate=validate.Length(max=len(LANGUAGES)),
        metadata={"description": "Also require one of these languages"},
    )
    qualification = ma.fields.List(
        text(40, 1),
        load_default=list,
        validate=validate.Length(max=10),
        metadata={"description": "Also require these qualifications (catalogue codes)"},
    )
    min_score = ma.fields.Float(
        load_default=0.0,
        validate=validate.Range(min=0, max=1),
        metadata={"description": "Leave out candidates scoring below this"},
    )


def _components(**kwargs: Any) -> ma.fields.Dict:
    """The score components of a candidate, by name."""
    note = kwargs.pop("note", "")
    return ma.fields.Dict(
        keys=ma.fields.String(validate=validate.OneOf(COMPONENTS)),
        values=ma.fields.Float(),
        metadata={"description": "Each score component in [0, 1]: " + ", ".join(COMPONENTS) + note},
        **kwargs,
    )


class PlaceSchema(ma.Schema):
    """Where an assistant lives, for the map: the municipality, never the address."""

    municipality = ma.fields.String(required=True)
    province = ma.fields.String(required=True)
    lat = ma.fields.Float(required=True)
    lon = ma.fields.Float(required=True)


class CandidateSchema(ma.Schema):
    """One ranked assistant."""

    rank = ma.fields.Integer(required=True)
    assistant_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)
    score = ma.fields.Float(required=True, metadata={"description": "Weighted sum in [0, 1]"})
    distance_km = ma.fields.Float(required=True)
    components = _components()
    place = ma.fields.Nested(PlaceSchema, required=True)
    proposal_status = ma.fields.String(
        allow_none=True, metadata={"description": "Status of a proposal already made, if any"}
    )


class FamilyPlaceSchema(ma.Schema):
    """The family's location the distances are measured from."""

    lat = ma.fields.Float(required=True)
    lon = ma.fields.Float(required=True)
    max_distance_km = ma.fields.Float(required=True)


class MatchResultSchema(ma.Schema):
    """Ranked candidates for a request, best first (ties broken by assistant id)."""

    request_id = ma.fields.Integer(required=True)
    family = ma.fields.Nested(FamilyPlaceSchema, required=True)
    weights = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    items = ma.fields.List(ma.fields.Nested(CandidateSchema), required=True)


class ExplanationSchema(ma.Schema):
    """Why an assistant is, or is not, a candidate for the request."""

    request_id = ma.fields.Integer(required=True)
    assistant_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)
    eligible = ma.fields.Boolean(required=True)
    code = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(FILTERS),
        metadata={"description": "The first hard filter that excludes the assistant"},
    )
    reason = ma.fields.String(required=True, metadata={"description": "In the reader's language"})
    distance_km = ma.fields.Float(required=True)
    score = ma.fields.Float(allow_none=True, metadata={"description": "null when not eligible"})
    components = _components(allow_none=True, note="; null when not eligible")


class BulkStartedSchema(ResponseSchema):
    """A bulk assignment run, queued."""

    job_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    progress_url = ma.fields.String(required=True, metadata={"description": "The job's API"})


class DraftSchema(ResponseSchema):
    """A draft proposal a bulk run produced, for review before it is sent."""

    proposal_id = ma.fields.Integer(required=True)
    request_id = ma.fields.Integer(required=True)
    assistant_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)
    score = ma.fields.Float(required=True)
    distance_km = ma.fields.Float(required=True)
    components = _components()


class BulkResultSchema(ResponseSchema):
    """A run's figures and its drafts (empty until the job is done)."""

    job_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    result = ma.fields.Dict(
        required=True,
        metadata={
            "description": "requests, proposals, total_score, greedy_total, bound, optimal, "
            "gain_over_greedy, seconds (when done)"
        },
    )
    drafts = ma.fields.List(ma.fields.Nested(DraftSchema), required=True)


class SendDraftsSchema(ma.Schema):
    """Which drafts of a run to send to the families and assistants."""

    proposal_ids = ma.fields.List(
        ma.fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
        required=True,
        validate=validate.Length(min=1, max=5000),
    )
