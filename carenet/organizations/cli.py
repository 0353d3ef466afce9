"""Commands of the organizations feature."""

from __future__ import annotations

import click


@click.group("org")
def org_group() -> None:
    """Organizations and their territories."""
