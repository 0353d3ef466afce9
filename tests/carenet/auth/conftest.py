"""Helpers for the auth tests: logging in through the real pages and API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from tests.factories import PASSWORD

NEW_PASSWORD = "a much longer new passphrase"


def login(client: FlaskClient, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Post the login form; return the response."""
    return client.post("/login", data={"email": email, "password": password, **extra})


def fetch_user(session: Session, email: str) -> User | None:
    """Read an account afresh from the database."""
    session.expire_all()
    return session.scalar(sa.select(User).where(User.email == email))


def count_users(session: Session) -> int:
    """How many accounts exist."""
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(User)) or 0


def count_tokens(session: Session) -> int:
    """How many bearer tokens exist."""
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) or 0


def english_client(app: Flask) -> FlaskClient:
    """A client whose browser asks for English, so messages can be compared."""
    client = app.test_client()
    client.set_cookie("carenet_lang", "en")
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The test client, asking for English (Italian is the default)."""
    return english_client(app)


@pytest.fixture
def app_client_factory(app: Flask) -> Callable[[], FlaskClient]:
    """Make fresh clients of ``app`` (another browser, a script)."""
    return lambda: english_client(app)


@pytest.fixture
def family(factories: Any) -> User:
    """A family account with the factories' password."""
    user: User = factories.UserFactory(email="maria.rossi@example.org", role="family", locale="en")
    return user
