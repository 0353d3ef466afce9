"""Rate limits on the password endpoints (issue 10, item 6), with real, low limits.

Per client, every attempt counts; per account and client, only wrong passwords do, so a
guesser is stopped for that account from their own address while the owner, from any
other address, still logs in. The counts live in the database (or Redis), shared by every
application instance and every gunicorn worker.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from carenet import create_app
from carenet.auth.models import RateLimitWindow, User
from carenet.auth.ratelimit import LIMITER_EXTENSION, DatabaseStorage, client_key
from tests.carenet.auth.conftest import NEW_PASSWORD, english_client
from tests.conftest import _test_config
from tests.factories import PASSWORD
from tests.servers import gunicorn, post_json

# Several apps, gunicorn and the limiter's own transactions share the counts: real commits.
pytestmark = pytest.mark.commits

LOW_LIMITS = {
    "RATE_LIMIT_LOGIN_PER_CLIENT": "4 per minute",
    "RATE_LIMIT_LOGIN_FAILURES": "2 per 15 minutes",
    "RATE_LIMIT_REGISTER_PER_CLIENT": "2 per minute",
    "RATE_LIMIT_PASSWORD_PER_CLIENT": "4 per hour",
    "RATE_LIMIT_PASSWORD_FAILURES": "2 per 15 minutes",
}
ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}
OWNER = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Real limits, low enough to reach."""
    return dict(LOW_LIMITS)


def _token(client: FlaskClient, email: str, password: str, environ: dict[str, str]) -> Any:
    return client.post(
        "/api/v1/auth/tokens",
        json={"email": email, "password": password},
        environ_base=environ,
    )


def _login_page(client: FlaskClient, email: str, password: str, environ: dict[str, str]) -> Any:
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ)


def _assert_429(response: Any, code: str, longest_wait: int) -> None:
    assert response.status_code == 429, response.get_data(as_text=True)
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= longest_wait
    if response.is_json:
        body = response.get_json()
        assert body["error"] == code
        assert body["details"]["retry_after_seconds"] == retry_after


def test_one_client_gets_429_after_its_attempts_whatever_the_emails(client: FlaskClient) -> None:
    # Unknown e-mails cost a full argon2 verification each: the per-client limit is what
    # keeps one client from keeping the server busy hashing.
    for n in range(4):
        response = _token(client, f"nobody{n}@example.org", "wrong password!", ATTACKER)
        assert response.status_code == 401
    response = _token(client, "nobody9@example.org", "wrong password!", ATTACKER)
    _assert_429(response, "too_many_requests", 60)
    assert "try again in 1 minute." in response.get_json()["message"]
    # Another client is not affected.
    assert _token(client, "nobody@example.org", "wrong password!", OWNER).status_code == 401


def test_the_login_page_and_the_token_api_share_the_client_limit(client: FlaskClient) -> None:
    for n in range(2):
        assert _token(client, f"a{n}@example.org", "wrong password!", ATTACKER).status_code == 401
        response = _login_page(client, f"b{n}@example.org", "wrong password!", ATTACKER)
        assert response.status_code == 401
    response = _login_page(client, "c@example.org", "wrong password!", ATTACKER)
    _assert_429(response, "too_many_requests", 60)
    assert "Too many attempts from your connection" in response.get_data(as_text=True)


