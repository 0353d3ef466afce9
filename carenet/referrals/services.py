"""Referrals: one organization sends a case (a household, optionally one request) to another.

The family's consent is recorded with every referral (when, and by whom). The receiving
organization accepts or rejects it (a rejection gives a reason) and completes it once the
work is done; the sending organization may revoke it while pending or accepted. Every
change is audited and the other organization's operators are notified.

A referral is seen by the operators of the two organizations (and admins); anyone else
gets a 404. Who sees the case itself follows ``carenet.access.policy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.db import utcnow
from carenet.core.errors import Conflict, Forbidden, Invalid, NotFound
from carenet.families.models import CareRecipient, Household
from carenet.families.services import get_household, invalid
from carenet.notifications.services import notify
from carenet.organizations.models import Organization
from carenet.referrals.models import REFERRAL_STATUSES, Referral

# Organizations a case may be referred to: everyone but the Region (aggregates only).
TARGET_KINDS = ("cpi", "social_services", "health_authority", "municipality", "agency")
BOXES = ("inbox", "outbox")
OPEN_STATUSES = ("pending", "accepted")
MAX_REASON = 2000

# action -> (statuses it applies to, status it leads to, side that may do it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "accept": (("pending",), "accepted", "to"),
    "reject": (("pending",), "rejected", "to"),
    "complete": (("accepted",), "completed", "to"),
    "revoke": (OPEN_STATUSES, "revoked", "from"),
}


def _is_party(actor: User, referral: Referral) -> bool:
    return actor.role == "operator" and actor.organization_id in (
        referral.from_organization_id,
        referral.to_organization_id,
    )


def get_referral(session: Session, actor: User, referral_id: int) -> Referral:
    """The referral, or NotFound unless ``actor`` works for one of its organizations or is admin."""
    referral = session.get(Referral, referral_id)
    if referral is None or not (actor.role == "admin" or _is_party(actor, referral)):
        raise NotFound(_("Referral %(id)s not found.", id=referral_id))
    return referral


def target_organizations(session: Session, actor: User) -> list[Organization]:
    """Organizations ``actor`` may refer a case to (suitable kinds, not their own), by name."""
    stmt = sa.select(Organization).where(Organization.kind.in_(TARGET_KINDS))
    if actor.organization_id is not None:
        stmt = stmt.where(Organization.id != actor.organization_id)
    return list(session.scalars(stmt.order_by(Organization.name, Organization.id)))


def _operator_ids(session: Session, organization_id: int) -> list[int]:
    stmt = (
        sa.select(User.id)
        .where(
            User.organization_id == organization_id,
            User.role == "operator",
            User.is_enabled.is_(True),
        )
        .order_by(User.id)
    )
    return list(session.scalars(stmt))


def _notify_organization(
    session: Session, organization_id: int, kind: str, referral: Referral
) -> None:
    """Tell every operator of ``organization_id`` (no case details in the message)."""
    sender = session.get(Organization, referral.from_organization_id)
    data = {
        "reference": f"#{referral.id}",
        "referral_id": referral.id,
        "status": referral.status,
        "organization": sender.name if sender is not None else "",
    }
    link = f"/referrals/{referral.id}"
    for user_id in _operator_ids(session, organization_id):
        notify(session, user_id, kind, data, link)


def create_referral(session: Session, actor: User, data: Mapping[str, Any]) -> Referral:
    """Refer a case the actor sees to another organization, with the family's consent."""
    household = get_household(session, actor, int(data["household_id"]))
    policy.require(
        policy.can_refer(actor, household),
        _(
            "Only operators of a CPI, an agency, a municipality, an ASL or an Ente gestore "
            "refer cases."
        ),
    )
    errors: dict[str, list[str]] = {}
    if data.get("consent_given") is not True:
        errors["consent_given"] = [
            _(
                "The family's consent is required: record that the family agreed to share "
                "the case with the other organization."
            )
        ]
    reason = str(data.get("reason") or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the case is referred.")]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [_("The reason is longer than %(n)s characters.", n=MAX_REASON)]
    to_id = data.get("to_organization_id")
    target = session.get(Organization, to_id) if isinstance(to_id, int) else None
    if target is None:
        errors["to_organization_id"] = [_("Organization %(id)s does not exist.", id=to_id)]
    elif target.id == actor.organization_id:
        errors["to_organization_id"] = [_("A case cannot be referred to your own organization.")]
    elif target.kind not in TARGET_KINDS:
        errors["to_organization_id"] = [
            _(
                "Cases cannot be referred to an organization of kind %(kind)s; "
                "refer to one of: %(kinds)s.",
                kind=target.kind,
                kinds=", ".join(TARGET_KINDS),
            )
        ]
    request_id = data.get("request_id")
    if request_id is not None:
        owner = session.scalar(
            sa.select(CareRecipient.household_id)
            .join(CareRequest, CareRequest.recipient_id == CareRecipient.id)
            .where(CareRequest.id == request_id)
        )
        if owner != household.id:
            errors["request_id"] = [
                _(
                    "Care request %(id)s is not a request of household %(household)s.",
                    id=request_id,
                    household=household.id,
                )
            ]
    if errors:
        raise invalid(errors)
    assert target is not None and actor.organization_id is not None
    duplicate = session.scalar(
        sa.select(Referral.id).where(
            Referral.household_id == household.id,
            Referral.to_organization_id == target.id,
            Referral.status.in_(OPEN_STATUSES),
        )
    )
    if duplicate is not None:
        raise Conflict(
            _(
                "This case is already referred to %(name)s (referral %(id)s).",
                name=target.name,
                id=duplicate,
            ),
            {"referral_id": duplicate},
        )
    referral = Referral(
        from_organization_id=actor.organization_id,
        to_organization_id=target.id,
        household_id=household.id,
        request_id=request_id,
        reason=reason,
        consent_given=True,
        consent_recorded_at=utcnow(),
        consent_recorded_by_user_id=actor.id,
        status="pending",
        response_reason="",
        created_by_user_id=actor.id,
    )
    session.add(referral)
    session.flush()
    record_event(
        session,
        actor,
        "referral.create",
        "referral",
        referral.id,
        {
            "household_id": household.id,
            "request_id": request_id,
            "to_organization_id": target.id,
            "consent_given": True,
        },
    )
    _notify_organization(session, target.id, "referral.new", referral)
    return referral


def list_referrals(
    session: Session,
    actor: User,
    *,
    box: str = "inbox",
    status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Referral], int]:
    """A page of the referrals to (inbox) or from (outbox) the actor's organization, newest first.

    Admins see every referral in either box.
    """
    if box not in BOXES:
        raise invalid({"box": [_("Use one of: %(v)s.", v=", ".join(BOXES))]})
    if status is not None and status not in REFERRAL_STATUSES:
        raise invalid({"status": [_("Use one of: %(v)s.", v=", ".join(REFERRAL_STATUSES))]})
    stmt = sa.select(Referral)
    if actor.role == "operator" and actor.organization_id is not None:
        column = Referral.to_organization_id if box == "inbox" else Referral.from_organization_id
        stmt = stmt.where(column == actor.organization_id)
    elif actor.role != "admin":
        raise Forbidden(_("Referrals are for operators of an organization."))
    if status:
        stmt = stmt.where(Referral.status == status)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Referral.created_at.desc(), Referral.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def allowed_actions(actor: User, referral: Referral) -> list[str]:
    """The transitions ``actor`` may apply to ``referral`` now (for the buttons)."""
    if actor.role != "operator":
        return []
    out = []
    for action, (sources, _target, side) in TRANSITIONS.items():
        organization_id = (
            referral.to_organization_id if side == "to" else referral.from_organization_id
        )
        if actor.organization_id == organization_id and referral.status in sources:
            out.append(action)
    return out


