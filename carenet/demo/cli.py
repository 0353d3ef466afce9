"""Commands of the demo feature."""

from __future__ import annotations

import datetime as dt
import time

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from tqdm import tqdm

from carenet.core.db import db
from carenet.core.errors import CarenetError
from carenet.core.security import hash_password
from carenet.core.settings import current_settings
from carenet.demo.accounts import DEMO_LOGINS
from carenet.demo.places import piemonte_places
from carenet.demo.services import analyze_tables, existing_data, load_demo


@click.group("demo")
def demo_group() -> None:
    """Synthetic demonstration data."""


@demo_group.command("load")
@click.option(
    "--assistants",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Assistants to create (the first is the demo assistant's).",
)
@click.option(
    "--requests",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    help="Care requests to create (the first is the demo family's).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing when the database already has organizations, users or assistants.",
)
@with_appcontext
def load_command(assistants: int, requests: int, seed: int, if_empty: bool) -> None:
    """Load synthetic Piemonte data: organizations, demo logins, assistants, requests."""
    session = db.session
    if not sa.inspect(session.get_bind()).has_table("assistant"):
        raise click.ClickException("The database has no carenet tables: run `carenet init` first.")
    if if_empty:
        counts = existing_data(session)
        if any(counts.values()):
            found = ", ".join(f"{n} {label}" for label, n in counts.items())
            click.echo(f"The database already has data ({found}): demo data not loaded.")
            return

    started = time.perf_counter()
    places = piemonte_places()
    # argon2 is slow on purpose: hash once and share it among the demo accounts.
    password = current_settings().demo_password
    password_hash = hash_password(password)
    bar = tqdm(total=assistants + requests, unit="rec", desc="demo data", disable=None)
    try:
        summary = load_demo(
            session,
            places=places,
            assistants=assistants,
            requests=requests,
            seed=seed,
            password_hash=password_hash,
            today=dt.date.today(),
            checkpoint=session.commit,
            progress=bar.update,
        )
    except CarenetError as exc:
        session.rollback()
        raise click.ClickException(exc.message) from exc
    finally:
        bar.close()
    # Planner statistics for the freshly loaded tables (autovacuum may be off or slow to
    # notice; without them PostgreSQL can pick full scans for the match queries). Only
    # carenet's own tables: a bare ANALYZE locks every table in the database, and
    # deadlocked with another schema's TRUNCATE when two test workers shared a server.
    analyze_tables(session)
    session.commit()
    elapsed = time.perf_counter() - started
    click.echo(
        f"Loaded {summary.organizations} organizations, {summary.users} users, "
        f"{summary.assistants} assistants and {summary.requests} care requests "
        f"in {elapsed:.1f} s (seed {seed}; comuni weighted by {places.weighted_by})."
    )
    click.echo(f"\nDemo logins (password: {password}):")
    width = max(len(login.email) for login in DEMO_LOGINS)
    for login in DEMO_LOGINS:
        click.echo(f"  {login.email:<{width}}  {login.description}")
