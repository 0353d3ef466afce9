"""``carenet backup`` and ``carenet restore`` (docs/deploy.md, "Backups")."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from carenet.core.settings import current_settings
from carenet.ops.backup import BackupError, backup, restore

DATABASE_URL_HELP = "The database to use instead of the configured one (CARENET_DATABASE_URL)."


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--database-url", help=DATABASE_URL_HELP)
@with_appcontext
def backup_command(target: Path, database_url: str | None) -> None:
    """Copy the database into the file TARGET (pg_dump archive, or a SQLite file)."""
    try:
        backup(database_url or current_settings().database_url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {target} ({target.stat().st_size} bytes).")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--database-url", help=DATABASE_URL_HELP)
@click.option(
    "--replace", is_flag=True, help="Drop the tables the database has and restore over them."
)
@with_appcontext
def restore_command(source: Path, database_url: str | None, replace: bool) -> None:
    """Load the backup SOURCE into an empty database (stop the app servers first)."""
    try:
        restore(source, database_url or current_settings().database_url, replace=replace)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {source}.")


def register(app: Flask) -> None:
    """Attach the operations commands to the application's CLI."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
