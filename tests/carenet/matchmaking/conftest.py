"""Fixtures of the matching tests: a CPI of Torino, a family's request, assistants."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from tests.factories import CUNEO, MONCALIERI, TORINO
from tests.helpers import bearer


@pytest.fixture
def cpi_torino(factories: Any) -> User:
    """An operator of the CPI of Torino (territory Torino and Moncalieri), in English."""
    org = factories.OrganizationFactory(kind="cpi", territory_codes=[TORINO, MONCALIERI])
    return factories.OperatorFactory(organization=org, locale="en")


@pytest.fixture
def cpi_cuneo(factories: Any) -> User:
    """An operator of the CPI of Cuneo."""
    org = factories.OrganizationFactory(kind="cpi", territory_codes=[CUNEO])
    return factories.OperatorFactory(organization=org, locale="en")


@pytest.fixture
def torino_request(factories: Any) -> CareRequest:
    """An open hourly request in Torino: weekdays 08-12, 25 km, start 2027-01-11."""
    return factories.CareRequestFactory()


@pytest.fixture
def headers(db_session: Session, cpi_torino: User) -> dict[str, str]:
    """API headers of the Torino operator."""
    return bearer(db_session, cpi_torino)
