"""The production profile (issue 10, item 11): one setting turns on secure cookies, HSTS,
the remember-me cookie's Secure and SameSite, idle and absolute session timeouts, and
refuses to start without a real secret key; ``make serve`` says which profile it runs."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from carenet import create_app
from carenet.core.config import load_config
from tests.conftest import _test_config
from tests.factories import PASSWORD

REPO = Path(__file__).resolve().parents[3]
STRONG_SECRET = "s" * 48


def test_development_is_the_default_and_says_what_it_leaves_off(tmp_path: Path) -> None:
    config = load_config(str(tmp_path), {"IGNORE_ENVIRON": True})
    assert config["PROFILE"] == "development"
    assert config["SESSION_COOKIE_SECURE"] is False and config["HSTS"] is False
    assert config["SESSION_IDLE_MINUTES"] == 0 and config["SESSION_MAX_HOURS"] == 0


def test_one_setting_turns_the_production_defaults_on(tmp_path: Path) -> None:
    config = load_config(
        str(tmp_path),
        {"IGNORE_ENVIRON": True, "PROFILE": "production", "SECRET_KEY": STRONG_SECRET},
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["HSTS"] is True
    assert config["SESSION_IDLE_MINUTES"] == 30 and config["SESSION_MAX_HOURS"] == 12
    # A remember-me cookie lasts no longer than the idle timeout and is renewed on use.
    assert config["REMEMBER_COOKIE_DURATION"] == 30 * 60
    assert config["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"] is True


def test_a_setting_given_on_its_own_still_wins_over_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARENET_PROFILE", "production")
    monkeypatch.setenv("CARENET_SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("CARENET_SESSION_IDLE_MINUTES", "10")
    config = load_config(str(tmp_path))
    assert config["SESSION_IDLE_MINUTES"] == 10 and config["HSTS"] is True


@pytest.mark.parametrize("secret", [None, "", "short", "change-me"])
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path: Path, secret: Any) -> None:
    overrides = {"IGNORE_ENVIRON": True, "PROFILE": "production"}
    if secret is not None:
        overrides["SECRET_KEY"] = secret
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path), overrides)
    # No key was generated into the instance folder in its place.
    assert not (tmp_path / "secret_key").exists()


def test_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="PROFILE"):
        load_config(str(tmp_path), {"IGNORE_ENVIRON": True, "PROFILE": "prod"})


@pytest.mark.commits  # a second app, on its own engine, reads the user
def test_a_production_app_sends_secure_cookies_and_hsts(
    migrated_database: str, tmp_path: Path, factories: Any
) -> None:
    user = factories.UserFactory(role="family")
    config = {**_test_config(migrated_database, tmp_path), "PROFILE": "production"}
    config["SECRET_KEY"] = STRONG_SECRET
    app = create_app(config)
    client = app.test_client()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert "Secure" in cookies["session"] and "HttpOnly" in cookies["session"]
    remember = cookies["remember_token"]
    assert "Secure" in remember and "HttpOnly" in remember and "SameSite=Lax" in remember


class TestTimeouts:
    """Idle and absolute timeouts, as the production profile sets them."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {"SESSION_IDLE_MINUTES": 30, "SESSION_MAX_HOURS": 12}

    @staticmethod
    def _log_in(client: FlaskClient, factories: Any, remember: bool = False) -> None:
        user = factories.UserFactory(role="family")
        data = {"email": user.email, "password": PASSWORD}
        if remember:
            data["remember"] = "y"
        assert client.post("/login", data=data).status_code == 302
        assert client.get("/account").status_code == 200

    @staticmethod
    def _shift(client: FlaskClient, key: str, seconds: float) -> None:
        with client.session_transaction() as session:
            session[key] = session[key] - seconds

    def test_a_session_idle_for_longer_than_the_limit_ends(
        self, client: FlaskClient, factories: Any
    ) -> None:
        self._log_in(client, factories, remember=True)
        self._shift(client, "_seen_at", 31 * 60)
        response = client.get("/account")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        # The remember-me cookie goes too, so it cannot bring the session back.
        assert client.get_cookie("remember_token") is None
        assert client.get("/api/v1/auth/me").status_code == 401

    def test_activity_keeps_the_session_alive(self, client: FlaskClient, factories: Any) -> None:
        self._log_in(client, factories)
        self._shift(client, "_seen_at", 29 * 60)
        assert client.get("/account").status_code == 200
        with client.session_transaction() as session:
            assert time.time() - session["_seen_at"] < 60

    def test_a_session_older_than_the_absolute_limit_ends_even_when_busy(
        self, client: FlaskClient, factories: Any
    ) -> None:
        self._log_in(client, factories)
        self._shift(client, "_auth_at", 12 * 3600 + 60)
        response = client.get("/account")
        assert response.status_code == 302 and "/login" in response.headers["Location"]

    def test_bearer_tokens_have_no_session_to_time_out(
        self, client: FlaskClient, factories: Any, db_session: Any
    ) -> None:
        from tests.helpers import bearer

        headers = bearer(db_session, factories.UserFactory(role="family"))
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200


def test_without_timeouts_an_old_session_goes_on(app: Flask, factories: Any) -> None:
    client = app.test_client()
    TestTimeouts._log_in(client, factories)
    with client.session_transaction() as session:
        session["_seen_at"] = time.time() - 10 * 3600
        session["_auth_at"] = time.time() - 100 * 3600
    assert client.get("/account").status_code == 200


def test_make_serve_says_which_profile_it_runs() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "serve"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "profile" in dry_run and "CARENET_PROFILE" in dry_run
