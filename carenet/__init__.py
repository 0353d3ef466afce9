"""carenet: the regional family-care network service."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g

from carenet.auth.loaders import init_login
from carenet.auth.ratelimit import init_rate_limits
from carenet.commands import register_commands
from carenet.core.api import init_api
from carenet.core.config import load_config
from carenet.core.db import context_sessions, engine_options, init_db
from carenet.core.errors import register_error_handlers
from carenet.core.extensions import babel, csrf
from carenet.core.i18n import LOCALE_COOKIE, select_locale
from carenet.core.logging import configure_logging, init_request_logging
from carenet.core.routing import IdConverter
from carenet.core.security import init_security
from carenet.core.settings import init_settings
from carenet.jobs.queue import register_queue_listeners
from carenet.matchmaking.freshness import register_freshness_listener
from carenet.matchmaking.index import init_matching
from carenet.ops.metrics import init_metrics
from carenet.web.helpers import register_template_helpers


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error handlers."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter
    app.config.update(load_config(app.instance_path, config))
    app.config["SQLALCHEMY_ENGINES"] = {"default": engine_options(app.config["DATABASE_URL"])}
    app.config.setdefault("SQLALCHEMY_ECHO", app.config["SQL_ECHO"])

    configure_logging(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    init_settings(app)
    init_db(app)
    register_queue_listeners()
    register_freshness_listener()
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)

    init_login(app)
    init_matching(app)
    init_request_logging(app)
    init_metrics(app)  # registered early: its after_request runs after the commit
    init_security(app)
    _register_blueprints(app)
    register_error_handlers(app)
    # Before the request transaction: after_request runs in reverse, so a failed attempt
    # is counted after the request's own commit or rollback has released the database.
    init_rate_limits(app)
    _register_request_transaction(app)
    register_template_helpers(app)
    _register_cli(app)
    return app


# Feature packages, each with ``views.bp`` (pages) and ``api.blp`` (JSON API), in the
# order their pages and API sections appear.
FEATURES = (
    "web",
    "auth",
    "catalogue",
    "organizations",
    "assistants",
    "families",
    "care_requests",
    "matchmaking",
    "proposals",
    "placements",
    "referrals",
    "notifications",
    "jobs",
    "case_history",
)


def _register_blueprints(app: Flask) -> None:
    """Pages first, then the JSON API with its OpenAPI document."""
    api_blueprints = []
    for name in FEATURES:
        if importlib.util.find_spec(f"carenet.{name}.views") is not None:
            app.register_blueprint(importlib.import_module(f"carenet.{name}.views").bp)
        if importlib.util.find_spec(f"carenet.{name}.api") is not None:
            api_blueprints.append(importlib.import_module(f"carenet.{name}.api").blp)
    init_api(app, api_blueprints)


def _register_request_transaction(app: Flask) -> None:
    """One commit per request: services only flush; errors roll everything back."""

    @app.after_request
    def _commit(response: Response) -> Response:
        for session in context_sessions():
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        locale_choice = g.get("set_locale_cookie")
        if locale_choice:
            response.set_cookie(
                LOCALE_COOKIE, locale_choice, max_age=365 * 86400, samesite="Lax", httponly=True
            )
        return response


def _register_cli(app: Flask) -> None:
    """Attach carenet's commands to ``flask``/``carenet``."""
    register_commands(app)
