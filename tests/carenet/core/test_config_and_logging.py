"""Configuration precedence and log redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from carenet.core.config import from_environ, load_config
from carenet.core.logging import redact


def test_environment_overrides_are_typed_like_their_defaults() -> None:
    env = {
        "CARENET_PASSWORD_MIN_LENGTH": "7",
        "CARENET_HSTS": "yes",
        "CARENET_LANGUAGES": '["it"]',
        "OTHER": "ignored",
    }
    assert from_environ(env) == {"PASSWORD_MIN_LENGTH": 7, "HSTS": True, "LANGUAGES": ["it"]}


def test_a_malformed_environment_value_names_the_variable() -> None:
    with pytest.raises(RuntimeError, match="CARENET_HSTS"):
        from_environ({"CARENET_HSTS": "maybe"})


def test_explicit_overrides_win_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    config = load_config(str(tmp_path), {"IGNORE_ENVIRON": True, "PASSWORD_MIN_LENGTH": 3})
    assert config["PASSWORD_MIN_LENGTH"] == 3
    assert config["BABEL_DEFAULT_LOCALE"] == "it"
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'carenet.db'}"


def test_the_generated_secret_key_is_stable_across_processes(tmp_path: Path) -> None:
    first = load_config(str(tmp_path), {"IGNORE_ENVIRON": True})["SECRET_KEY"]
    second = load_config(str(tmp_path), {"IGNORE_ENVIRON": True})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secrets_and_health_details_are_redacted_from_log_events() -> None:
    event = {
        "event": "login",
        "password": "hunter2hunter2",
        "Authorization": "Bearer cn_abc",
        "conditions": ["dementia"],
        "user_id": 4,
    }
    out = redact(None, "info", dict(event))
    assert out["password"] == "[redacted]"
    assert out["Authorization"] == "[redacted]"
    assert out["conditions"] == "[redacted]"
    assert out["user_id"] == 4
