"""Who may see and change what: one place for territory scoping and health-data rules.

Services call these with the acting user; views never filter by hand. A record outside
the actor's scope is reported as not found, so its existence does not leak.
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from carenet.assistants.models import Assistant
from carenet.auth.models import User
from carenet.core.errors import Forbidden
from carenet.families.models import Household
from carenet.organizations.models import Organization, organization_territory

S = TypeVar("S", bound=sa.Select)  # type: ignore[type-arg]

# Organization kinds that broker placements, and those that assess needs.
BROKER_KINDS = frozenset({"cpi", "agency"})
ASSESSOR_KINDS = frozenset({"health_authority", "social_services"})
# Kinds that may read a recipient's conditions and self-sufficiency (needed to match).
HEALTH_SUMMARY_KINDS = BROKER_KINDS | ASSESSOR_KINDS
# Kinds that may read assessments in full (score and notes).
HEALTH_DETAIL_KINDS = ASSESSOR_KINDS


def organization_kind(user: User) -> str | None:
    """The kind of the user's organization, for operators."""
    return user.organization.kind if user.organization is not None else None


def territory_codes(organization_id: int) -> sa.Select:  # type: ignore[type-arg]
    """A sub-select of the ISTAT codes in an organization's territory."""
    return sa.select(organization_territory.c.istat).where(
        organization_territory.c.organization_id == organization_id
    )


def scope_assistants(stmt: S, user: User) -> S:
    """Restrict a select of assistants to those ``user`` may see."""
    if user.role == "admin":
        return stmt
    if user.role == "operator" and user.organization_id is not None:
        if organization_kind(user) == "region":
            return stmt.where(sa.false())  # region staff see aggregates only
        return stmt.where(Assistant.municipality_id.in_(territory_codes(user.organization_id)))
    if user.role == "assistant":
        return stmt.where(Assistant.user_id == user.id)
    return stmt.where(sa.false())


def scope_households(stmt: S, user: User) -> S:
    """Restrict a select of households to those ``user`` may see."""
    if user.role == "admin":
        return stmt
    if user.role == "operator" and user.organization_id is not None:
        if organization_kind(user) == "region":
            return stmt.where(sa.false())
        return stmt.where(Household.municipality_id.in_(territory_codes(user.organization_id)))
    if user.role == "family":
        return stmt.where(Household.owner_user_id == user.id)
    return stmt.where(sa.false())


def can_see_assistant(user: User, assistant: Assistant) -> bool:
    """Whether ``user`` may read this assistant's profile."""
    if user.role == "admin":
        return True
    if user.role == "assistant":
        return assistant.user_id == user.id
    if user.role == "operator" and user.organization is not None:
        return user.organization.kind != "region" and _in_territory(
            user.organization, assistant.municipality_id
        )
    return False


def can_see_household(user: User, household: Household) -> bool:
    """Whether ``user`` may read this household and its requests."""
    if user.role == "admin":
        return True
    if user.role == "family":
        return household.owner_user_id == user.id
    if user.role == "operator" and user.organization is not None:
        return user.organization.kind != "region" and _in_territory(
            user.organization, household.municipality_id
        )
    return False


def can_verify(user: User, assistant: Assistant) -> bool:
    """Whether ``user`` may verify this assistant's qualifications and documents."""
    return (
        user.role == "operator"
        and organization_kind(user) in BROKER_KINDS
        and can_see_assistant(user, assistant)
    )


def can_read_health_summary(user: User, household: Household) -> bool:
    """Conditions and self-sufficiency of the people in ``household``."""
    if user.role == "family":
        return household.owner_user_id == user.id
    if user.role == "operator":
        return organization_kind(user) in HEALTH_SUMMARY_KINDS and can_see_household(
            user, household
        )
    return False


def can_read_assessments(user: User, household: Household) -> bool:
    """Needs assessments (score, notes) of the people in ``household``."""
    if user.role == "family":
        return household.owner_user_id == user.id
    if user.role == "operator":
        return organization_kind(user) in HEALTH_DETAIL_KINDS and can_see_household(user, household)
    return False


def require(allowed: bool, message: str | None = None) -> None:
    """Raise ``Forbidden`` unless ``allowed``."""
    if not allowed:
        raise Forbidden(message or _("You are not allowed to do this."))


def _in_territory(organization: Organization, istat: str) -> bool:
    return any(m.istat == istat for m in organization.territory)
