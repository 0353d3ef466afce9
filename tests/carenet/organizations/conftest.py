"""Fixtures of the organizations tests: English messages, so they can be compared."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """The test client, asking for English (Italian is the default)."""
    client = app.test_client()
    client.set_cookie("carenet_lang", "en")
    return client


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """A request context in English, for calling services directly."""
    with app.test_request_context("/?lang=en"):
        yield app
