"""Who may see and change what: one place for territory, referral and health-data rules.

Services call these with the acting user; views never filter by hand. A record outside
the actor's scope is reported as not found, so its existence does not leak.

An operator sees a case (a household, its recipients and requests) when its municipality
is in the organization's territory, or while a referral of the case to the organization
or by it is live (pending, accepted or completed). Accredited agencies have no territory
of cases: they work only on the cases referred to them, and a referral they send on
gives them nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, object_session

from carenet.assistants.models import Assistant
from carenet.core.errors import Forbidden
from carenet.families.models import Household
from carenet.organizations.models import organization_territory
from carenet.referrals.models import Referral

if TYPE_CHECKING:
    from carenet.auth.models import User
    from carenet.jobs.models import Job
    from carenet.organizations.models import Organization


S = TypeVar("S", bound=sa.Select)  # type: ignore[type-arg]

# Organization kinds that broker placements, and those that assess needs.
BROKER_KINDS = frozenset({"cpi", "agency"})
ASSESSOR_KINDS = frozenset({"health_authority", "social_services"})
# Kinds that may read a recipient's conditions and self-sufficiency (needed to match).
HEALTH_SUMMARY_KINDS = BROKER_KINDS | ASSESSOR_KINDS
# Kinds that may read assessments in full (score and notes).
HEALTH_DETAIL_KINDS = ASSESSOR_KINDS
# Kinds that may refer a case to another organization.
REFERRER_KINDS = ASSESSOR_KINDS | {"municipality", "cpi"}
# Kinds that see cases by referral only (no territory of cases).
REFERRAL_ONLY_KINDS = frozenset({"agency"})
# Referral statuses in which the receiving organization sees the case.
RECEIVER_SEES = ("pending", "accepted", "completed")


def organization_kind(user: User) -> str | None:
    """The kind of the user's organization, for operators."""
    return user.organization.kind if user.organization is not None else None


def territory_codes(organization_id: int) -> sa.Select:  # type: ignore[type-arg]
    """A sub-select of the ISTAT codes in an organization's territory."""
    return sa.select(organization_territory.c.istat).where(
        organization_territory.c.organization_id == organization_id
    )


def referred_households(organization_id: int, *, as_sender: bool = True) -> sa.Select:  # type: ignore[type-arg]
    """A sub-select of the households referred to or by an organization.

    Either side sees the case only while the referral is live (pending, accepted or
    completed): a revoked or rejected referral gives nobody access. ``as_sender=False``
    drops the sender side, for kinds that see cases by referral only: an agency that
    refers a case on must not keep it by its own onward referral once the referral it
    received is revoked.
    """
    side = Referral.to_organization_id == organization_id
    if as_sender:
        side = sa.or_(side, Referral.from_organization_id == organization_id)
    return sa.select(Referral.household_id).where(side, Referral.status.in_(RECEIVER_SEES))


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
        kind = organization_kind(user)
        if kind == "region":
            return stmt.where(sa.false())
        referred = Household.id.in_(
            referred_households(user.organization_id, as_sender=kind not in REFERRAL_ONLY_KINDS)
        )
        if kind in REFERRAL_ONLY_KINDS:
            return stmt.where(referred)
        return stmt.where(
            sa.or_(Household.municipality_id.in_(territory_codes(user.organization_id)), referred)
        )
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


def can_see_candidate(
    user: User, assistant: Assistant, distance_km: float, max_distance_km: float
) -> bool:
    """Whether ``user``, brokering a request, may learn about ``assistant`` through it (her
    name, her distance, why she is not a candidate): when she is within the family's
    maximum distance, or in the user's own register. Anyone else is "not found"."""
    return distance_km <= max_distance_km or can_see_assistant(user, assistant)


def can_see_household(user: User, household: Household) -> bool:
    """Whether ``user`` may read this household and its requests."""
    if user.role == "admin":
        return True
    if user.role == "family":
        return household.owner_user_id == user.id
    if user.role == "operator" and user.organization is not None:
        if user.organization.kind == "region":
            return False
        if sees_by_territory(user.organization, household):
            return True
        return is_referred(household, user.organization)
    return False


