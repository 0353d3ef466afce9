"""Forms of the families pages; the services validate again, these shape the input."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from carenet.core.forms import (
    CarenetForm,
    apply_errors,  # noqa: F401  (re-exported for the views)
)
from carenet.core.vocab import AGE_BANDS, CONDITION_LABELS, SELF_SUFFICIENCY_LABELS


def options(pairs: Any) -> list[SelectChoice]:
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def blank_to_none(value: Any) -> Any:
    """Empty text fields mean "not given"."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


class HouseholdForm(CarenetForm):
    """Where care is needed and who to contact."""

    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    municipality = StringField(
        _l("Municipality (comune)"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Name or ISTAT code, for example Torino or 001272."),
    )
    province = StringField(
        _l("Province"),
        validators=[Optional(), Length(min=2, max=2)],
        description=_l("Two letters, e.g. TO; needed only when several comuni share a name."),
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    lat = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(min=-90, max=90)])
    lon = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(min=-180, max=180)])

    def service_data(self) -> dict[str, Any]:
        """The input for ``create_household``/``update_household``."""
        return {
            "contact_name": self.contact_name.data or "",
            "phone": blank_to_none(self.phone.data),
            "municipality": self.municipality.data or "",
            "province": blank_to_none(self.province.data),
            "address": self.address.data or "",
            "lat": self.lat.data,
            "lon": self.lon.data,
        }


def _self_sufficiency_field() -> RadioField:
    return RadioField(
        _l("Self-sufficiency"),
        choices=options(SELF_SUFFICIENCY_LABELS.items()),
        validators=[InputRequired()],
    )


class RecipientForm(CarenetForm):
    """The person who needs care (health fields only for those who may see them)."""

    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    age_band = SelectField(
        _l("Age"), choices=options((band, band) for band in AGE_BANDS), validators=[InputRequired()]
    )
    self_sufficiency = _self_sufficiency_field()
    conditions = MultiCheckboxField(
        _l("Conditions"),
        choices=options(CONDITION_LABELS.items()),
        validators=[Optional()],
    )

    def service_data(self, with_health: bool = True) -> dict[str, Any]:
        """The input for ``add_recipient``/``update_recipient``."""
        data: dict[str, Any] = {
            "first_name": self.first_name.data or "",
            "age_band": self.age_band.data,
        }
        if with_health:
            data["self_sufficiency"] = self.self_sufficiency.data
            data["conditions"] = list(self.conditions.data or [])
        return data


class AssessmentForm(CarenetForm):
    """A needs assessment."""

    assessed_on = DateField(_l("Date of the assessment"), validators=[InputRequired()])
    self_sufficiency = _self_sufficiency_field()
    score = IntegerField(
        _l("Score (0-100)"), validators=[InputRequired(), NumberRange(min=0, max=100)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def service_data(self) -> dict[str, Any]:
        """The input for ``record_assessment``."""
        return {
            "assessed_on": self.assessed_on.data,
            "self_sufficiency": self.self_sufficiency.data,
            "score": self.score.data,
            "notes": self.notes.data or "",
        }
