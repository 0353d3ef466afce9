"""Fixtures of the demo tests: a small demo data set loaded through the CLI."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner

ASSISTANTS = 200
REQUESTS = 30
SEED = 42


@dataclass(frozen=True)
class Loaded:
    """The outcome of ``carenet demo load`` on the test database."""

    result: Result
    assistants: int
    requests: int
    seed: int


def load(runner: FlaskCliRunner, *args: str) -> Result:
    """Run ``carenet demo load`` with ``args``."""
    return runner.invoke(args=["demo", "load", *args])


@pytest.fixture
def loaded(runner: FlaskCliRunner) -> Loaded:
    """A small demo data set, loaded once for the test."""
    result = load(
        runner, "--assistants", str(ASSISTANTS), "--requests", str(REQUESTS), "--seed", str(SEED)
    )
    assert result.exit_code == 0, result.output
    return Loaded(result, ASSISTANTS, REQUESTS, SEED)