def change_status(
    session: Session, actor: User, referral_id: int, action: str, reason: str = ""
) -> Referral:
    """Accept, reject, complete or revoke: right side, right status, then audit and notify."""
    referral = get_referral(session, actor, referral_id)
    sources, target, side = TRANSITIONS[action]
    organization_id = referral.to_organization_id if side == "to" else referral.from_organization_id
    if actor.role != "operator" or actor.organization_id != organization_id:
        raise Forbidden(
            _(
                "Only operators of the receiving organization may %(action)s a referral.",
                action=action,
            )
            if side == "to"
            else _("Only operators of the referring organization may revoke a referral.")
        )
    if referral.status not in sources:
        raise Conflict(
            _(
                "Cannot %(action)s a referral that is %(status)s.",
                action=action,
                status=referral.status,
            ),
            {"status": referral.status, "action": action},
        )
    reason = (reason or "").strip()
    if action == "reject" and not reason:
        raise Invalid(
            _("Say why the referral is rejected."),
            {"fields": {"reason": [_("Say why the referral is rejected.")]}},
        )
    if len(reason) > MAX_REASON:
        raise invalid({"reason": [_("The reason is longer than %(n)s characters.", n=MAX_REASON)]})
    previous = referral.status
    referral.status = target
    if reason:
        referral.response_reason = reason
    session.flush()
    record_event(
        session,
        actor,
        f"referral.{action}",
        "referral",
        referral.id,
        {"from": previous, "to": target, "household_id": referral.household_id},
    )
    other = referral.from_organization_id if side == "to" else referral.to_organization_id
    _notify_organization(session, other, "referral.updated", referral)
    if target not in policy.RECEIVER_SEES:
        revoke_enabled(session, actor, referral)
    return referral


