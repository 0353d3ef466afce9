"""Locale selection: the user's choice, then the ``lang`` cookie, then the browser."""

from __future__ import annotations

from flask import current_app, g, request
from flask_login import current_user

LOCALE_COOKIE = "carenet_lang"


def select_locale() -> str:
    """Pick the interface language for the current request (Italian by default)."""
    supported: list[str] = current_app.config["LANGUAGES"]
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
    best = request.accept_languages.best_match(supported)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]
