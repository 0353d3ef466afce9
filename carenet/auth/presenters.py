"""Accounts as the API shows them."""

from __future__ import annotations

from typing import Any

from carenet.auth.models import ApiToken, User
from carenet.organizations.presenters import organization_ref

USER_FIELDS = ("id", "email", "full_name", "role", "locale", "created_at", "last_login_at")


def present_user(user: User) -> dict[str, Any]:
    """An account: role, language and organization (never its password or tokens)."""
    out = {name: getattr(user, name) for name in USER_FIELDS}
    organization = user.organization
    out["organization"] = organization_ref(organization) if organization is not None else None
    return out


TOKEN_FIELDS = ("id", "name", "prefix", "created_at", "expires_at", "last_used_at")


def present_token(row: ApiToken) -> dict[str, Any]:
    """A bearer token as listed: never the secret, only what recognises it."""
    return {name: getattr(row, name) for name in TOKEN_FIELDS}


def present_new_token(row: ApiToken, token: str) -> dict[str, Any]:
    """A newly issued token: the secret appears here once and never again."""
    return {
        "id": row.id,
        "token": token,
        "prefix": row.prefix,
        "name": row.name,
        "expires_at": row.expires_at,
        "created_at": row.created_at,
    }
