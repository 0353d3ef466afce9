"""Marshmallow schemas of the proposals API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import PageQuery, identifier, text
from carenet.core.responses import ResponseSchema
from carenet.proposals.models import ANSWERS, PROPOSAL_STATUSES
from carenet.proposals.reasons import DECLINE_REASONS, SIDES


class ProposalCreateSchema(ma.Schema):
    """Assistants to propose for a request (each must be eligible)."""

    assistant_ids = ma.fields.List(
        identifier(), required=True, validate=validate.Length(min=1, max=50)
    )


class ProposalAnswerSchema(ma.Schema):
    """One side's answer; a decline needs a reason code, words or both."""

    side = ma.fields.String(required=True, validate=validate.OneOf(SIDES))
    answer = ma.fields.String(required=True, validate=validate.OneOf(ANSWERS))
    reason_code = ma.fields.String(
        allow_none=True,
        validate=validate.OneOf(list(DECLINE_REASONS)),
        metadata={"description": "Why it is declined (see the reason codes)"},
    )
    reason_text = text(2000, multiline=True, metadata={"description": "Why, in words"})


class ProposalInterviewSchema(ma.Schema):
    """When the interview is (or was), and the broker's notes."""

    interview_at = ma.fields.AwareDateTime(
        required=True, default_timezone=None, metadata={"description": "With a time zone"}
    )
    notes = text(2000, multiline=True)


class ProposalListQuery(PageQuery):
    """Filters of the proposal list."""

    status = ma.fields.String(validate=validate.OneOf(PROPOSAL_STATUSES))
    request_id = identifier()


class RequestProposalListQuery(PageQuery):
    """Filters of a request's proposals."""

    status = ma.fields.String(validate=validate.OneOf(PROPOSAL_STATUSES))


class ReasonSchema(ResponseSchema):
    """Why a side declined."""

    code = ma.fields.String(required=True, allow_none=True)
    text = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The words, for that side and the brokers only (else null)"},
    )


class ContactSchema(ResponseSchema):
    """How to reach one side."""

    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True, allow_none=True)
    phone = ma.fields.String(required=True, allow_none=True)


class ContactsSchema(ResponseSchema):
    """Contacts, only once both sides accepted: each side sees the other's, brokers both."""

    family = ma.fields.Nested(ContactSchema)
    assistant = ma.fields.Nested(ContactSchema)


class ProposalSchema(ResponseSchema):
    """A proposal: score, each side's answer, interview, expiry, contacts when revealed."""

    id = ma.fields.Integer(required=True)
    request_id = ma.fields.Integer(required=True)
    household_id = ma.fields.Integer(required=True)
    request_status = ma.fields.String(required=True)
    assistant_id = ma.fields.Integer(required=True)
    assistant_name = ma.fields.String(required=True)
    organization_id = ma.fields.Integer(required=True, allow_none=True)
    proposed_by_user_id = ma.fields.Integer(required=True, allow_none=True)
    score = ma.fields.Float(required=True)
    components = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Float(allow_none=True),
        required=True,
        metadata={
            "description": "Score components; conditions and qualifications (computed from "
            "health information) only for those who may read it"
        },
    )
    distance_km = ma.fields.Float(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(PROPOSAL_STATUSES))
    family_answer = ma.fields.String(required=True, allow_none=True)
    family_reason = ma.fields.Nested(ReasonSchema, required=True, allow_none=True)
    family_answered_at = ma.fields.DateTime(required=True, allow_none=True)
    assistant_answer = ma.fields.String(required=True, allow_none=True)
    assistant_reason = ma.fields.Nested(ReasonSchema, required=True, allow_none=True)
    assistant_answered_at = ma.fields.DateTime(required=True, allow_none=True)
    interview_at = ma.fields.DateTime(required=True, allow_none=True)
    interview_notes = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "Brokers only"}
    )
    expires_at = ma.fields.DateTime(required=True, allow_none=True)
    sent_at = ma.fields.DateTime(required=True, allow_none=True)
    job_id = ma.fields.Integer(required=True, allow_none=True)
    contacts = ma.fields.Nested(ContactsSchema, required=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class ProposalListSchema(ResponseSchema):
    """Proposals just made."""

    items = ma.fields.List(ma.fields.Nested(ProposalSchema), required=True)


class ProposalPageSchema(ResponseSchema):
    """A page of proposals."""

    items = ma.fields.List(ma.fields.Nested(ProposalSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
