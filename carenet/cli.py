"""Command-line interface: ``carenet <command>`` (or ``flask --app carenet``).

The commands themselves are in ``carenet.commands``; ``create_app`` attaches them.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from carenet import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=True)
def main() -> None:
    """carenet: the regional family-care network."""
