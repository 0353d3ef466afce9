"""Forms of the proposal pages; the service checks every rule again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from carenet.core.forms import CarenetForm
from carenet.families.forms import options
from carenet.proposals.reasons import DECLINE_REASONS

ANSWER_CHOICES = options([("accepted", _l("Accept")), ("declined", _l("Decline"))])


class AnswerForm(CarenetForm):
    """One side's answer; a decline needs a reason from the list or in words."""

    # The side travels in a plain "side" input: it chooses the form's prefix.
    answer = RadioField(_l("Your answer"), choices=ANSWER_CHOICES, validators=[InputRequired()])
    reason_code = SelectField(
        _l("Why do you decline?"),
        choices=options([("", "—"), *DECLINE_REASONS.items()]),
        validators=[Optional()],
    )
    reason_text = TextAreaField(
        _l("In your words (optional)"), validators=[Optional(), Length(max=2000)]
    )


class InterviewForm(CarenetForm):
    """When the interview is (Italian time) and the broker's notes."""

    interview_at = DateTimeLocalField(
        _l("Date and time of the interview"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired()],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class ProposeForm(CarenetForm):
    """Assistants to propose for a request (ids, from the match page)."""

    assistant_ids = SelectMultipleField(_l("Assistants"), coerce=int, validate_choice=False)


class ActionForm(CarenetForm):
    """A button that changes a proposal (send, withdraw): the CSRF token only."""
