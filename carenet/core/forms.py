"""Helpers shared by the page forms of every feature."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from carenet.core.errors import CarenetError
from carenet.core.sanitize import clean_text


def _sanitiser(multiline: bool) -> Any:
    """A WTForms filter: the text cleaned, or a ValueError that becomes the field's error."""

    def clean(value: Any) -> Any:
        return clean_text(value, multiline=multiline) if isinstance(value, str) else value

    return clean


class CarenetForm(FlaskForm):
    """The base of every page form: each text field passes the one input sanitiser
    (``carenet.core.sanitize``) first, as the API's parser does, so pages and API accept
    and refuse the same text; a text area may hold tabs and line breaks, a password is
    taken as typed."""

    class Meta(FlaskForm.Meta):
        def bind_field(
            self, form: Any, unbound_field: UnboundField, options: dict[str, Any]
        ) -> Field:
            """Bind the field, with the sanitiser before its own filters for text."""
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                own = tuple(unbound_field.kwargs.get("filters", ()))
                sanitiser = _sanitiser(issubclass(kind, TextAreaField))
                options = {**options, "filters": (sanitiser, *own)}
            return unbound_field.bind(form=form, **options)


def apply_errors(form: FlaskForm, exc: CarenetError) -> None:
    """Show a service error next to the fields it names, or above the form."""
    fields = exc.details.get("fields") or {}
    placed = False
    for name, messages in fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
            placed = True
    if not placed:
        form.form_errors.append(exc.message)
    if exc.details.get("suggestions"):
        form.form_errors.append(
            str(_l("Did you mean: %(names)s?", names=", ".join(exc.details["suggestions"])))
        )
