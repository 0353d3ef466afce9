"""Writes behind the public pages: the interface language a user chose."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.core.errors import Invalid


def set_user_locale(session: Session, user: User, locale: str, supported: Sequence[str]) -> bool:
    """Store ``user``'s interface language; return whether it changed."""
    if locale not in supported:
        raise Invalid(
            _(
                "Unknown language %(value)s: choose one of %(choices)s.",
                value=locale,
                choices=", ".join(supported),
            ),
            {"fields": {"lang": [_("Not a supported language.")]}},
        )
    if user.locale == locale:
        return False
    previous = user.locale
    user.locale = locale
    record_event(
        session, user, "user.locale_changed", "user", user.id, {"from": previous, "to": locale}
    )
    session.flush()
    return True
