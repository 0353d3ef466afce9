"""Response shapes of the organizations API."""

from __future__ import annotations

import marshmallow as ma


class OrganizationSchema(ma.Schema):
    """An organization in a list: its territory as a count."""

    id = ma.fields.Integer()
    code = ma.fields.String()
    kind = ma.fields.String()
    name = ma.fields.String()
    territory_size = ma.fields.Integer(metadata={"description": "Number of comuni"})
    created_at = ma.fields.DateTime()


class MunicipalityRefSchema(ma.Schema):
    """A comune of a territory."""

    istat = ma.fields.String()
    name = ma.fields.String()
    province = ma.fields.String()


class OrganizationDetailSchema(OrganizationSchema):
    """An organization with every comune of its territory."""

    territory = ma.fields.List(ma.fields.Nested(MunicipalityRefSchema))


class OrganizationListSchema(ma.Schema):
    """The organizations the caller may see."""

    items = ma.fields.List(ma.fields.Nested(OrganizationSchema))
    total = ma.fields.Integer()
