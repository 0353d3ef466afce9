"""``macros/forms.html``: Flask-WTF fields in Bootstrap Italia markup, with their errors."""

from __future__ import annotations

import re

from flask import Flask, render_template_string
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

TEMPLATE = """
{% from "macros/forms.html" import render_field, render_form_errors, render_submit %}
{{ render_form_errors(form) }}
{% for field in form %}{{ render_field(field, autocomplete="off") }}{% endfor %}
{{ render_submit("Send") }}
"""


class SampleForm(FlaskForm):
    name = StringField("Name", [DataRequired(), Length(max=5)], description="Your full name")
    notes = TextAreaField("Notes")
    agree = BooleanField("I agree")
    kind = SelectField("Kind", choices=[SelectChoice("a", "A"), SelectChoice("b", "B")])
    shift = RadioField(
        "Shift", choices=[SelectChoice("day", "Day"), SelectChoice("night", "Night")]
    )


def _render(app: Flask, data: dict[str, str] | None) -> str:
    with app.test_request_context():
        form = SampleForm(formdata=MultiDict(data) if data is not None else None)
        if data is not None:
            form.validate()
        return render_template_string(TEMPLATE, form=form)


def test_fields_render_with_labels_and_bootstrap_italia_classes(app: Flask) -> None:
    html = _render(app, None)
    assert re.search(r'<label for="name"[^>]*>Name<span class="text-danger"', html)
    assert re.search(r'<input[^>]*class="form-control"[^>]*id="name"', html)
    assert 'aria-describedby="name-help"' in html
    assert '<small id="name-help" class="form-text">Your full name</small>' in html
    assert re.search(r'<textarea[^>]*class="form-control"[^>]*rows="4"', html)
    assert re.search(r'<input[^>]*class="form-check-input"[^>]*id="agree"', html)
    assert re.search(r'<select[^>]*class="form-select"[^>]*id="kind"', html)
    assert "<legend" in html and 'for="shift-0"' in html
    assert 'autocomplete="off"' in html
    assert 'data-testid="form-errors"' not in html
    assert "aria-invalid" not in html
    assert '<button type="submit" class="btn btn-primary">Send</button>' in html


def test_errors_are_shown_next_to_the_field_and_summarised(app: Flask) -> None:
    html = _render(app, {"name": "far too long", "kind": "zzz"})
    assert re.search(r'<input[^>]*aria-describedby="name-help name-error"', html)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*class="form-control is-invalid"', html)
    assert re.search(r'id="name-error" class="invalid-feedback d-block"[^>]*>[^<]*5', html)
    assert re.search(r'<select[^>]*class="form-select is-invalid"', html)
    assert 'data-testid="form-errors"' in html
    assert '<a href="#name">Name</a>' in html and '<a href="#kind">Kind</a>' in html
    # Fields without errors stay unmarked.
    assert not re.search(r"<textarea[^>]*is-invalid", html)
