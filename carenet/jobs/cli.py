"""``carenet worker``: the job queue's consumer."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from carenet.jobs.queue import huey, run_consumer


@click.command("worker")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker threads.",
)
@click.option("--no-periodic", is_flag=True, help="Do not run the periodic tasks here.")
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run the background job queue (e-mails, reminders, long jobs) until stopped."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    storage = type(huey.storage).__name__
    periodic = "off" if no_periodic else "on"
    click.echo(f"carenet worker: {workers} thread(s), {storage}, periodic tasks {periodic}")
    run_consumer(app, workers=workers, periodic=not no_periodic)
