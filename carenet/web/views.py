"""The public pages: home, health check, language choice and the API docs' policy."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user

from carenet.auth.loaders import current_actor
from carenet.auth.services import set_locale
from carenet.core.db import db
from carenet.core.security import has_bearer_token
from carenet.core.settings import current_settings

bp = Blueprint("web", __name__, template_folder="templates")


@bp.get("/")
def home() -> str:
    """The home page: what the service is and who it is for."""
    return render_template("web/home.html")


@bp.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    """Liveness and database check for the reverse proxy and the tests."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}, 200


@bp.before_app_request
def _remember_language() -> None:
    """A logged-in user who picks a language with ``?lang=`` keeps it on every page."""
    chosen = request.args.get("lang")
    if not chosen or chosen not in current_settings().languages:
        return
    if request.method != "GET" or has_bearer_token():
        return
    if getattr(current_user, "is_authenticated", False):
        set_locale(db.session, current_actor(), chosen)