def sees_by_territory(organization: Organization, household: Household) -> bool:
    """Whether ``organization`` sees the case on its own, by its territory, whatever the
    referrals (agencies and the Region never do)."""
    return organization.kind not in REFERRAL_ONLY_KINDS | {"region"} and _in_territory(
        organization, household.municipality_id
    )


def is_referred(household: Household, organization: Organization) -> bool:
    """Whether a live referral of the household's case gives the organization access
    (see ``referred_households``)."""
    session = object_session(household)
    if session is None or household.id is None:
        return False
    as_sender = organization.kind not in REFERRAL_ONLY_KINDS
    stmt = referred_households(organization.id, as_sender=as_sender).where(
        Referral.household_id == household.id
    )
    return session.scalar(sa.select(sa.exists(stmt))) or False


def can_broker(user: User, household: Household) -> bool:
    """Whether ``user`` may match, propose and place for this household's requests."""
    return user.role == "admin" or (
        user.role == "operator"
        and organization_kind(user) in BROKER_KINDS
        and can_see_household(user, household)
    )


def scope_brokered_households(stmt: S, user: User) -> S:
    """Restrict a select of households to those ``user`` may broker: ``can_broker`` in
    SQL, so that a request and its access check are read in one query."""
    if user.role == "admin":
        return stmt
    if user.role != "operator" or organization_kind(user) not in BROKER_KINDS:
        return stmt.where(sa.false())
    return scope_households(stmt, user)


def can_refer(user: User, household: Household) -> bool:
    """Whether ``user`` may refer this household's case to another organization."""
    return (
        user.role == "operator"
        and organization_kind(user) in REFERRER_KINDS | BROKER_KINDS
        and can_see_household(user, household)
    )


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


def health_summary_households(
    session: Session, user: User, households: Sequence[Household]
) -> set[int]:
    """The ids of ``households`` whose health summary ``user`` may read, decided in one
    query for a page of records (``can_read_health_summary`` for each, at once)."""
    ids = {h.id for h in households}
    if not ids:
        return set()
    if user.role == "family":
        return {h.id for h in households if h.owner_user_id == user.id}
    if user.role != "operator" or organization_kind(user) not in HEALTH_SUMMARY_KINDS:
        return set()
    stmt = scope_households(sa.select(Household.id).where(Household.id.in_(ids)), user)
    return set(session.scalars(stmt))


def can_read_assessments(user: User, household: Household) -> bool:
    """Needs assessments (score, notes) of the people in ``household``."""
    if user.role == "family":
        return household.owner_user_id == user.id
    if user.role == "operator":
        return organization_kind(user) in HEALTH_DETAIL_KINDS and can_see_household(user, household)
    return False


def can_see_job(user: User, job: Job) -> bool:
    """A background job: its creator, and the operators of the organization it ran for."""
    if job.created_by_user_id is not None and job.created_by_user_id == user.id:
        return True
    return (
        user.role == "operator"
        and job.organization_id is not None
        and user.organization_id == job.organization_id
    )


def require(allowed: bool, message: str | None = None) -> None:
    """Raise ``Forbidden`` unless ``allowed``."""
    if not allowed:
        raise Forbidden(message or _("You are not allowed to do this."))


def _in_territory(organization: Organization, istat: str) -> bool:
    """Whether ``istat`` is in the territory: one EXISTS query, not the whole territory
    (a province's CPI has hundreds of comuni)."""
    session = object_session(organization)
    if session is None:
        return any(m.istat == istat for m in organization.territory)
    stmt = sa.select(
        sa.exists().where(
            organization_territory.c.organization_id == organization.id,
            organization_territory.c.istat == istat,
        )
    )
    return bool(session.scalar(stmt))


def can_see_access_log(user: User, household: Household) -> bool:
    """Who read the health information of ``household``'s people ("who viewed this case").

    The family owner, admins, and operators of assessor kinds (ASL, Ente gestore) who see
    the household; everyone else is told the household is not found.
    """
    if user.role == "admin":
        return True
    if user.role == "family":
        return household.owner_user_id == user.id
    if user.role == "operator":
        return organization_kind(user) in ASSESSOR_KINDS and can_see_household(user, household)
    return False
