"""Issue 12: each worker caches a valid bearer token for a few seconds; a revocation made
through this process ends it at once, one made elsewhere within ``CACHE_SECONDS``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth import tokens
from carenet.auth.models import ApiToken, User
from carenet.core.db import utcnow
from tests.helpers import bearer

ME = "/api/v1/auth/me"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock()
    monkeypatch.setattr(tokens.CACHE, "clock", clock)
    tokens.CACHE.clear()
    yield clock
    tokens.CACHE.clear()


def test_a_revocation_made_elsewhere_takes_effect_within_seconds(
    client: FlaskClient, db_session: Session, factories: Any, clock: Clock
) -> None:
    headers = bearer(db_session, factories.UserFactory())
    assert client.get(ME, headers=headers).status_code == 200
    # Another server revokes it (plain SQL: nothing in this process sees the change).
    db_session.execute(sa.update(ApiToken).values(revoked_at=utcnow()))
    db_session.commit()
    clock.now += tokens.CACHE_SECONDS - 1
    assert client.get(ME, headers=headers).status_code == 200  # still cached
    clock.now += 1.5
    assert client.get(ME, headers=headers).status_code == 401


def revoke(user: User, token: ApiToken) -> None:
    token.revoked_at = utcnow()


def disable(user: User, token: ApiToken) -> None:
    user.is_enabled = False


@pytest.mark.parametrize("change", [revoke, disable])
def test_a_change_through_this_process_takes_effect_at_once(
    client: FlaskClient,
    db_session: Session,
    factories: Any,
    clock: Clock,
    change: Callable[[User, ApiToken], None],
) -> None:
    user = factories.UserFactory()
    headers = bearer(db_session, user)
    assert client.get(ME, headers=headers).status_code == 200
    change(user, db_session.scalars(sa.select(ApiToken)).one())
    db_session.commit()
    assert client.get(ME, headers=headers).status_code == 401


def test_use_is_recorded_at_most_once_a_minute_per_token(clock: Clock) -> None:
    cache = tokens.TokenCache(clock=clock)
    now = utcnow()
    assert cache.use_is_due("a", None, now)
    assert not cache.use_is_due("a", None, now + dt.timedelta(seconds=59))
    assert cache.use_is_due("b", None, now)
    assert cache.use_is_due("a", None, now + dt.timedelta(seconds=61))
    assert not cache.use_is_due("c", now, now + dt.timedelta(seconds=30))
