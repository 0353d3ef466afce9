"""Template helpers for the pages: safe links, role navigation, language links, the
vocabularies and the notification bell."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask.sansio.app import App
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from carenet.access import policy
from carenet.auth.loaders import current_actor
from carenet.core import vocab
from carenet.core.api import MAX_PAGE
from carenet.core.db import db
from carenet.core.settings import current_settings
from carenet.notifications.services import count_unread

# What each role finds in the main navigation, as (endpoint, label).
NAVIGATION: dict[str, tuple[tuple[str, Any], ...]] = {
    "family": (
        ("families.show_household", _l("My household")),
        ("care_requests.list_requests", _l("Care requests")),
        ("proposals.list_proposals", _l("Proposals")),
        ("placements.list_placements", _l("Placements")),
    ),
    "assistant": (
        ("assistants.my_profile", _l("My profile")),
        ("proposals.list_proposals", _l("Proposals")),
        ("placements.list_placements", _l("Placements")),
    ),
    "operator": (
        ("assistants.list_assistants", _l("Register of assistants")),
        ("families.list_households", _l("Households")),
        ("care_requests.list_requests", _l("Care requests")),
        ("referrals.list_referrals", _l("Referrals")),
        ("proposals.list_proposals", _l("Proposals")),
        ("placements.list_placements", _l("Placements")),
        ("matchmaking.bulk_assignments", _l("Bulk assignment")),
    ),
    "admin": (
        ("organizations.list_organizations", _l("Organizations")),
        ("referrals.list_referrals", _l("Referrals")),
    ),
}

# Links shown only to some users of a role (the page itself refuses the others).
NAVIGATION_RULES: dict[str, Callable[[Any], bool]] = {
    "matchmaking.bulk_assignments": lambda user: (
        policy.organization_kind(user) in policy.BROKER_KINDS
    ),
}

LANGUAGE_NAMES = {"it": "Italiano", "en": "English"}


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation."""

    url: str
    label: str
    active: bool


def url_for_if(endpoint: str, **values: Any) -> str | None:
    """``url_for`` for an endpoint that may not exist (yet): None instead of an error."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def navigation_items() -> list[NavItem]:
    """The current user's navigation links whose pages exist."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    items = []
    for endpoint, label in NAVIGATION.get(current_user.role, ()):
        rule = NAVIGATION_RULES.get(endpoint)
        if rule is not None and not rule(current_user):
            continue
        url = url_for_if(endpoint)
        if url is not None:
            items.append(NavItem(url, str(label), request.endpoint == endpoint))
    return items


def language_url(code: str) -> str:
    """The current page in another language: same path and query, ``lang`` replaced."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", code))
    return f"{request.path}?{urlencode(args)}"


def language_links() -> list[dict[str, Any]]:
    """One link per supported language, with its native name."""
    return [
        {"code": code, "name": LANGUAGE_NAMES.get(code, code), "url": language_url(code)}
        for code in current_settings().languages
    ]


def error_text(problems: Any) -> str:
    """Flatten a field's error messages (a string, a list or nested dicts) into one line."""
    if isinstance(problems, str):
        return problems
    if isinstance(problems, Mapping):
        return "; ".join(f"{key}: {error_text(value)}" for key, value in problems.items())
    if isinstance(problems, list | tuple):
        return "; ".join(error_text(item) for item in problems)
    return str(problems)


def current_locale() -> str:
    """The request's interface language code."""
    return str(get_locale())


def unread_notification_count() -> int:
    """The bell's number: the current user's unread notifications (0 when logged out)."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    return count_unread(db.session, current_actor())


def register_template_helpers(app: App) -> None:
    """Make the helpers available to every template: the one place template globals are
    registered (feature-only helpers stay in their blueprint's context processor)."""
    app.jinja_env.globals["vocab"] = vocab  # a module: add_template_global takes functions
    app.add_template_global(current_locale)
    app.add_template_global(unread_notification_count)
    app.add_template_global(url_for_if)
    app.add_template_global(navigation_items)
    app.add_template_global(language_links)
    app.add_template_filter(error_text)


def requested_page() -> int:
    """A list page's ``?page=``: 1 when missing or not a number, at most ``MAX_PAGE``."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill, ``per_page`` a page (at least one)."""
    return max(1, -(-total // per_page))
