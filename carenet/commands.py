"""carenet's commands, attached to the application's CLI by ``create_app``."""

from __future__ import annotations

import click
from flask import Flask

from carenet.auth.cli import user_group
from carenet.catalogue.services import sync_municipalities
from carenet.core import migrate
from carenet.core.db import db
from carenet.core.settings import current_settings
from carenet.demo.cli import demo_group
from carenet.jobs.cli import worker_command
from carenet.notifications.cli import reminders_group
from carenet.ops.cli import register as register_ops
from carenet.organizations.cli import org_group


@click.group("db")
def db_group() -> None:
    """Database schema migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    migrate.upgrade(current_settings().database_url, revision)
    click.echo(f"Database at {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. base, or -1)."""
    migrate.downgrade(current_settings().database_url, revision)
    click.echo(f"Database at {revision}.")


@click.command("init")
def init_command() -> None:
    """Migrate the database and load the municipalities (safe to run again)."""
    migrate.upgrade(current_settings().database_url)
    added = sync_municipalities(db.session)
    db.session.commit()
    click.echo(f"Database ready; {added} municipalities added or updated.")


def register_commands(app: Flask) -> None:
    """Attach every command group to the application's CLI."""
    app.cli.add_command(db_group)
    app.cli.add_command(init_command)
    app.cli.add_command(org_group)
    app.cli.add_command(user_group)
    app.cli.add_command(demo_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(reminders_group)
    register_ops(app)
