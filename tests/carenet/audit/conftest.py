"""Fixtures of the referrals tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.carenet.referrals.helpers import ReferralWorld, build_referral_world


@pytest.fixture
def world(factories: Any) -> ReferralWorld:
    """Torino and Cuneo, an agency, an admin, a request in each household."""
    return build_referral_world(factories)
