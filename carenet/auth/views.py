"""Pages of the auth feature: login, logout, registration and the account page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from carenet.auth import services
from carenet.auth.forms import (
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    PreferencesForm,
    RegisterForm,
    RevokeTokenForm,
)
from carenet.auth.loaders import current_actor
from carenet.auth.ratelimit import note_rejected_credentials
from carenet.core.db import db
from carenet.core.errors import CarenetError
from carenet.core.forms import apply_errors
from carenet.core.settings import current_settings

bp = Blueprint("auth", __name__, template_folder="templates")

PageResponse = Response | str | tuple[str, int]


def safe_next(target: str | None) -> str | None:
    """``target`` as a local path when it points to this site, otherwise None."""
    text = (target or "").strip()
    if not text or "\\" in text or any(ord(ch) < 32 for ch in text):
        return None
    parts = urlsplit(text)
    is_absolute = bool(parts.scheme or parts.netloc)
    if is_absolute and (parts.scheme not in {"http", "https"} or parts.netloc != request.host):
        return None
    path = parts.path or "/"
    # "//evil.example" is a scheme-relative URL to another host.
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _home() -> str:
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> PageResponse:
    """Log in with email and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(form.next.data or _home())
        return render_template("auth/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422
    try:
        user = services.authenticate(db.session, form.email.data or "", form.password.data or "")
    except services.LoginFailed as exc:
        note_rejected_credentials()
        form.form_errors.append(exc.message)
        return render_template("auth/login.html", form=form), exc.status
    login_user(user, remember=bool(form.remember.data))
    g.log_user_id = user.id
    return redirect(safe_next(form.next.data) or _home())


@bp.post("/logout")
def logout() -> Response:
    """End every session of the account (all devices), then this one."""
    if current_user.is_authenticated:
        services.end_sessions(db.session, current_actor())
        logout_user()
        flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register() -> PageResponse:
    """Create a family or assistant account, then log in."""
    form = RegisterForm()
    if request.method == "GET":
        return render_template("auth/register.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/register.html", form=form), 422
    try:
        user = services.register_user(
            db.session,
            email=form.email.data or "",
            password=form.password.data or "",
            full_name=form.full_name.data or "",
            role=form.role.data or "",
            locale=form.locale.data or "it",
            password_min_length=current_settings().password_min_length,
        )
    except CarenetError as exc:
        apply_errors(form, exc)
        return render_template("auth/register.html", form=form), exc.status
    login_user(user)
    flash(_("Welcome to carenet: your account is ready."), "success")
    return redirect(_home())


def _render_account(
    password_form: PasswordChangeForm | None = None,
    preferences_form: PreferencesForm | None = None,
) -> str:
    # formdata=None: a form that was not the one submitted must not read the other's fields.
    preferences = preferences_form or PreferencesForm(formdata=None, locale=current_user.locale)
    return render_template(
        "auth/account.html",
        password_form=password_form or PasswordChangeForm(formdata=None),
        preferences_form=preferences,
        logout_form=LogoutForm(),
        tokens=services.list_tokens(db.session, current_actor()),
        revoke_form=RevokeTokenForm(),
    )


@bp.get("/account")
@login_required
def account() -> PageResponse:
    """The account page: profile, password change, language, logout."""
    return _render_account()


@bp.post("/account/password")
@login_required
def change_password() -> PageResponse:
    """Change the password; other sessions end, this one continues."""
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _render_account(password_form=form), 422
    user = current_actor()
    try:
        services.change_password(
            db.session,
            user,
            current_password=form.current_password.data or "",
            new_password=form.new_password.data or "",
            password_min_length=current_settings().password_min_length,
        )
    except CarenetError as exc:
        if isinstance(exc, services.WrongPassword):
            note_rejected_credentials()
        apply_errors(form, exc)
        return _render_account(password_form=form), exc.status
    # The session token rotated: log this browser in again with the new one.
    login_user(user)
    flash(_("Your password has been changed; your other sessions have been logged out."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> PageResponse:
    """Revoke one of the user's API tokens (administrators: anyone's)."""
    form = RevokeTokenForm()
    if not form.validate_on_submit():
        return _render_account(), 422
    row = services.revoke_token(db.session, current_actor(), token_id)
    flash(_("The token %(name)s no longer works.", name=row.name), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/preferences")
@login_required
def update_preferences() -> PageResponse:
    """Store the preferred interface language."""
    form = PreferencesForm()
    if not form.validate_on_submit():
        return _render_account(preferences_form=form), 422
    locale = form.locale.data or "it"
    services.set_locale(db.session, current_actor(), locale)
    g.set_locale_cookie = locale
    flash(_("Your preferences have been saved."), "success")
    return redirect(url_for("auth.account"))
