"""Organizations as the API shows them, and the reference other features nest."""

from __future__ import annotations

from typing import Any

from carenet.organizations.models import Organization


def organization_ref(organization: Organization) -> dict[str, Any]:
    """An organization, named (``OrganizationRefSchema``)."""
    return {
        "id": organization.id,
        "code": organization.code,
        "kind": organization.kind,
        "name": organization.name,
    }


def present_organization(organization: Organization, territory_size: int) -> dict[str, Any]:
    """An organization in a list: its territory as a count."""
    return {
        **organization_ref(organization),
        "territory_size": territory_size,
        "created_at": organization.created_at,
    }
