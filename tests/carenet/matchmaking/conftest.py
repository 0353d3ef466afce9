"""Fixtures of the matching tests: a family's request, the Torino operator's headers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from tests.helpers import bearer


@pytest.fixture
def torino_request(factories: Any) -> CareRequest:
    """An open hourly request in Torino: weekdays 08-12, 25 km, starting in five weeks."""
    return factories.CareRequestFactory()


@pytest.fixture
def headers(db_session: Session, cpi_torino: User) -> dict[str, str]:
    """API headers of the Torino operator."""
    return bearer(db_session, cpi_torino)
