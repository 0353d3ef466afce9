"""Marshmallow schemas of the referrals API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import PageQuery, identifier, text
from carenet.core.responses import ResponseSchema
from carenet.organizations.schemas import OrganizationRefSchema
from carenet.referrals.models import REFERRAL_STATUSES
from carenet.referrals.services import BOXES, MAX_REASON

CONSENT_HELP = (
    "Must be true: the family agreed that the case is shared with the receiving organization"
)


class ReferralCreateSchema(ma.Schema):
    """A new referral of a case to another organization."""

    household_id = identifier(required=True)
    request_id = identifier(
        allow_none=True, metadata={"description": "Optional: one request of that household"}
    )
    to_organization_id = identifier(
        required=True, metadata={"description": "Not a region, not the caller's organization"}
    )
    reason = text(
        MAX_REASON,
        multiline=True,
        required=True,
        metadata={"description": "Why the case is referred"},
    )
    consent_given = ma.fields.Boolean(required=True, metadata={"description": CONSENT_HELP})


class ReferralAnswerSchema(ma.Schema):
    """An optional reason (required to reject)."""

    reason = text(MAX_REASON, multiline=True, metadata={"description": "Required to reject"})


class ReferralListQuery(PageQuery):
    """Which box and which status."""

    box = ma.fields.String(
        load_default="inbox",
        validate=validate.OneOf(BOXES),
        metadata={"description": "inbox: referred to my organization; outbox: by it"},
    )
    status = ma.fields.String(validate=validate.OneOf(REFERRAL_STATUSES))


class ReferralSchema(ResponseSchema):
    """A referral."""

    id = ma.fields.Integer(required=True)
    household_id = ma.fields.Integer(required=True)
    request_id = ma.fields.Integer(required=True, allow_none=True)
    from_organization = ma.fields.Nested(OrganizationRefSchema, required=True)
    to_organization = ma.fields.Nested(OrganizationRefSchema, required=True)
    reason = ma.fields.String(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(REFERRAL_STATUSES))
    response_reason = ma.fields.String(required=True)
    consent_given = ma.fields.Boolean(required=True)
    consent_recorded_at = ma.fields.DateTime(required=True)
    consent_recorded_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    created_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class ReferralPageSchema(ResponseSchema):
    """A page of referrals."""

    items = ma.fields.List(ma.fields.Nested(ReferralSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
