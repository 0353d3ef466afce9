"""Helpers shared by the page forms of every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from carenet.core.errors import CarenetError


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
