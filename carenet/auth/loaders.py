"""How flask-login finds the acting user: a session cookie or a bearer token."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import sqlalchemy as sa
import structlog
from flask import Flask, Request, Response, flash, g, session
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from sqlalchemy import event
from sqlalchemy.orm import Session, joinedload

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import CACHE, CachedToken, token_digest
from carenet.core.db import db, utcnow
from carenet.core.errors import Unauthorized
from carenet.core.extensions import login_manager
from carenet.core.security import bearer_token, has_bearer_token, is_api_request
from carenet.core.settings import current_settings

log = structlog.get_logger(__name__)

# Session keys of the timeouts: when the login happened, when the session was last used.
AUTH_AT, SEEN_AT = "_auth_at", "_seen_at"
# The last-seen time is rewritten at most this often, not on every request.
SEEN_RESOLUTION_S = 60


def current_actor() -> User:
    """The logged-in user as a model instance, the ``actor`` every service takes.

    Call it behind ``login_required``: for an anonymous visitor it is not a ``User``.
    """
    return current_user._get_current_object()  # type: ignore[no-any-return]


def load_session_user(identity: str) -> User | None:
    """Resolve ``"<id>:<session token>"``; a rotated token logs the session out.

    A request that carries a bearer token is that token's user, whatever cookie it also
    carries: the session is ignored so the explicit credential decides.
    """
    if has_bearer_token():
        return None
    user_id, _, session_token = identity.partition(":")
    if not user_id.isdigit() or not session_token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_token != session_token:
        return None
    g.log_user_id = user.id
    return user


def _reject_bearer(message: Any) -> None:
    """Remember why the bearer token failed; the request goes on as anonymous.

    ``message`` is lazy: translating now would ask the locale selector, which reads
    ``current_user``, which is what is being loaded.
    """
    g.bearer_rejected = message


def load_bearer_user(request: Request) -> User | None:
    """Resolve an ``Authorization: Bearer`` token to its user, or None.

    Never raises: flask-login calls this lazily, wherever ``current_user`` is first read
    (a template, an error page, the access log), and an exception there would turn any
    answer into a 500. A rejected token leaves its reason in ``g.bearer_rejected``, and
    ``refuse_rejected_bearer_tokens`` answers API requests with a 401; pages go on as
    anonymous.

    A valid token is read from the database at most once every ``tokens.CACHE_SECONDS``
    per worker (``tokens.CACHE``); in between, its user is merged into the request's
    session without a query.
    """
    token = bearer_token(request)
    if token is None:
        return None
    if not token:
        _reject_bearer(_l("The bearer token is empty."))
        return None
    now = utcnow()
    digest = token_digest(token)
    cached = CACHE.get(digest)
    if cached is None:
        cached = _read_token(digest, now)
        if cached is None:
            return None
    elif cached.expires_at is not None and cached.expires_at <= now:
        _reject_bearer(_l("The bearer token is unknown, expired or revoked."))
        return None
    user: User = db.session.merge(cached.user, load=False)
    g.log_user_id = user.id
    g.auth_via_token = True
    g.api_token_id = cached.token_id  # lets DELETE /api/v1/auth/tokens/current find it
    return user


def _read_token(digest: str, now: dt.datetime) -> CachedToken | None:
    """Check the token in the database; cache it (with a detached copy of its user) if
    it is valid, else leave the reason in ``g``."""
    session = db.session
    row = session.scalar(
        sa.select(ApiToken)
        .options(joinedload(ApiToken.user).joinedload(User.organization))
        .where(ApiToken.token_hash == digest)
    )
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        _reject_bearer(_l("The bearer token is unknown, expired or revoked."))
        return None
    if not row.user.is_enabled:
        _reject_bearer(_l("The account behind this token is disabled."))
        return None
    # Record use at most once a minute per token, after the request's commit
    # (``record_token_use``): a write now would hold the row's lock (SQLite's whole
    # database) for the whole request.
    if CACHE.use_is_due(digest, row.last_used_at, now):
        g.api_token_used = (row.id, now)
    user, organization = row.user, row.user.organization
    for obj in (row, user, organization):
        if obj is not None:
            session.expunge(obj)
    CACHE.put(digest, row.id, user, row.expires_at)
    return CACHE.get(digest)


_TOKENS_CHANGED = "carenet.tokens_changed"


def forget_cached_tokens(session: Session, flush_context: Any) -> None:
    """A flush that changes a user or a token empties this worker's token cache (and
    again when it commits: a request may cache the old state in between)."""
    if any(isinstance(obj, User | ApiToken) for obj in (*session.dirty, *session.deleted)):
        CACHE.clear()
        session.info[_TOKENS_CHANGED] = True


def _forget_on_commit(session: Session) -> None:
    if session.info.pop(_TOKENS_CHANGED, False):
        CACHE.clear()


def record_token_use(response: Response) -> Response:
    """Store when the request's bearer token was used, in a transaction of its own,
    after the request's: no lock is held while the request runs."""
    used = g.pop("api_token_used", None)
    if used is not None:
        token_id, when = used
        with db.engine.begin() as conn:
            conn.execute(
                sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when)
            )
    return response