class TestAccountLockout:
    """Per account and client: only wrong passwords count."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        return {**LOW_LIMITS, "RATE_LIMIT_LOGIN_PER_CLIENT": "100 per minute"}

    def test_wrong_passwords_lock_the_account_for_that_client_only(
        self, client: FlaskClient, family: User
    ) -> None:
        for _attempt in range(2):
            assert _token(client, family.email, "wrong password!", ATTACKER).status_code == 401
        # Even the right password is refused from the guessing client...
        response = _token(client, family.email, PASSWORD, ATTACKER)
        _assert_429(response, "too_many_failures", 15 * 60)
        assert "Too many wrong passwords for this account" in response.get_json()["message"]
        response = _login_page(client, family.email, PASSWORD, ATTACKER)
        assert response.status_code == 429
        # ...while the owner, from their own address, logs in.
        assert _token(client, family.email, PASSWORD, OWNER).status_code == 201
        assert _login_page(english_client(client.application), family.email, PASSWORD, OWNER)

    def test_the_lock_follows_the_folded_email(self, client: FlaskClient, family: User) -> None:
        assert _token(client, family.email.upper(), "wrong password!", ATTACKER).status_code == 401
        twin = "\uff4d" + family.email[1:]  # fullwidth m: the same account once folded
        assert _token(client, twin, "wrong password!", ATTACKER).status_code == 401
        assert _token(client, family.email, PASSWORD, ATTACKER).status_code == 429

    def test_successful_logins_do_not_count(self, client: FlaskClient, family: User) -> None:
        for _attempt in range(4):
            assert _token(client, family.email, PASSWORD, OWNER).status_code == 201

    def test_many_guessing_clients_cannot_lock_the_owner_out(
        self, client: FlaskClient, family: User
    ) -> None:
        for host in range(1, 21):
            guesser = {"REMOTE_ADDR": f"192.0.2.{host}"}
            for _attempt in range(3):
                _token(client, family.email, "wrong password!", guesser)
        assert _token(client, family.email, PASSWORD, OWNER).status_code == 201

    def test_unlock_forgets_the_failures_from_every_client(
        self, client: FlaskClient, runner: FlaskCliRunner, family: User
    ) -> None:
        for guesser in (ATTACKER, {"REMOTE_ADDR": "192.0.2.1"}):
            for _attempt in range(2):
                _token(client, family.email, "wrong password!", guesser)
            assert _token(client, family.email, PASSWORD, guesser).status_code == 429
        result = runner.invoke(args=["user", "unlock", "--email", family.email.upper()])
        assert result.exit_code == 0, result.output
        assert "2 rate-limit windows cleared" in result.output
        assert _token(client, family.email, PASSWORD, ATTACKER).status_code == 201


def test_the_client_limit_comes_first_and_spares_the_account(
    client: FlaskClient, family: User, db_session: Session
) -> None:
    # 4 attempts per minute per client, 2 failures per account and client: after two
    # wrong passwords for another account, the next two for the family are the last this
    # client may make; attempts refused by the client limit (429) count for no account.
    for n in range(2):
        _token(client, f"other{n}@example.org", "wrong password!", ATTACKER)
    assert _token(client, family.email, "wrong password!", ATTACKER).status_code == 401
    assert _token(client, family.email, "wrong password!", ATTACKER).status_code == 401
    for _attempt in range(3):
        _assert_429(
            _token(client, family.email, "wrong password!", ATTACKER), "too_many_requests", 60
        )
    db_session.expire_all()
    account_hits = db_session.scalars(
        sa.select(RateLimitWindow.hits).where(RateLimitWindow.key.like("LIMITER/acct:%"))
    ).all()
    assert sorted(account_hits) == [1, 1, 2]  # other0, other1, the family: nothing more


def test_registration_is_limited_per_client(client: FlaskClient) -> None:
    def register(n: int) -> Any:
        return client.post(
            "/api/v1/auth/register",
            json={
                "email": f"new{n}@example.org",
                "password": PASSWORD,
                "full_name": "New Family",
                "role": "family",
            },
            environ_base=ATTACKER,
        )

    assert register(1).status_code == 201
    client.post("/logout", environ_base=ATTACKER)
    assert register(2).status_code == 201
    _assert_429(register(3), "too_many_requests", 60)
    response = client.post("/register", data={"email": "x@example.org"}, environ_base=ATTACKER)
    assert response.status_code == 429


def test_wrong_current_passwords_lock_the_password_change(
    client: FlaskClient, family: User
) -> None:
    assert _login_page(client, family.email, PASSWORD, OWNER).status_code == 302

    def change(current: str) -> Any:
        return client.post(
            "/account/password",
            data={
                "current_password": current,
                "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
            environ_base=OWNER,
        )

    assert change("wrong password!").status_code == 422
    assert change("wrong password!").status_code == 422
    response = change(PASSWORD)
    _assert_429(response, "too_many_failures", 15 * 60)


def test_ipv6_clients_are_counted_by_their_64(app: Flask) -> None:
    keys = set()
    for address in ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"):
        with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
            keys.add(client_key())
    assert keys == {"2001:db8:1:2::/64"}
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        assert client_key() == "203.0.113.7"


# -- shared by every instance -------------------------------------------------------------


def test_two_applications_on_one_database_share_the_counts(
    app: Flask, tmp_path: Path, family: User
) -> None:
    other = create_app({**_test_config(app.config["DATABASE_URL"], tmp_path), **LOW_LIMITS})
    assert isinstance(app.extensions[LIMITER_EXTENSION].storage, DatabaseStorage)
    assert other.extensions[LIMITER_EXTENSION] is not app.extensions[LIMITER_EXTENSION]
    first, second = app.test_client(), other.test_client()
    for n in range(4):
        response = _token(first if n % 2 else second, f"x{n}@example.org", "wrong!", ATTACKER)
        assert response.status_code == 401
    assert _token(first, "y@example.org", "wrong!", ATTACKER).status_code == 429
    assert _token(second, "z@example.org", "wrong!", ATTACKER).status_code == 429


def test_gunicorn_workers_and_servers_share_the_counts(
    migrated_database: str, tmp_path: Path, factories: Any
) -> None:
    env = {f"CARENET_{key}": value for key, value in LOW_LIMITS.items()}
    env["CARENET_RATE_LIMIT_LOGIN_PER_CLIENT"] = "6 per minute"
    with (
        gunicorn(migrated_database, tmp_path, workers=2, env=env) as one,
        gunicorn(migrated_database, tmp_path, workers=2, env=env) as two,
    ):
        statuses = [
            post_json(
                f"{(one, two)[n % 2]}/api/v1/auth/tokens",
                {},
                {"email": f"nobody{n}@example.org", "password": "wrong password!"},
            )[0]
            for n in range(8)
        ]
        assert statuses == [401] * 6 + [429] * 2
        request = urllib.request.Request(f"{one}/healthz")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200


# -- Redis, by configuration --------------------------------------------------------------

REDIS_URL = os.environ.get("CARENET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _redis_config() -> dict[str, Any]:
    return {
        **LOW_LIMITS,
        "RATE_LIMIT_LOGIN_PER_CLIENT": "100 per minute",
        "RATE_LIMIT_STORAGE_URL": REDIS_URL,
    }


class TestRedisStorage:
    """``RATE_LIMIT_STORAGE_URL=redis://...``: the same limits, counted in Redis."""

    @pytest.fixture
    def config_overrides(self) -> dict[str, Any]:
        if not _redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        return _redis_config()

    @pytest.fixture(autouse=True)
    def _empty_redis(self, app: Flask) -> Iterator[None]:
        app.extensions[LIMITER_EXTENSION].storage.reset()
        yield
        app.extensions[LIMITER_EXTENSION].storage.reset()

    def test_lock_and_unlock_through_redis(
        self, app: Flask, client: FlaskClient, runner: FlaskCliRunner, family: User, tmp_path: Path
    ) -> None:
        other = create_app(
            {**_test_config(app.config["DATABASE_URL"], tmp_path), **_redis_config()}
        )
        assert _token(client, family.email, "wrong password!", ATTACKER).status_code == 401
        assert _token(other.test_client(), family.email, "wrong!", ATTACKER).status_code == 401
        _assert_429(_token(client, family.email, PASSWORD, ATTACKER), "too_many_failures", 900)
        assert _token(client, family.email, PASSWORD, OWNER).status_code == 201
        result = runner.invoke(args=["user", "unlock", "--email", family.email])
        assert "1 rate-limit windows cleared" in result.output
        assert _token(client, family.email, PASSWORD, ATTACKER).status_code == 201
