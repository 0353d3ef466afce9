"""Commands of the auth feature: ``carenet user ...`` for staff accounts and tokens."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from carenet.auth import services
from carenet.auth.ratelimit import clear_account_limits
from carenet.core.db import db, utcnow
from carenet.core.settings import current_settings
from carenet.organizations.cli import committing
from carenet.organizations.services import get_organization_by_code

PASSWORD_HELP = "The password; prompted for (with confirmation) when not given."


@click.group("user")
def user_group() -> None:
    """User accounts: operators and administrators."""


def _ask_password(password: str | None) -> str:
    if password:
        return password
    value: str = click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, show_default=False
    )
    return value


@user_group.command("create-operator")
@click.option("--email", required=True)
@click.option("--organization", "organization_code", required=True, help="Organization code.")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--password", default=None, help=PASSWORD_HELP)
@with_appcontext
def create_operator_command(
    email: str, organization_code: str, full_name: str, password: str | None
) -> None:
    """Create an operator account of an organization."""
    with committing():
        organization = get_organization_by_code(db.session, organization_code)
        user = services.create_staff_user(
            db.session,
            None,
            email=email,
            password=_ask_password(password),
            role="operator",
            organization=organization,
            full_name=full_name,
            password_min_length=current_settings().password_min_length,
        )
    click.echo(f"Created operator {user.email} of {organization.code} (id {user.id}).")


@user_group.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--password", default=None, help=PASSWORD_HELP)
@with_appcontext
def create_admin_command(email: str, full_name: str, password: str | None) -> None:
    """Create an administrator account."""
    with committing():
        user = services.create_staff_user(
            db.session,
            None,
            email=email,
            password=_ask_password(password),
            role="admin",
            full_name=full_name,
            password_min_length=current_settings().password_min_length,
        )
    click.echo(f"Created administrator {user.email} (id {user.id}).")


@user_group.command("token")
@click.option("--email", required=True, help="The account the token acts as.")
@click.option("--name", required=True, help='What uses the token, e.g. "gestionale CPI".')
@click.option(
    "--days",
    type=click.IntRange(min=0, max=3650),
    default=365,
    show_default=True,
    help="Days until it expires; 0 for never.",
)
@with_appcontext
def token_command(email: str, name: str, days: int) -> None:
    """Create a bearer token for a system; it is printed once and never stored in clear."""
    expires_at = utcnow() + dt.timedelta(days=days) if days else None
    with committing():
        user = services.get_user_by_email(db.session, email)
        row, token = services.issue_token(db.session, None, user, name=name, expires_at=expires_at)
    expiry = row.expires_at.isoformat() if row.expires_at else "never"
    click.echo(f"Token {row.prefix}... for {user.email} ({name}), expires {expiry}.", err=True)
    click.echo("Store it now: it cannot be shown again.", err=True)
    click.echo(token)


@user_group.command("unlock")
@click.option("--email", required=True)
@with_appcontext
def unlock_command(email: str) -> None:
    """Forget the failed logins counted against an account, from every client."""
    with committing():
        user = services.get_user_by_email(db.session, email)
        # Before the audit event's write: on SQLite the limiter's connection would wait
        # for this session's write lock.
        cleared = clear_account_limits(current_app, user.email, user.id)
        services.unlock_user(db.session, None, user)
    click.echo(f"Unlocked {user.email} ({cleared} rate-limit windows cleared).")


@user_group.command("deactivate")
@click.option("--email", required=True)
@with_appcontext
def deactivate_command(email: str) -> None:
    """Disable an account: no more logins; its sessions and API tokens end now."""
    with committing():
        user = services.get_user_by_email(db.session, email)
        services.deactivate_user(db.session, None, user)
    click.echo(f"Deactivated {user.email}; its sessions and tokens no longer work.")
