"""carenet's own settings, typed and frozen, built once from the configuration.

``create_app`` builds a :class:`Settings` from ``app.config`` and keeps it on the
application. Services never read the configuration: the edges (views, API, CLI commands,
job tasks, request hooks) get the settings with :func:`current_settings` and pass each
service the values it needs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

SETTINGS_EXTENSION = "carenet.settings"


@dataclasses.dataclass(frozen=True, slots=True)
class Settings:
    """The configuration values carenet's code reads (Flask and its extensions read
    their own keys from ``app.config``)."""

    database_url: str
    default_locale: str
    languages: tuple[str, ...]
    password_min_length: int
    token_default_days: int
    token_max_days: int
    session_idle_minutes: float
    session_max_hours: float
    proposal_ttl_days: int
    mail_base_url: str
    demo_password: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """Read and type the values from a loaded configuration (``load_config``)."""
        return cls(
            database_url=str(config["DATABASE_URL"]),
            default_locale=str(config["BABEL_DEFAULT_LOCALE"]),
            languages=tuple(config["LANGUAGES"]),
            password_min_length=int(config["PASSWORD_MIN_LENGTH"]),
            token_default_days=int(config["TOKEN_DEFAULT_DAYS"]),
            token_max_days=int(config["TOKEN_MAX_DAYS"]),
            session_idle_minutes=float(config["SESSION_IDLE_MINUTES"]),
            session_max_hours=float(config["SESSION_MAX_HOURS"]),
            proposal_ttl_days=int(config["PROPOSAL_TTL_DAYS"]),
            mail_base_url=str(config["MAIL_BASE_URL"]),
            demo_password=str(config["DEMO_PASSWORD"]),
        )

    @property
    def proposal_ttl(self) -> dt.timedelta:
        """How long a sent proposal waits for its answers."""
        return dt.timedelta(days=self.proposal_ttl_days)


def init_settings(app: Flask) -> Settings:
    """Build the application's settings from its configuration, once."""
    settings = Settings.from_config(app.config)
    app.extensions[SETTINGS_EXTENSION] = settings
    return settings


def current_settings() -> Settings:
    """The settings of the current application (for the edges: views, CLI, tasks, hooks)."""
    settings: Settings = current_app.extensions[SETTINGS_EXTENSION]
    return settings
