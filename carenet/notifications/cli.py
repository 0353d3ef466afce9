"""``carenet reminders send``: the expiry reminders, by hand."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from carenet.core.db import db
from carenet.notifications import reminders


@click.group("reminders")
def reminders_group() -> None:
    """Reminders about expiring qualifications and residence permits."""


@reminders_group.command("send")
@click.option(
    "--date",
    "on_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if today were this day (default: today, UTC).",
)
@with_appcontext
def send_command(on_date: dt.datetime | None) -> None:
    """Notify assistants 30 days before an item expires (each item and date once)."""
    today = on_date.date() if on_date else dt.datetime.now(dt.UTC).date()
    due = reminders.due_reminders(db.session, today)
    with click.progressbar(due, label="Sending reminders", show_pos=True) as bar:
        for reminder in bar:
            reminders.send_reminder(db.session, reminder)
    db.session.commit()
    click.echo(f"{len(due)} reminder(s) sent.")
