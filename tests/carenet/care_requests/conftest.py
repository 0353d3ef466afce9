"""Fixtures of the care-requests tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.carenet.families.helpers import World, build_world


@pytest.fixture
def world(factories: Any) -> World:
    """Torino and Cuneo, with operators, families and one household each."""
    return build_world(factories)
