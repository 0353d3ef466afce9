"""Forms of the assistants' pages: the profile, a qualification, the register filters."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carenet.core import vocab
from carenet.core.api import MAX_PAGE
from carenet.core.forms import CarenetForm


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(codes: tuple[str, ...], labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(code, labels.get(code, code)) for code in codes]


def qualification_choices(index: int = 0) -> list[SelectChoice]:
    """The catalogue's codes with their names (0: Italian, 1: English)."""
    return [SelectChoice(code, names[index]) for code, names in vocab.QUALIFICATIONS.items()]


ANY = SelectChoice("", _l("Any"))


def parse_languages(text: str) -> list[dict[str, str]]:
    """ "ro:native, it:B1" as [{"language": "ro", "level": "native"}, ...]."""
    items = []
    for raw in (text or "").replace(";", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        code, _sep, level = item.replace(" ", ":", 1).partition(":")
        level = level.strip()
        items.append(
            {
                "language": code.strip().lower(),
                "level": level if level == "native" else level.upper(),
            }
        )
    return items


def format_languages(rows: list[Any]) -> str:
    """Languages as the form shows them: "it:B1, ro:native"."""
    return ", ".join(f"{row.language}:{row.level}" for row in rows)


class ProfileForm(CarenetForm):
    """An assistant's profile."""

    display_name = StringField(_l("Name shown to families"), [DataRequired(), Length(max=120)])
    gender = SelectField(_l("Gender"), choices=_choices(vocab.GENDERS, vocab.GENDER_LABELS))
    birth_year = IntegerField(_l("Year of birth"), [InputRequired()])
    nationality = StringField(
        _l("Nationality"),
        [DataRequired(), Length(min=2, max=2)],
        description=_l("Two-letter country code, e.g. RO, UA, PE, IT."),
    )
    phone = StringField(_l("Phone"), [Optional(), Length(max=40)])
    languages = StringField(
        _l("Languages"),
        [Optional(), Length(max=300)],
        description=_l("Code and level, separated by commas, e.g. ro:native, it:B1, en:A2."),
    )
    municipality = StringField(
        _l("Comune where you live"),
        [DataRequired(), Length(max=100)],
        description=_l("Name or ISTAT code, e.g. Moncalieri."),
    )
    province = StringField(
        _l("Province"), [Optional(), Length(max=2)], description=_l("e.g. TO, CN.")
    )
    lat = FloatField(_l("Latitude (optional)"), [Optional()])
    lon = FloatField(_l("Longitude (optional)"), [Optional()])
    travel_radius_km = FloatField(
        _l("How far you will travel (km)"), [InputRequired(), NumberRange(min=1, max=300)]
    )
    arrangements = MultiCheckboxField(
        _l("Work you accept"), choices=_choices(vocab.ARRANGEMENTS, vocab.ARRANGEMENT_LABELS)
    )
    availability = StringField(
        _l("Weekly availability"),
        [DataRequired(), Length(max=500)],
        description=_l(
            'Days and hours, e.g. "lun-ven 08:00-12:00, sab 09:00-11:00" or '
            '"Mon-Fri 08:00-12:00, Sat 09:00-11:00"; a day alone means the whole day.'
        ),
    )
    available_from = DateField(_l("Available from"), [InputRequired()])
    years_experience = IntegerField(
        _l("Years of experience"), [Optional(), NumberRange(min=0, max=70)], default=0
    )
    conditions = MultiCheckboxField(
        _l("Experience with"), choices=_choices(vocab.CONDITIONS, vocab.CONDITION_LABELS)
    )
    bio = TextAreaField(_l("About you"), [Optional(), Length(max=4000)])

    def to_data(self) -> dict[str, Any]:
        """The service's input from the submitted fields."""
        return {
            "display_name": self.display_name.data,
            "gender": self.gender.data,
            "birth_year": self.birth_year.data,
            "nationality": self.nationality.data,
            "phone": self.phone.data or None,
            "languages": parse_languages(self.languages.data or ""),
            "municipality": self.municipality.data,
            "province": self.province.data or None,
            "lat": self.lat.data,
            "lon": self.lon.data,
            "travel_radius_km": self.travel_radius_km.data,
            "arrangements": self.arrangements.data or [],
            "availability": self.availability.data,
            "available_from": self.available_from.data,
            "years_experience": self.years_experience.data or 0,
            "conditions": self.conditions.data or [],
            "bio": self.bio.data or "",
        }


class QualificationForm(CarenetForm):
    """A qualification of the catalogue with its dates."""

    code = SelectField(
        _l("Qualification"),
        choices=qualification_choices(),
    )
    issued_on = DateField(_l("Issued on"), [InputRequired()])
    expires_on = DateField(_l("Expires on (if it expires)"), [Optional()])


class RegisterFilterForm(CarenetForm):
    """Filters of the operators' register (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    municipality = StringField(_l("Comune"), [Optional(), Length(max=100)])
    province = StringField(_l("Province"), [Optional(), Length(min=2, max=2)])
    status = SelectField(
        _l("Status"),
        [Optional()],
        choices=[ANY, *_choices(vocab.ASSISTANT_STATUSES, vocab.ASSISTANT_STATUS_LABELS)],
    )
    arrangement = SelectField(
        _l("Arrangement"),
        [Optional()],
        choices=[ANY, *_choices(vocab.ARRANGEMENTS, vocab.ARRANGEMENT_LABELS)],
    )
    language = SelectField(
        _l("Language"),
        [Optional()],
        choices=[ANY, *_choices(vocab.LANGUAGES, vocab.LANGUAGE_LABELS)],
    )
    qualification = SelectField(
        _l("Qualification valid today"),
        [Optional()],
        choices=[ANY, *qualification_choices()],
    )
    condition = SelectField(
        _l("Experience with"),
        [Optional()],
        choices=[ANY, *_choices(vocab.CONDITIONS, vocab.CONDITION_LABELS)],
    )
    q = StringField(_l("Name contains"), [Optional(), Length(max=120)])
    page = IntegerField(_l("Page"), [Optional(), NumberRange(min=1, max=MAX_PAGE)], default=1)
