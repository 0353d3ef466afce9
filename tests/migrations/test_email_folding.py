"""Revision 0004 folds the e-mails already stored, and refuses to merge accounts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from carenet.core import migrate
from carenet.core.config import configured_test_database_url


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the configured kind, apart from the suite's own."""
    base = configured_test_database_url()
    if base is None:
        yield f"sqlite:///{tmp_path / 'folding.db'}"
        return
    url = sa.make_url(base)
    name = f"{url.database}_folding_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _add_users(url: str, emails: list[str]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for email in emails:
            conn.execute(
                sa.text(
                    "INSERT INTO user_account (email, password_hash, role, full_name, locale,"
                    " is_enabled, session_token, failed_logins, created_at) VALUES (:email,"
                    " 'x', 'family', '', 'it', :yes, 't', 0, CURRENT_TIMESTAMP)"
                ),
                {"email": email, "yes": True},
            )
    engine.dispose()


def _emails(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        emails = list(conn.scalars(sa.text("SELECT email FROM user_account ORDER BY id")))
    engine.dispose()
    return emails


def test_stored_emails_are_folded(scratch_url: str) -> None:
    migrate.upgrade(scratch_url, "0005")
    _add_users(scratch_url, ["\uff46amiglia@Example.org", "Maria@X.it", "ok@example.org"])
    migrate.upgrade(scratch_url, "0006")
    assert _emails(scratch_url) == ["famiglia@example.org", "maria@x.it", "ok@example.org"]


def test_addresses_that_fold_to_one_stop_the_upgrade(scratch_url: str) -> None:
    migrate.upgrade(scratch_url, "0005")
    _add_users(scratch_url, ["famiglia@example.org", "\uff46amiglia@example.org"])
    with pytest.raises(RuntimeError, match=r"famiglia@example\.org: accounts"):
        migrate.upgrade(scratch_url, "0006")
    assert _emails(scratch_url) == ["famiglia@example.org", "\uff46amiglia@example.org"]
