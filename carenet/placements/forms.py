"""Forms of the placement pages; the service checks every rule again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carenet.core.forms import CarenetForm
from carenet.core.vocab import CCNL_LEVEL_LABELS
from carenet.families.forms import options

RATINGS = options((str(n), str(n)) for n in range(1, 6))


class StartPlacementForm(CarenetForm):
    """The contract terms of a placement, from an accepted proposal."""

    proposal_id = HiddenField()
    ccnl_level = SelectField(
        _l("CCNL level"), choices=options(CCNL_LEVEL_LABELS.items()), validators=[InputRequired()]
    )
    schedule = StringField(_l("Working hours"), validators=[DataRequired(), Length(max=500)])
    weekly_hours = IntegerField(
        _l("Hours a week"),
        validators=[Optional(), NumberRange(min=1, max=168)],
        description=_l("Leave empty: it is counted from the schedule."),
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(
        _l("End date"),
        validators=[Optional()],
        description=_l("Leave empty for an open-ended contract."),
    )

    def service_data(self) -> dict[str, Any]:
        """The keyword arguments of ``start_placement`` after the proposal."""
        return {
            "ccnl_level": self.ccnl_level.data,
            "weekly_hours": self.weekly_hours.data,
            "schedule_text": self.schedule.data or "",
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
        }


class EndPlacementForm(CarenetForm):
    """The end of a placement: why and when."""

    end_reason = TextAreaField(
        _l("Why does the placement end?"), validators=[DataRequired(), Length(max=2000)]
    )
    ended_on = DateField(
        _l("Last day of work"),
        default=dt.date.today,
        validators=[Optional()],
        description=_l(
            "Not before the start. Leave empty for today, or to call off a placement that "
            "has not started."
        ),
    )


class FeedbackForm(CarenetForm):
    """One side's rating and words."""

    side = HiddenField(validators=[InputRequired()])
    rating = RadioField(_l("Rating (1 to 5)"), choices=RATINGS, validators=[InputRequired()])
    text = TextAreaField(_l("Comments"), validators=[Optional(), Length(max=2000)])
