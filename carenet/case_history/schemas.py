"""Marshmallow schemas of the case timeline and the access log."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import PageQuery
from carenet.core.responses import ResponseSchema
from carenet.organizations.schemas import OrganizationRefSchema


class AuditPageQuery(PageQuery):
    """Pagination, 50 events a page by default."""

    per_page = ma.fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class AuditActorSchema(ResponseSchema):
    """Who did it."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class TimelineEventSchema(ResponseSchema):
    """One event of a case; no health detail."""

    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    action = ma.fields.String(required=True, metadata={"description": "e.g. referral.accept"})
    entity_type = ma.fields.String(required=True)
    entity_id = ma.fields.String(required=True)
    changes = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={
            "description": "Status changes only (from, to, status); cascade_of: for a "
            "referral revoked by cascade, the referral whose end caused it"
        },
    )
    actor = ma.fields.Nested(AuditActorSchema, required=True, allow_none=True)
    organization = ma.fields.Nested(OrganizationRefSchema, required=True, allow_none=True)


class TimelinePageSchema(ResponseSchema):
    """A page of a case's timeline, newest first."""

    household_id = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(TimelineEventSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)


class AccessLogEntrySchema(ResponseSchema):
    """One read of a person's health information."""

    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    recipient_id = ma.fields.Integer(required=True)
    what = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "What was read: self_sufficiency, conditions, assessments"},
    )
    request_id = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "The HTTP request's id"}
    )
    actor = ma.fields.Nested(AuditActorSchema, required=True, allow_none=True)
    organization = ma.fields.Nested(OrganizationRefSchema, required=True, allow_none=True)


class AccessLogPageSchema(ResponseSchema):
    """A page of the access log, newest first."""

    household_id = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(AccessLogEntrySchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