def refuse_rejected_bearer_tokens() -> None:
    """An API request whose bearer token failed gets a 401, whatever the route.

    Runs before routing errors (404, 405) and before the CSRF check, so a client with a
    bad token learns that first, wherever it sent the request.
    """
    if not is_api_request() or not has_bearer_token():
        return
    if not current_user.is_authenticated and g.get("bearer_rejected"):
        raise Unauthorized(str(g.bearer_rejected))


def _stamp_login(_app: Flask, user: User, **_extra: Any) -> None:
    """A new login starts both clocks of the session timeouts."""
    now = time.time()
    session[AUTH_AT] = now
    session[SEEN_AT] = now


def _forget_clocks(_app: Flask, **_extra: Any) -> None:
    """A logout takes the timeouts' clocks with it."""
    session.pop(AUTH_AT, None)
    session.pop(SEEN_AT, None)


def enforce_session_timeouts() -> None:
    """End a page session idle for ``SESSION_IDLE_MINUTES`` or older than ``SESSION_MAX_HOURS``.

    Both clocks live in the signed session cookie. A session without them (restored from
    the remember-me cookie, or made before the rule) counts from the account's last login.
    Ending it logs out this browser, remember-me cookie included; the request goes on as
    anonymous, so a page that needs a login sends it to the login page.
    """
    settings = current_settings()
    idle = settings.session_idle_minutes * 60
    longest = settings.session_max_hours * 3600
    if not (idle or longest) or has_bearer_token() or not current_user.is_authenticated:
        return
    now = time.time()
    if AUTH_AT not in session:
        last_login = current_user.last_login_at
        session[AUTH_AT] = last_login.timestamp() if last_login is not None else now
    seen_at = float(session.get(SEEN_AT, now))
    if (idle and now - seen_at > idle) or (longest and now - session[AUTH_AT] > longest):
        log.info("session_expired", user_id=current_user.id)
        logout_user()
        flash(gettext("Your session has ended; please log in again."), "info")
        return
    if now - seen_at >= SEEN_RESOLUTION_S or SEEN_AT not in session:
        session[SEEN_AT] = now


def init_login(app: Flask) -> None:
    """Bind flask-login with carenet's loaders."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # flask-login flashes this when a page needs a login; translated when shown.
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_bearer_user)
    app.before_request(refuse_rejected_bearer_tokens)
    app.before_request(enforce_session_timeouts)
    user_logged_in.connect(_stamp_login, app)
    user_logged_out.connect(_forget_clocks, app)
    # Registered before the request transaction's hook, so it runs after the commit.
    app.after_request(record_token_use)
    for name, listener in (
        ("after_flush", forget_cached_tokens),
        ("after_commit", _forget_on_commit),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
