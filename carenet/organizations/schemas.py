"""Response shapes of the organizations API, and the organization reference every
feature nests (an operator's organization, a referral's ends, an audit event's)."""

from __future__ import annotations

import marshmallow as ma

from carenet.core.responses import ResponseSchema
from carenet.gazetteer.schemas import ComuneRefSchema


class OrganizationRefSchema(ResponseSchema):
    """An organization, named."""

    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class OrganizationSchema(OrganizationRefSchema):
    """An organization in a list: its territory as a count."""

    territory_size = ma.fields.Integer(metadata={"description": "Number of comuni"})
    created_at = ma.fields.DateTime()


class OrganizationDetailSchema(OrganizationSchema):
    """An organization with every comune of its territory."""

    territory = ma.fields.List(ma.fields.Nested(ComuneRefSchema))


class OrganizationListSchema(ResponseSchema):
    """The organizations the caller may see."""

    items = ma.fields.List(ma.fields.Nested(OrganizationSchema))
    total = ma.fields.Integer()
