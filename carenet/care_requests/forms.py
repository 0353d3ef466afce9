"""Forms of the care-request pages; the service checks every rule again."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carenet.core.forms import CarenetForm
from carenet.core.vocab import (
    ARRANGEMENT_LABELS,
    GENDER_LABELS,
    GENDER_PREFERENCE_LABELS,
    LANGUAGE_LABELS,
    REQUEST_STATUS_LABELS,
)
from carenet.families.forms import MultiCheckboxField, blank_to_none, options

SCHEDULE_EXAMPLES = {
    "it": "lun-ven 08:00-12:00, sab 09:00-11:00",
    "en": "Mon-Fri 08:00-12:00, Sat 09:00-11:00",
}
NIGHT_EXAMPLES = {"it": "lun-dom 21:00-07:00", "en": "Mon-Sun 21:00-07:00"}


def _languages(label: Any) -> MultiCheckboxField:
    return MultiCheckboxField(
        label, choices=options(LANGUAGE_LABELS.items()), validators=[Optional()]
    )


class CareRequestForm(CarenetForm):
    """Everything a care request says; qualification choices are set by the view."""

    recipient_id = HiddenField()
    arrangement = RadioField(
        _l("Kind of work"),
        choices=options(ARRANGEMENT_LABELS.items()),
        validators=[InputRequired()],
    )
    live_in_part_time = BooleanField(_l("Live-in part time (at most 30 hours a week)"))
    schedule = StringField(_l("Weekly hours needed"), validators=[DataRequired(), Length(max=500)])
    weekly_hours = IntegerField(
        _l("Hours a week"),
        validators=[Optional(), NumberRange(min=1, max=168)],
        description=_l("Leave empty: it is counted from the schedule."),
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    duration_months = IntegerField(
        _l("Duration in months"),
        validators=[Optional(), NumberRange(min=1, max=120)],
        description=_l("Leave empty for an open-ended contract."),
    )
    required_qualifications = MultiCheckboxField(
        _l("Required qualifications"), choices=[], validators=[Optional()]
    )
    preferred_qualifications = MultiCheckboxField(
        _l("Preferred qualifications"), choices=[], validators=[Optional()]
    )
    required_languages = _languages(_l("Required languages (at least one)"))
    preferred_languages = _languages(_l("Preferred languages"))
    gender_preference = RadioField(
        _l("Assistant's gender"),
        choices=options(GENDER_PREFERENCE_LABELS.items()),
        default="none",
        validators=[InputRequired()],
    )
    gender = SelectField(
        _l("Gender"), choices=options([("", "—"), *GENDER_LABELS.items()]), validators=[Optional()]
    )
    max_distance_km = FloatField(
        _l("Maximum distance (km)"),
        default=20,
        validators=[InputRequired(), NumberRange(min=1, max=300)],
    )
    ccnl_level = SelectField(
        _l("CCNL level"),
        choices=options(
            [
                ("", _l("Automatic (from the person's needs)")),
                ("DS", _l("DS: trained assistant")),
                ("CS", _l("CS: non-self-sufficient person")),
                ("BS", _l("BS: self-sufficient person")),
            ]
        ),
        validators=[Optional()],
    )
    budget_eur_month = IntegerField(
        _l("Budget (EUR a month)"), validators=[Optional(), NumberRange(min=0, max=100_000)]
    )
    has_voucher = BooleanField(_l("We have a care voucher"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def service_data(self) -> dict[str, Any]:
        """The input for ``create_request``/``update_request`` (the fields the form has)."""
        data: dict[str, Any] = {
            "arrangement": self.arrangement.data,
            "live_in_part_time": bool(self.live_in_part_time.data),
            "schedule": self.schedule.data or "",
            "weekly_hours": self.weekly_hours.data,
            "start_date": self.start_date.data,
            "duration_months": self.duration_months.data,
            "required_qualifications": list(self.required_qualifications.data or []),
            "preferred_qualifications": list(self.preferred_qualifications.data or []),
            "required_languages": list(self.required_languages.data or []),
            "preferred_languages": list(self.preferred_languages.data or []),
            "gender_preference": self.gender_preference.data,
            "gender": blank_to_none(self.gender.data),
            "max_distance_km": self.max_distance_km.data,
            "budget_eur_month": self.budget_eur_month.data,
            "has_voucher": bool(self.has_voucher.data),
            "notes": self.notes.data or "",
        }
        if "ccnl_level" in self:  # not offered to those who may not read it
            data["ccnl_level"] = blank_to_none(self.ccnl_level.data)
        return data


class RequestFilterForm(CarenetForm):
    """Filters of the request list (a GET form)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=options([("", _l("Any")), *REQUEST_STATUS_LABELS.items()]),
        validators=[Optional()],
    )
    arrangement = SelectField(
        _l("Kind of work"),
        choices=options([("", _l("Any")), *ARRANGEMENT_LABELS.items()]),
        validators=[Optional()],
    )
    comune = StringField(
        _l("Municipality"),
        validators=[Optional(), Length(max=100)],
        description=_l("Name or ISTAT code"),
    )
