"""Forms of the referrals pages; the services validate again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from carenet.core.forms import CarenetForm
from carenet.families.forms import options
from carenet.referrals.models import REFERRAL_STATUSES
from carenet.referrals.services import MAX_REASON

REFERRAL_STATUS_LABELS = {
    "pending": _l("Pending"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "completed": _l("Completed"),
    "revoked": _l("Revoked"),
}

CONSENT_TEXT = _l(
    "The family has been told which organization the case is sent to and why, and agreed "
    "that the household's details, the people cared for and their care requests are shared "
    "with it."
)


class ReferralForm(CarenetForm):
    """Refer a case: to whom, why, and the family's consent."""

    to_organization_id = SelectField(_l("Refer to"), validators=[DataRequired()])
    request_id = SelectField(_l("Care request (optional)"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason for the referral"),
        validators=[DataRequired(), Length(max=MAX_REASON)],
        description=_l("No health details: say what the other organization is asked to do."),
    )
    consent_given = BooleanField(_l("The family gave its consent"), description=CONSENT_TEXT)


class ReferralAnswerForm(CarenetForm):
    """The reason of an answer (required to reject)."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=MAX_REASON)])


class ReferralFilterForm(CarenetForm):
    """The inbox/outbox filter (GET; no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=options(
            [("", _l("All")), *((s, REFERRAL_STATUS_LABELS[s]) for s in REFERRAL_STATUSES)]
        ),
        validators=[Optional()],
    )
