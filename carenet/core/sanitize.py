"""One input sanitiser for the pages and the API.

Every text a person sends passes ``clean_text``: the page forms through their base class
(``carenet.core.forms.CarenetForm``), the API through its argument parser
(``carenet.core.api.Blueprint``), so both accept and refuse the same text.

Refused everywhere: NUL and the other C0 control characters, DEL, the C1 control
characters (U+0080-U+009F; ESC and CSI drive terminals, and PostgreSQL cannot store NUL),
and unpaired surrogates (no database can store them). A tab or a line break only in
multi-line fields (a page's text area; an API field marked ``multiline``); line ends
become ``\\n``. Text is normalised to Unicode NFC, so "Nicolò" typed two ways is one name.
Passwords are taken as typed (they are only hashed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _

# C0 controls (tab and line feed apart), DEL, C1 controls, unpaired surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAK_OR_TAB = re.compile(r"[\t\n\r]")
#: Marks an API field (marshmallow metadata) that takes several lines of text.
MULTILINE = "multiline"


class UnsafeText(ValueError):
    """Text holding characters the field does not take; the message says which."""


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` normalised (NFC, ``\\n`` line ends), or ``UnsafeText`` when it holds control
    characters (a tab or a line break is allowed only when ``multiline``)."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(value):
        raise UnsafeText(_("Control characters are not allowed."))
    if not multiline and _LINE_BREAK_OR_TAB.search(value):
        raise UnsafeText(_("This field takes one line of text, without tabs or line breaks."))
    return unicodedata.normalize("NFC", value)


def _is_verbatim(field: ma.fields.Field | None) -> bool:
    """Write-only text (a password) is taken as typed: it is hashed, never shown."""
    return field is not None and bool(field.load_only)


def _fields_by_key(schema: ma.Schema | None) -> dict[str, ma.fields.Field]:
    if schema is None:
        return {}
    return {field.data_key or name: field for name, field in schema.load_fields.items()}


def _clean_value(value: Any, field: ma.fields.Field | None) -> Any:
    """``value`` cleaned as ``field`` takes it; raises ``ma.ValidationError`` with messages
    shaped like marshmallow's (per list index, per nested key)."""
    if isinstance(value, str):
        if _is_verbatim(field):
            return value
        multiline = field is not None and bool(field.metadata.get(MULTILINE))
        try:
            return clean_text(value, multiline=multiline)
        except UnsafeText as exc:
            raise ma.ValidationError([str(exc)]) from exc
    if isinstance(value, list):
        inner = field.inner if isinstance(field, ma.fields.List) else None
        out, errors = [], {}
        for index, item in enumerate(value):
            try:
                out.append(_clean_value(item, inner))
            except ma.ValidationError as exc:
                errors[index] = exc.messages
        if errors:
            raise ma.ValidationError(errors)
        return out
    if isinstance(value, Mapping):
        if isinstance(field, ma.fields.Nested) and isinstance(field.schema, ma.Schema):
            return clean_mapping(value, field.schema)
        values = field.value_field if isinstance(field, ma.fields.Dict) else None
        return clean_mapping(value, None, values)
    return value


def clean_mapping(
    data: Mapping[str, Any],
    schema: ma.Schema | None,
    values: ma.fields.Field | None = None,
) -> dict[str, Any]:
    """Every text value of ``data`` cleaned as ``schema``'s fields take it (or as ``values``
    for a free mapping); ``ma.ValidationError`` naming each refused field. Keys are left to
    the schema, which refuses (or drops) those it does not know."""
    fields = _fields_by_key(schema)
    out: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for key in data:
        field = fields.get(key, values)
        if field is None and schema is not None:
            out[key] = data[key]  # unknown: the schema refuses or drops it
            continue
        try:
            out[key] = _clean_value(data[key], field)
        except ma.ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ma.ValidationError(errors)
    return out
