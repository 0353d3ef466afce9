"""Locale selection: Italian unless someone chose otherwise.

The choice comes from ``?lang=`` (remembered in a cookie), the logged-in user's
preference, or that cookie. The browser's Accept-Language is deliberately not used: a
regional public service opens in Italian, and an operator at a sportello whose browser
happens to be set to English should still see the pages the family sees.
"""

from __future__ import annotations

from flask import g, has_request_context, request
from flask_login import current_user

from carenet.core.settings import current_settings

LOCALE_COOKIE = "carenet_lang"


def select_locale() -> str:
    """Pick the interface language for the current request (Italian by default)."""
    settings = current_settings()
    default = settings.default_locale
    if not has_request_context():
        return default
    supported = settings.languages
    chosen = request.args.get("lang")
    if chosen in supported:
        g.set_locale_cookie = chosen
        return chosen
    if getattr(current_user, "is_authenticated", False):
        locale = getattr(current_user, "locale", None)
        if locale in supported:
            return str(locale)
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in supported:
        return str(cookie)
    return default
