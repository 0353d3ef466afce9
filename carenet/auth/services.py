"""Accounts: registration, credentials, lockout, sessions and bearer tokens.

Services take the database session and the acting user; they flush but never commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
import structlog
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from carenet.audit.services import record_event
from carenet.auth.models import ApiToken, User, fold_email
from carenet.auth.tokens import new_token, token_digest
from carenet.core.db import utcnow
from carenet.core.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
)
from carenet.core.security import hash_password, password_needs_rehash, verify_password
from carenet.core.vocab import LOCALES

if TYPE_CHECKING:
    from carenet.organizations.models import Organization


log = structlog.get_logger(__name__)
T = TypeVar("T")

SELF_REGISTERED_ROLES = ("family", "assistant")
STAFF_ROLES = ("operator", "admin")
PASSWORD_MAX_LENGTH = 1024  # argon2 accepts more, but nobody types this much
TOKEN_NAME_MAX_LENGTH = 100

# The 30,000 passwords seen most often in leaked password databases (zxcvbn's list,
# lowercase), checked offline; see docs/security.md and docs/decisions.md.
BREACHED_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
# zxcvbn's score: 0 under 10^3 guesses, 1 under 10^6, 2 under 10^8; we refuse 0 and 1.
MIN_PASSWORD_SCORE = 2
ZXCVBN_MAX_LENGTH = 72  # zxcvbn's own limit; what follows adds strength it need not see

# Verified against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


class LoginFailed(Unauthorized):
    """Wrong email or password; the message never says which."""

    code = "invalid_credentials"


class WrongPassword(Invalid):
    """The current password given to confirm a change is not the account's."""


def generic_login_message() -> str:
    """The one message for an unknown email and for a wrong password."""
    return _("The email or password is not correct.")


def new_session_token() -> str:
    """A fresh random session token (64 hex characters)."""
    return secrets.token_hex(32)


def normalize_email(value: str, field: str = "email") -> str:
    """Validate an email address and return its folded form (see ``fold_email``)."""
    text = fold_email(value)
    if not text:
        raise Invalid(_("The email address is required."), {"fields": {field: [_("Required.")]}})
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        message = _("%(value)s is not a valid email address: %(reason)s", value=text, reason=exc)
        raise Invalid(message, {"fields": {field: [message]}}) from exc
    return fold_email(result.normalized)


def _password_problem(password: str, user_inputs: Iterable[str]) -> str | None:
    """Why ``password`` is too guessable, or None: a breached-list or zxcvbn check."""
    if password.lower() in BREACHED_PASSWORDS or password.strip().lower() in BREACHED_PASSWORDS:
        return _(
            "This password is too common: it appears in lists of passwords leaked in data "
            "breaches. Choose another one, for instance a few unrelated words."
        )
    inputs = [part for text in user_inputs for part in text.replace("@", " ").split() if part]
    if zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE:
        return _(
            "This password is too easy to guess: it is or resembles a common password, word, "
            "name or date, a keyboard or number sequence, a repetition, or your own name or "
            "e-mail. Choose another one, for instance a few unrelated words."
        )
    return None


def check_password_strength(
    password: str, *, minimum: int, field: str = "password", user_inputs: Iterable[str] = ()
) -> None:
    """Raise ``Invalid`` unless the password has ``minimum`` characters or more and is not
    easily guessed.

    ``user_inputs`` (the account's e-mail and name) count as guessable words too.
    """
    if len(password or "") < minimum:
        message = _(
            "The password must be at least %(min)d characters long (it has %(n)d).",
            min=minimum,
            n=len(password or ""),
        )
        raise Invalid(message, {"fields": {field: [message]}})
    if len(password) > PASSWORD_MAX_LENGTH:
        message = _(
            "The password must be at most %(max)d characters long.", max=PASSWORD_MAX_LENGTH
        )
        raise Invalid(message, {"fields": {field: [message]}})
    problem = _password_problem(password, user_inputs)
    if problem is not None:
        raise Invalid(problem, {"fields": {field: [problem]}})


