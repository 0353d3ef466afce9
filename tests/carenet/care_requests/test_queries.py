"""The request list costs the same number of queries whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from carenet.core.db import db
from tests.carenet.families.helpers import World, bearer


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the application runs meanwhile."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def listener(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


@pytest.mark.commits  # counts statements on the app's own engine
def test_list_has_no_query_per_row(
    app: Flask, client: FlaskClient, db_session: Session, world: World, factories: Any
) -> None:
    headers = bearer(db_session, world.cpi_torino)

    def queries() -> int:
        with counted(app) as statements:
            response = client.get("/api/v1/care-requests", headers=headers)
        assert response.status_code == 200
        return len(statements)

    factories.CareRequestFactory(recipient=world.recipient_torino)
    queries()  # the first call also records the token's use
    few = queries()
    for _ in range(5):
        recipient = factories.CareRecipientFactory(household=world.household_torino)
        factories.CareRequestFactory(recipient=recipient)
    assert queries() == few
