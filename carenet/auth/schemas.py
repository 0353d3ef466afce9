"""Request and response shapes of the auth API."""

from __future__ import annotations

import marshmallow as ma

from carenet.auth.services import SELF_REGISTERED_ROLES
from carenet.core.api import text
from carenet.core.responses import ResponseSchema
from carenet.core.vocab import LOCALES
from carenet.organizations.schemas import OrganizationRefSchema


class RegisterSchema(ma.Schema):
    """A self-registration: families and assistants only."""

    email = text(254, required=True)
    password = ma.fields.String(required=True, load_only=True)
    full_name = text(200, 1, required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(SELF_REGISTERED_ROLES))
    locale = ma.fields.String(load_default="it", validate=ma.validate.OneOf(LOCALES))


class CredentialsSchema(ma.Schema):
    """Email and password, exchanged for a personal bearer token."""

    email = text(254, required=True)
    password = ma.fields.String(required=True, load_only=True)
    name = text(
        100,
        1,
        load_default="personal token",
        metadata={"description": "A label to recognise the token later"},
    )
    expires_in_days = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Days until the token stops working: 1 to TOKEN_MAX_DAYS "
            "(default 90), TOKEN_DEFAULT_DAYS (default 14) when left out"
        },
    )


class UserSchema(ResponseSchema):
    """The current account."""

    id = ma.fields.Integer()
    email = ma.fields.String()
    full_name = ma.fields.String()
    role = ma.fields.String()
    locale = ma.fields.String()
    organization = ma.fields.Nested(OrganizationRefSchema, allow_none=True)
    created_at = ma.fields.DateTime()
    last_login_at = ma.fields.DateTime(allow_none=True)


class TokenSchema(ResponseSchema):
    """A newly issued bearer token: the secret appears here once and never again."""

    id = ma.fields.Integer()
    token = ma.fields.String(metadata={"description": "Send as `Authorization: Bearer <token>`"})
    prefix = ma.fields.String(metadata={"description": "The first characters, to recognise it"})
    name = ma.fields.String()
    expires_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


class TokenInfoSchema(ResponseSchema):
    """A bearer token as listed: never the secret, only what recognises it."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "The first characters of the token"})
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    last_used_at = ma.fields.DateTime(allow_none=True)


class TokenListSchema(ResponseSchema):
    """The tokens that still work."""

    items = ma.fields.List(ma.fields.Nested(TokenInfoSchema))


class TokenListQuery(ma.Schema):
    """Whose tokens to list: one's own, or (administrators) anyone's."""

    user_id = ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(min=1),
        metadata={"description": "Administrators only: list this account's tokens"},
    )
