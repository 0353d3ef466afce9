"""Forms of the auth pages; the services validate again, these shape the input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from carenet.core.forms import CarenetForm

LOCALE_CHOICES = [SelectChoice("it", "Italiano"), SelectChoice("en", "English")]


class LoginForm(CarenetForm):
    """Email and password, with an optional "remember me"."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class RegisterForm(CarenetForm):
    """Self-registration of a family member or an assistant."""

    role = RadioField(
        _l("I am registering as"),
        choices=[
            SelectChoice("family", _l("A family looking for an assistant")),
            SelectChoice("assistant", _l("A family assistant looking for work")),
        ],
        validators=[DataRequired()],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    locale = RadioField(_l("Language"), choices=LOCALE_CHOICES, default="it")


class PasswordChangeForm(CarenetForm):
    """The current password and the new one, twice."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class PreferencesForm(CarenetForm):
    """The interface language."""

    locale = RadioField(_l("Language"), choices=LOCALE_CHOICES, validators=[DataRequired()])


class LogoutForm(CarenetForm):
    """An empty form: logging out is a POST carrying the CSRF token."""


class RevokeTokenForm(CarenetForm):
    """An empty form: revoking a token is a POST carrying the CSRF token."""
