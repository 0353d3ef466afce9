"""Fixtures of the notifications tests: tasks run at once, e-mails kept in memory."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"JOBS_IMMEDIATE": True, "MAIL_BACKEND": "locmem"}


@pytest.fixture
def outbox(app: Flask) -> list[Any]:
    """The e-mails sent by ``app`` (Flask-Mailman's locmem backend)."""
    state = app.extensions["mailman"]
    state.outbox = []
    return state.outbox  # type: ignore[no-any-return]
