"""Marshmallow schemas of the jobs API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.responses import ResponseSchema
from carenet.jobs.models import JOB_STATUSES


class JobSchema(ResponseSchema):
    """A background job and its progress."""

    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(JOB_STATUSES))
    done = ma.fields.Integer(required=True, metadata={"description": "Steps finished"})
    total = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "Steps in all; null: unknown"}
    )
    percent = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "0-100; null: unknown"}
    )
    params = ma.fields.Dict(required=True)
    result = ma.fields.Dict(required=True, metadata={"description": "Set when done"})
    error = ma.fields.String(
        required=True, metadata={"description": "Why it failed (empty unless failed)"}
    )
    created_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    organization_id = ma.fields.Integer(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)
