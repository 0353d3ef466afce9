"""Marshmallow schemas of the notifications API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from carenet.core.api import PageQuery
from carenet.core.responses import ResponseSchema
from carenet.notifications.services import ORDERS


class NotificationListQuery(PageQuery):
    """Order and filter of the notification list."""

    order = ma.fields.String(
        load_default="unread_first",
        validate=validate.OneOf(ORDERS),
        metadata={"description": "unread_first (default), or newest first"},
    )
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "Only unread ones"})


class NotificationSchema(ResponseSchema):
    """A notification, with its text in the caller's language."""

    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    link = ma.fields.String(required=True, metadata={"description": "A page path, or empty"})
    data = ma.fields.Dict(required=True)
    created_at = ma.fields.DateTime(required=True)
    read_at = ma.fields.DateTime(required=True, allow_none=True)
    emailed_at = ma.fields.DateTime(required=True, allow_none=True)


class NotificationPageSchema(ResponseSchema):
    """A page of notifications, with the number still unread."""

    items = ma.fields.List(ma.fields.Nested(NotificationSchema), required=True)
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    unread = ma.fields.Integer(required=True, metadata={"description": "Unread in all"})


class ReadAllSchema(ResponseSchema):
    """The result of marking everything read."""

    updated = ma.fields.Integer(required=True, metadata={"description": "How many were unread"})
    unread = ma.fields.Integer(required=True)