def revoke_enabled(session: Session, actor: User, ended: Referral) -> list[Referral]:
    """Revoke, transitively, the onward referrals that ``ended`` enabled; each is audited
    (``referral.revoke`` with ``cascade_of``: the referral whose end caused it, shown on
    the case's timeline) and both its organizations are notified.

    An organization refers a case on only while it sees it. Once ``ended`` no longer shows
    the case to its receiver, every live referral (pending, accepted or completed: each
    shows the case to its receiver) sent by an organization downstream of it that no
    longer sees the case on its own ground is revoked: its own territory, or a live
    referral from an organization that has such ground. A referral sent by someone who
    still has that ground stands, and so does everything it enabled.
    """
    household = session.get(Household, ended.household_id)
    assert household is not None  # foreign key
    live = list(
        session.scalars(
            sa.select(Referral)
            .where(
                Referral.household_id == ended.household_id,
                Referral.status.in_(policy.RECEIVER_SEES),
            )
            .order_by(Referral.id)
        )
    )
    grounded = {
        organization.id
        for organization in session.scalars(
            sa.select(Organization).where(
                Organization.id.in_(sorted({r.from_organization_id for r in live}))
            )
        )
        if policy.sees_by_territory(organization, household)
    }
    grew = True
    while grew:  # the receivers of grounded senders are grounded, and so on
        reached = {r.to_organization_id for r in live if r.from_organization_id in grounded}
        grew = not reached <= grounded
        grounded |= reached
    cascaded: list[Referral] = []
    causes = {ended.to_organization_id: ended}
    pending = [ended.to_organization_id]
    while pending:
        sender = pending.pop()
        if sender in grounded:
            continue
        for referral in live:
            if referral.from_organization_id != sender or referral.status == "revoked":
                continue
            previous = referral.status
            referral.status = "revoked"
            session.flush()
            cause = causes[sender]
            record_event(
                session,
                actor,
                "referral.revoke",
                "referral",
                referral.id,
                {
                    "from": previous,
                    "to": "revoked",
                    "household_id": referral.household_id,
                    "cascade_of": cause.id,
                },
            )
            for organization_id in (referral.from_organization_id, referral.to_organization_id):
                _notify_organization(session, organization_id, "referral.updated", referral)
            cascaded.append(referral)
            if referral.to_organization_id not in causes:
                causes[referral.to_organization_id] = referral
                pending.append(referral.to_organization_id)
    return cascaded


def consent_recorder(session: Session, referral: Referral) -> User | None:
    """Who recorded the family's consent (for display), when the account still exists."""
    user_id = referral.consent_recorded_by_user_id
    return session.get(User, user_id) if user_id else None


def household_of(session: Session, referral: Referral) -> Household:
    """The referred household (for display; access was checked on the referral)."""
    household = session.get(Household, referral.household_id)
    if household is None:  # pragma: no cover - cascade deletes the referral with it
        raise NotFound(_("Household %(id)s not found.", id=referral.household_id))
    return household
