"""Rate limits on the endpoints that check a password, with Flask-Limiter.

Two kinds of limit guard each such endpoint (see docs/security.md, "Rate limits"):

- **per client** (the IP address, an IPv6 /64): every attempt counts, whatever the
  account, so one client cannot make the server hash passwords all day;
- **per account and client**: only rejected credentials count, so a client that guessed
  wrong five times is refused for that account until the window ends, while the owner,
  from any other client, still logs in. Nobody can lock an account for everybody.

The limits are counted where every worker and server sees them: by default in the
application's database (``DatabaseStorage``, a ``limits`` storage: the library has none
for SQL), or in Redis with ``RATE_LIMIT_STORAGE_URL=redis://...``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import random
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from flask_login import current_user
from limits.storage import MemoryStorage, RedisStorage, Storage
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from carenet.auth.models import RateLimitWindow, fold_email
from carenet.core.db import db
from carenet.core.errors import error_response

_TABLE: sa.Table = RateLimitWindow.__table__  # type: ignore[assignment]
LIMITER_EXTENSION = "carenet.limiter"
DATABASE_SCHEME = "carenet-database"
KEY_NAMESPACE = "LIMITER"  # what ``limits`` puts before every key
# One call in this many also deletes windows that ended long ago.
PURGE_ONE_IN = 200
PURGE_AFTER_S = 3600


class DatabaseStorage(Storage):
    """A ``limits`` storage over the application's database (SQLite or PostgreSQL).

    One row per window; a hit is one atomic ``INSERT ... ON CONFLICT DO UPDATE ...
    RETURNING`` that starts a new window when the old one has ended. Each call runs in a
    transaction of its own on the application's engine, apart from the request's session,
    so a hit counts even when the request fails and is rolled back.
    """

    STORAGE_SCHEME = [DATABASE_SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        """Use the engine of the application in context (``carenet-database://``)."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """What a database failure raises."""
        return sa.exc.SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        return db.engine

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` hits to ``key``'s window, opening one of ``expiry`` s if none is open."""
        now = time.time()
        table = _TABLE
        engine = self._engine()
        dialect_insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        ended = table.c.expires_at <= now
        statement = (
            dialect_insert(table)
            .values(key=key, hits=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                # Both right-hand sides read the row as it was before this update.
                set_={
                    "hits": sa.case((ended, amount), else_=table.c.hits + amount),
                    "expires_at": sa.case((ended, now + expiry), else_=table.c.expires_at),
                },
            )
            .returning(table.c.hits)
        )
        with engine.begin() as conn:
            hits = int(conn.execute(statement).scalar_one())
            if random.randrange(PURGE_ONE_IN) == 0:
                conn.execute(sa.delete(table).where(table.c.expires_at < now - PURGE_AFTER_S))
        return hits

    def get(self, key: str) -> int:
        """Hits in ``key``'s open window (0 when none is open)."""
        table = _TABLE
        with self._engine().connect() as conn:
            hits = conn.scalar(
                sa.select(table.c.hits).where(table.c.key == key, table.c.expires_at > time.time())
            )
        return int(hits or 0)

    def get_expiry(self, key: str) -> float:
        """When ``key``'s window ends (now when there is none)."""
        table = _TABLE
        with self._engine().connect() as conn:
            expires_at = conn.scalar(sa.select(table.c.expires_at).where(table.c.key == key))
        return float(expires_at) if expires_at is not None else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self._engine().connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every window."""
        with self._engine().begin() as conn:
            return int(conn.execute(sa.delete(_TABLE)).rowcount)

    def clear(self, key: str) -> None:
        """Forget ``key``'s window."""
        table = _TABLE
        with self._engine().begin() as conn:
            conn.execute(sa.delete(table).where(table.c.key == key))

    def clear_prefix(self, prefix: str) -> int:
        """Forget every window whose key starts with ``prefix``; return how many."""
        table = _TABLE
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._engine().begin() as conn:
            result = conn.execute(sa.delete(table).where(table.c.key.like(pattern, escape="\\")))
        return int(result.rowcount)


# -- who is asking ------------------------------------------------------------------------


def client_key() -> str:
    """The client: its IP address, or its /64 for IPv6 (one host usually holds a /64).

    Behind a reverse proxy set ``TRUSTED_PROXIES`` so that this is the visitor's address,
    not the proxy's (see ``carenet.core.security``).
    """
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _account_digest(email: str) -> str:
    """A digest of the folded e-mail: rate-limit keys never hold an address."""
    return hashlib.sha256(fold_email(email).encode()).hexdigest()[:32]


def _submitted_email() -> str:
    """The e-mail a login form or token request names ("" when there is none)."""
    if request.is_json:
        body = request.get_json(silent=True)
        value = body.get("email") if isinstance(body, dict) else None
    else:
        value = request.form.get("email")
    return value if isinstance(value, str) else ""


def named_account_key() -> str:
    """The account a login names (by the digest of its e-mail) and the client."""
    return f"acct:{_account_digest(_submitted_email())}|{client_key()}"


def own_account_key() -> str:
    """The logged-in account and the client."""
    user_id = current_user.id if current_user.is_authenticated else "anonymous"
    return f"user:{user_id}|{client_key()}"


def note_rejected_credentials() -> None:
    """Count this request against its account: a wrong password was given."""
    g.credentials_rejected = True


def _credentials_rejected(_response: Response) -> bool:
    return bool(g.get("credentials_rejected"))


# -- which endpoints, which limits ---------------------------------------------------------

# Scopes: a limit with the same scope on several endpoints is one counter for all.
LOGIN, LOGIN_FAILURES = "login", "login-failures"
REGISTER = "register"
PASSWORD, PASSWORD_FAILURES = "password", "password-failures"

# endpoint -> (scope, configuration key of its limit, key function, counts only failures)
LIMITED_ENDPOINTS: dict[str, tuple[tuple[str, str, Callable[[], str], bool], ...]] = {
    "auth.login": (
        (LOGIN, "RATE_LIMIT_LOGIN_PER_CLIENT", client_key, False),
        (LOGIN_FAILURES, "RATE_LIMIT_LOGIN_FAILURES", named_account_key, True),
    ),
    "auth_api.create_token": (
        (LOGIN, "RATE_LIMIT_LOGIN_PER_CLIENT", client_key, False),
        (LOGIN_FAILURES, "RATE_LIMIT_LOGIN_FAILURES", named_account_key, True),
    ),
    "auth.register": ((REGISTER, "RATE_LIMIT_REGISTER_PER_CLIENT", client_key, False),),
    "auth_api.register": ((REGISTER, "RATE_LIMIT_REGISTER_PER_CLIENT", client_key, False),),
    "auth.change_password": (
        (PASSWORD, "RATE_LIMIT_PASSWORD_PER_CLIENT", client_key, False),
        (PASSWORD_FAILURES, "RATE_LIMIT_PASSWORD_FAILURES", own_account_key, True),
    ),
}


def _storage_uri(app: Flask) -> str:
    return str(app.config.get("RATE_LIMIT_STORAGE_URL") or f"{DATABASE_SCHEME}://")


def init_rate_limits(app: Flask) -> Limiter:
    """Bind a limiter of this application's own and put the limits on their endpoints.

    One limiter per application (Flask-Limiter keeps its storage on the instance), so two
    applications in one process, as in the tests, never share a storage by accident.
    """
    limiter = Limiter(
        key_func=client_key,
        storage_uri=_storage_uri(app),
        strategy="fixed-window",
        headers_enabled=False,
    )
    limiter.init_app(app)
    app.extensions[LIMITER_EXTENSION] = limiter
    for endpoint, rules in LIMITED_ENDPOINTS.items():
        view: Any = app.view_functions[endpoint]
        for scope, setting, key_func, only_failures in rules:
            view = limiter.shared_limit(
                app.config[setting],
                scope=scope,
                key_func=key_func,
                methods=["POST"],
                deduct_when=_credentials_rejected if only_failures else None,
            )(view)
        app.view_functions[endpoint] = view
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    return limiter


def _too_many_requests(exc: RateLimitExceeded) -> Response:
    """A 429 in carenet's error shape, saying which limit and when to retry."""
    limiter: Limiter = current_app.extensions[LIMITER_EXTENSION]
    current = limiter.current_limit
    reset_at = current.reset_at if current is not None else time.time() + 60
    # Never more than the window itself (the library rounds its reset time up).
    window = int(exc.limit.limit.get_expiry())
    retry_after = min(window, max(1, math.ceil(reset_at - time.time())))
    minutes = max(1, math.ceil(retry_after / 60))
    scope = exc.limit.scope if isinstance(exc.limit.scope, str) else ""
    if scope in (LOGIN_FAILURES, PASSWORD_FAILURES):
        code = "too_many_failures"
        message = ngettext(
            "Too many wrong passwords for this account from your connection: try again in "
            "%(num)d minute, or ask an operator to unlock the account.",
            "Too many wrong passwords for this account from your connection: try again in "
            "%(num)d minutes, or ask an operator to unlock the account.",
            minutes,
        )
    else:
        code = "too_many_requests"
        message = ngettext(
            "Too many attempts from your connection: try again in %(num)d minute.",
            "Too many attempts from your connection: try again in %(num)d minutes.",
            minutes,
        )
    response = error_response(429, code, message, {"retry_after_seconds": retry_after})
    response.headers["Retry-After"] = str(retry_after)
    return response


def clear_account_limits(app: Flask, email: str, user_id: int) -> int:
    """Forget the failed attempts counted against an account, from every client."""
    storage = app.extensions[LIMITER_EXTENSION].storage
    prefixes = [
        f"{KEY_NAMESPACE}/acct:{_account_digest(email)}|",
        f"{KEY_NAMESPACE}/user:{user_id}|",
    ]
    cleared = 0
    for prefix in prefixes:
        if isinstance(storage, DatabaseStorage):
            cleared += storage.clear_prefix(prefix)
        elif isinstance(storage, RedisStorage):
            # Digits, hex and ASCII punctuation only: nothing to escape in the pattern.
            for key in storage.storage.scan_iter(match=storage.prefixed_key(prefix) + "*"):
                cleared += int(storage.storage.delete(key))
        elif isinstance(storage, MemoryStorage):
            for key in [k for k in storage.storage if k.startswith(prefix)]:
                storage.clear(key)
                cleared += 1
        else:
            raise RuntimeError(f"cannot clear limits in {type(storage).__name__}")
    return cleared
