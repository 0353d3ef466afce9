"""Configuration: defaults in code, overrides from ``CARENET_*`` variables, then a dict.

This is the only module that reads ``os.environ``.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "CARENET_"

DEFAULTS: dict[str, Any] = {
    # Core
    # "development" (make run, plain HTTP) or "production" (behind HTTPS): see PROFILES.
    "PROFILE": "development",
    "SECRET_KEY": None,  # development: generated once into the instance folder when missing
    "DATABASE_URL": None,  # default: SQLite file in the instance folder
    "SQL_ECHO": False,
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "console",  # "console" or "json"
    "METRICS": False,  # Prometheus metrics at /metrics (carenet/ops/metrics.py)
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # 1 MiB; larger bodies get a 413
    "BABEL_DEFAULT_LOCALE": "it",
    "LANGUAGES": ["it", "en"],
    "BABEL_DEFAULT_TIMEZONE": "Europe/Rome",
    # Security
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_DURATION": 14 * 86400,  # seconds
    "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
    # A page session ends after this many minutes without a request, and this many hours
    # after its login whatever happens (0: never); see carenet/auth/loaders.py.
    "SESSION_IDLE_MINUTES": 0,
    "SESSION_MAX_HOURS": 0,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": None,
    # Rate limits (Flask-Limiter notation, ";" between limits; docs/security.md). Counted
    # in the database by default, shared by every worker and server; or "redis://...".
    "RATE_LIMIT_STORAGE_URL": "",
    "RATE_LIMIT_LOGIN_PER_CLIENT": "20 per minute; 200 per hour",
    "RATE_LIMIT_LOGIN_FAILURES": "5 per 15 minutes",  # per account and client
    "RATE_LIMIT_REGISTER_PER_CLIENT": "5 per minute; 30 per hour",
    "RATE_LIMIT_PASSWORD_PER_CLIENT": "10 per hour",
    "RATE_LIMIT_PASSWORD_FAILURES": "5 per 15 minutes",  # per account and client
    # Proxies in front of the app whose X-Forwarded-For is trusted (0: none).
    "TRUSTED_PROXIES": 0,
    "PASSWORD_MIN_LENGTH": 10,
    # Personal bearer tokens: their life when none is asked for, and the longest allowed.
    "TOKEN_DEFAULT_DAYS": 14,
    "TOKEN_MAX_DAYS": 90,
    # argon2-cffi profile: RFC_9106_LOW_MEMORY (64 MiB, 3 passes); tests use CHEAPEST.
    "ARGON2_PROFILE": "RFC_9106_LOW_MEMORY",
    "HSTS": False,
    # Geography
    "REGION_CODE": "01",  # Piemonte
    # Demo
    "DEMO_PASSWORD": "carenet-demo",
    # API
    "API_TITLE": "carenet API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    "API_PAGE_SIZE_MAX": 100,
    # Background jobs (huey): empty = a SQLite file in the instance folder; or
    # "sqlite:////path/jobs.sqlite", or "redis://host:6379/0" for several servers.
    "PROPOSAL_TTL_DAYS": 14,  # a proposal expires unanswered after this many days
    "JOB_QUEUE_URL": "",
    "JOBS_IMMEDIATE": False,  # run tasks in the caller's process at once (tests, debugging)
    # E-mail (Flask-Mailman): "carenet.notifications.mail" writes them to the log;
    # "smtp" sends them with the MAIL_SERVER settings below; tests use "locmem".
    "MAIL_BACKEND": "carenet.notifications.mail",
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_TIMEOUT": 30,
    "MAIL_DEFAULT_SENDER": "carenet <noreply@carenet.invalid>",
    "MAIL_BASE_URL": "http://127.0.0.1:5000",  # links in e-mails start with it
}


# What one setting, PROFILE, changes from the defaults above. A variable given on its own
# (CARENET_SESSION_IDLE_MINUTES=10) still wins over its profile's value.
PROFILES: dict[str, dict[str, Any]] = {
    "development": {},
    "production": {
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "HSTS": True,
        "PREFERRED_URL_SCHEME": "https",
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        # The browser drops a remember-me cookie unused for as long as the idle timeout,
        # so it cannot revive a session the timeout ended.
        "REMEMBER_COOKIE_DURATION": 30 * 60,
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": True,
    },
}
MIN_SECRET_KEY_LENGTH = 32
KNOWN_WEAK_SECRETS = {"change-me", "changeme", "secret", "dev", "development", "test"}


def _coerce(value: str, default: Any) -> Any:
    """Turn an environment string into the type of its default."""
    if isinstance(default, bool):
        lowered = value.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"not a boolean: {value!r}")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, list | dict):
        return json.loads(value)
    return value


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read ``CARENET_<KEY>`` overrides, typed like their defaults."""
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX) :]
        if key == "TEST_DATABASE_URL":
            continue
        try:
            out[key] = _coerce(raw, DEFAULTS.get(key))
        except ValueError as exc:
            raise RuntimeError(f"{name}: {exc}") from exc
    return out


def configured_test_database_url() -> str | None:
    """The database URL for the test suite, when one is configured."""
    return os.environ.get(ENV_PREFIX + "TEST_DATABASE_URL") or None


def load_config(instance_path: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Merge defaults, the profile's values, environment and explicit overrides into one dict."""
    given: dict[str, Any] = {}
    if overrides is None or not overrides.get("IGNORE_ENVIRON"):
        given.update(from_environ(os.environ))
    if overrides:
        given.update(overrides)
    profile = given.get("PROFILE", DEFAULTS["PROFILE"])
    if profile not in PROFILES:
        raise RuntimeError(
            f"PROFILE (CARENET_PROFILE) is {profile!r}; choose one of: {', '.join(PROFILES)}"
        )
    config = {**DEFAULTS, **PROFILES[profile], **given}
    instance = Path(instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'carenet.db'}"
    if profile == "production":
        _check_production_secret(config["SECRET_KEY"])
    elif not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(instance)
    return config


def _check_production_secret(secret: str | None) -> None:
    """Refuse to run in production without a strong secret key set on purpose.

    The key signs sessions: a key generated on one server would differ on the next, and a
    short or well-known one can be guessed.
    """
    if (
        not secret
        or len(secret) < MIN_SECRET_KEY_LENGTH
        or secret.strip().lower() in KNOWN_WEAK_SECRETS
    ):
        raise RuntimeError(
            "The production profile needs CARENET_SECRET_KEY: a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters, the same on every server "
            '(python -c "import secrets; print(secrets.token_hex(32))").'
        )


def _instance_secret(instance: Path) -> str:
    """Create (once) and read a random secret key kept in the instance folder."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        # Write a temporary file and hard-link it into place, so that several
        # processes starting at once all end up reading the same key.
        tmp = instance / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()