def _check_choice(value: str, allowed: tuple[str, ...], field: str) -> None:
    """Raise ``Invalid`` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        message = _(
            "%(value)r is not allowed for %(field)s; choose one of: %(allowed)s.",
            value=value,
            field=field,
            allowed=", ".join(allowed),
        )
        raise Invalid(message, {"fields": {field: [message]}})


def _collect(errors: dict[str, list[str]], check: Callable[[], T]) -> T | None:
    """Run one validation, adding its field messages to ``errors`` instead of raising."""
    try:
        return check()
    except Invalid as exc:
        errors.update(exc.details.get("fields", {}))
        return None


def _duplicate_email(email: str) -> Conflict:
    message = _("An account with this email already exists.")
    return Conflict(message, {"fields": {"email": [message]}, "email": email})


def find_user_by_email(session: Session, email: str) -> User | None:
    """The account with this (normalised) email, or None."""
    return session.scalar(sa.select(User).where(User.email == fold_email(email)))


def get_user_by_email(session: Session, email: str) -> User:
    """The account with this email, or ``NotFound``."""
    user = find_user_by_email(session, email)
    if user is None:
        raise NotFound(_("No account has the email %(email)s.", email=email), {"email": email})
    return user


def _add_user(session: Session, user: User) -> User:
    """Insert a user, turning a concurrent duplicate email into a ``Conflict``."""
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        # Another request took the email between our check and the insert; the
        # request's rollback discards the failed flush.
        raise _duplicate_email(user.email) from exc
    return user


def register_user(
    session: Session,
    *,
    email: str,
    password: str,
    full_name: str,
    role: str,
    locale: str = "it",
    password_min_length: int,
) -> User:
    """Create a family or assistant account (self-registration); validate all first."""
    errors: dict[str, list[str]] = {}
    normalised = _collect(errors, lambda: normalize_email(email)) or ""
    _collect(
        errors,
        lambda: check_password_strength(
            password, minimum=password_min_length, user_inputs=(email, full_name)
        ),
    )
    _collect(errors, lambda: _check_choice(role, SELF_REGISTERED_ROLES, "role"))
    _collect(errors, lambda: _check_choice(locale, LOCALES, "locale"))
    name = (full_name or "").strip()
    if not name:
        errors["full_name"] = [_("The full name is required.")]
    elif len(name) > 200:
        errors["full_name"] = [_("The full name must be at most %(max)d characters.", max=200)]
    if errors:
        messages = [m for problems in errors.values() for m in problems]
        raise Invalid(" ".join(messages), {"fields": errors})
    if find_user_by_email(session, normalised) is not None:
        raise _duplicate_email(normalised)
    user = _add_user(
        session,
        User(
            email=normalised,
            password_hash=hash_password(password),
            role=role,
            full_name=name,
            locale=locale,
            session_token=new_session_token(),
        ),
    )
    record_event(session, user, "user.registered", "user", user.id, {"role": role})
    log.info("user_registered", user_id=user.id, role=role)
    return user


def create_staff_user(
    session: Session,
    actor: User | None,
    *,
    email: str,
    password: str,
    role: str,
    organization: Organization | None = None,
    full_name: str = "",
    password_min_length: int,
) -> User:
    """Create an operator (of ``organization``) or an administrator; never self-service."""
    _check_choice(role, STAFF_ROLES, "role")
    normalised = normalize_email(email)
    check_password_strength(
        password, minimum=password_min_length, user_inputs=(normalised, full_name)
    )
    if role == "operator" and organization is None:
        raise Invalid(
            _("An operator must belong to an organization."),
            {"fields": {"organization": [_("Required for operators.")]}},
        )
    if role == "admin" and organization is not None:
        raise Invalid(
            _("An administrator does not belong to an organization."),
            {"fields": {"organization": [_("Must be empty for administrators.")]}},
        )
    if find_user_by_email(session, normalised) is not None:
        raise _duplicate_email(normalised)
    user = _add_user(
        session,
        User(
            email=normalised,
            password_hash=hash_password(password),
            role=role,
            full_name=full_name.strip(),
            locale="it",
            organization=organization,
            session_token=new_session_token(),
        ),
    )
    data: dict[str, Any] = {"role": role}
    if organization is not None:
        data["organization"] = organization.code
    record_event(session, actor, "user.created", "user", user.id, data)
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """Check an e-mail and password; return the account or raise ``LoginFailed``.

    An unknown e-mail, a wrong password and a disabled account raise the same error with
    the same message, after the same argon2 work. Failed attempts are counted by the rate
    limiter (``carenet.auth.ratelimit``), per client and per account and client.
    """
    now = utcnow()
    try:
        normalised = normalize_email(email)
    except Invalid:
        normalised = ""
    user = find_user_by_email(session, normalised) if normalised else None
    if user is None:
        verify_password(_DUMMY_HASH, password or "")
        log.info("login_failed", reason="unknown_email", email_domain=normalised.rpartition("@")[2])
        raise LoginFailed(generic_login_message())
    if not verify_password(user.password_hash, password or ""):
        log.info("login_failed", reason="wrong_password", user_id=user.id)
        raise LoginFailed(generic_login_message())
    if not user.is_enabled:
        log.info("login_failed", reason="disabled", user_id=user.id)
        raise LoginFailed(generic_login_message())
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    record_event(session, user, "user.logged_in", "user", user.id)
    session.flush()
    log.info("login_succeeded", user_id=user.id)
    return user


def end_sessions(session: Session, user: User) -> None:
    """Rotate the session token: every session and remember-me cookie of ``user`` ends."""
    user.session_token = new_session_token()
    record_event(session, user, "user.sessions_ended", "user", user.id)
    session.flush()


def change_password(
    session: Session,
    user: User,
    *,
    current_password: str,
    new_password: str,
    password_min_length: int,
) -> None:
    """Replace the password after checking the current one; end every other session."""
    if not verify_password(user.password_hash, current_password or ""):
        message = _("The current password is not correct.")
        raise WrongPassword(message, {"fields": {"current_password": [message]}})
    check_password_strength(
        new_password,
        minimum=password_min_length,
        field="new_password",
        user_inputs=(user.email, user.full_name),
    )
    if verify_password(user.password_hash, new_password):
        message = _("The new password must differ from the current one.")
        raise Invalid(message, {"fields": {"new_password": [message]}})
    user.password_hash = hash_password(new_password)
    end_sessions(session, user)
    # A token is a password-equivalent: whoever knew the old password may have made one.
    revoke_all_tokens(session, user, user, reason="password_changed")
    record_event(session, user, "user.password_changed", "user", user.id)
    log.info("password_changed", user_id=user.id)


def set_locale(session: Session, user: User, locale: str) -> bool:
    """Store ``user``'s interface language (from the account page or a ``?lang=`` link);
    return whether it changed. A change is audited with the language before and after."""
    _check_choice(locale, LOCALES, "locale")
    if user.locale == locale:
        return False
    previous = user.locale
    user.locale = locale
    record_event(
        session, user, "user.locale_changed", "user", user.id, {"from": previous, "to": locale}
    )
    session.flush()
    return True


def unlock_user(session: Session, actor: User | None, user: User) -> None:
    """Record that the failed attempts counted against ``user`` were forgotten.

    The counts live in the rate limiter's storage; the caller clears them there
    (``carenet.auth.ratelimit.clear_account_limits``).
    """
    record_event(session, actor, "user.unlocked", "user", user.id)
    session.flush()


def issue_token(
    session: Session,
    actor: User | None,
    user: User,
    *,
    name: str,
    expires_at: dt.datetime | None,
) -> tuple[ApiToken, str]:
    """Create a bearer token for ``user``; return the row and the token, shown only once."""
    label = (name or "").strip()
    if not label or len(label) > TOKEN_NAME_MAX_LENGTH:
        message = _(
            "The token name is required and at most %(max)d characters.",
            max=TOKEN_NAME_MAX_LENGTH,
        )
        raise Invalid(message, {"fields": {"name": [message]}})
    if expires_at is not None and expires_at <= utcnow():
        message = _("The expiry must be in the future.")
        raise Invalid(message, {"fields": {"expires_at": [message]}})
    token = new_token()
    row = ApiToken(
        user_id=user.id,
        name=label,
        prefix=token[:12],
        token_hash=token_digest(token),
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    record_event(
        session, actor, "token.created", "api_token", row.id, {"user_id": user.id, "name": label}
    )
    log.info("token_created", user_id=user.id, token_id=row.id, prefix=row.prefix)
    return row, token


def personal_token_expiry(days: int | None, *, default_days: int, max_days: int) -> dt.datetime:
    """When a personal token asked for ``days`` (None: ``default_days``) stops working."""
    longest = max_days
    chosen = default_days if days is None else days
    if not 1 <= chosen <= longest:
        message = _(
            "A personal token lasts from 1 to %(max)d days (asked: %(days)d).",
            max=longest,
            days=chosen,
        )
        raise Invalid(message, {"fields": {"expires_in_days": [message]}})
    return utcnow() + dt.timedelta(days=chosen)


def _active_tokens(user_id: int) -> sa.Select[ApiToken]:
    """Tokens of ``user_id`` that still authenticate: not revoked, not expired."""
    return sa.select(ApiToken).where(
        ApiToken.user_id == user_id,
        ApiToken.revoked_at.is_(None),
        sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()),
    )


def list_tokens(session: Session, actor: User, user_id: int | None = None) -> list[ApiToken]:
    """The tokens that still work of ``actor`` or, for an administrator, of ``user_id``."""
    owner = actor.id if user_id is None else user_id
    if owner != actor.id and actor.role != "admin":
        raise Forbidden(_("Only administrators see other people's tokens."))
    return list(session.scalars(_active_tokens(owner).order_by(ApiToken.created_at, ApiToken.id)))


def revoke_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """Revoke one of ``actor``'s tokens (admins: anyone's)."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.id and actor.role != "admin"):
        raise NotFound(_("No token with id %(id)s.", id=token_id))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record_event(session, actor, "token.revoked", "api_token", row.id)
        session.flush()
    return row


def revoke_all_tokens(session: Session, actor: User | None, user: User, reason: str) -> int:
    """Revoke every token of ``user`` that still works; return how many."""
    rows = list(session.scalars(_active_tokens(user.id)))
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    if rows:
        record_event(
            session,
            actor,
            "token.revoked_all",
            "user",
            user.id,
            {"count": len(rows), "reason": reason},
        )
        session.flush()
    return len(rows)


def deactivate_user(session: Session, actor: User | None, user: User) -> None:
    """Disable an account: it cannot log in, and its sessions and tokens end now."""
    user.is_enabled = False
    end_sessions(session, user)
    revoke_all_tokens(session, actor, user, reason="deactivated")
    record_event(session, actor, "user.deactivated", "user", user.id)
    session.flush()
