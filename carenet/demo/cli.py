"""Commands of the demo feature."""

from __future__ import annotations

import click


@click.group("demo")
def demo_group() -> None:
    """Synthetic demonstration data."""
