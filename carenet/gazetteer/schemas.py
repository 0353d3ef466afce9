"""The one response shape of a comune that other features nest (households, profiles,
territories, care requests)."""

from __future__ import annotations

import marshmallow as ma

from carenet.core.responses import ResponseSchema


class ComuneRefSchema(ResponseSchema):
    """An Italian comune, named."""

    istat = ma.fields.String(required=True, metadata={"description": "ISTAT code, e.g. 001272"})
    name = ma.fields.String(required=True)
    province = ma.fields.String(required=True, metadata={"description": "Abbreviation, e.g. TO"})
