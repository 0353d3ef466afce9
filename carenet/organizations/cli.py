"""Commands of the organizations feature: ``carenet org ...``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale

from carenet.core import vocab
from carenet.core.db import db
from carenet.core.errors import CarenetError
from carenet.organizations import services
from carenet.organizations.models import Organization


@contextmanager
def committing() -> Iterator[None]:
    """Commit on success (there is no request to do it); turn service errors into exit 1."""
    try:
        # Messages in English: without a request there is no user or browser to ask.
        with force_locale("en"):
            yield
    except CarenetError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()


@click.group("org")
def org_group() -> None:
    """Organizations and their territories."""


@org_group.command("create")
@click.option("--code", required=True, help="Short unique code, e.g. cpi-torino.")
@click.option("--kind", required=True, type=click.Choice(vocab.ORGANIZATION_KINDS))
@click.option("--name", required=True, help='Display name, e.g. "CPI Torino".')
@click.option(
    "--territory",
    default="",
    help="Comma-separated province abbreviations (TO), ISTAT codes (001272), "
    "regions (region:01) or comune names.",
)
@with_appcontext
def create_command(code: str, kind: str, name: str, territory: str) -> None:
    """Create an organization with its territory."""
    with committing():
        organization = services.create_organization(
            db.session, None, code=code, kind=kind, name=name, territory=territory
        )
        size = len(organization.territory)
    click.echo(f"Created organization {organization.code} ({kind}) with {size} comuni.")


@org_group.command("territory")
@click.option("--code", required=True, help="The organization's code.")
@click.option(
    "--territory",
    required=True,
    help="Comuni to add (or to set, with --replace); same tokens as 'org create'.",
)
@click.option("--replace", is_flag=True, help="Replace the territory instead of extending it.")
@with_appcontext
def territory_command(code: str, territory: str, replace: bool) -> None:
    """Extend (or replace) an organization's territory."""
    with committing():
        organization = services.get_organization_by_code(db.session, code)
        change = services.set_territory if replace else services.extend_territory
        change(db.session, None, organization, territory)
        size = len(organization.territory)
    click.echo(f"Organization {organization.code} now covers {size} comuni.")


@org_group.command("list")
@with_appcontext
def list_command() -> None:
    """List every organization with the size of its territory."""
    organizations = list(db.session.scalars(sa.select(Organization).order_by(Organization.code)))
    sizes = services.territory_sizes(db.session, [o.id for o in organizations])
    if not organizations:
        click.echo("No organizations.")
    for organization in organizations:
        click.echo(
            f"{organization.code}\t{organization.kind}\t{sizes.get(organization.id, 0)} comuni"
            f"\t{organization.name}"
        )
