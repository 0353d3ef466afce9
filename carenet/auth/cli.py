"""Commands of the auth feature."""

from __future__ import annotations

import click


@click.group("user")
def user_group() -> None:
    """User accounts: operators and administrators."""
