"""Organizations of the network and their territories.

A territory is given as tokens: ISTAT codes ("001272"), province abbreviations ("TO",
every comune of the province), regions ("region:01" or "region:Piemonte") or comune names
("Moncalieri"). Services flush, never commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access.policy import require
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.catalogue.services import resolve_comune
from carenet.core.errors import Conflict, Invalid, NotFound
from carenet.core.vocab import ORGANIZATION_KINDS
from carenet.gazetteer import get_gazetteer
from carenet.gazetteer.models import Municipality
from carenet.organizations.models import Organization
from carenet.organizations.models import organization_territory as ot

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
_PROVINCE_RE = re.compile(r"^[A-Za-z]{2}$")


def _invalid(field: str, message: str, **extra: object) -> Invalid:
    return Invalid(message, {"fields": {field: [message]}, **extra})


def split_territory(spec: str | Iterable[str]) -> list[str]:
    """Tokens of a territory given as "TO, 001156" or as a list."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    return [item.strip() for item in items if item and item.strip()]


def expand_territory(session: Session, spec: str | Iterable[str]) -> list[str]:
    """Turn territory tokens into the sorted ISTAT codes they cover; raise ``Invalid``."""
    gazetteer = get_gazetteer()
    codes: set[str] = set()
    problems: list[str] = []
    for token in split_territory(spec):
        if token.isdigit():
            comune = gazetteer.find(token)
            if comune is None:
                problems.append(_("%(token)s is not the ISTAT code of a comune.", token=token))
            else:
                codes.add(comune.istat)
        elif _PROVINCE_RE.match(token):
            comuni = gazetteer.in_province(token.upper())
            if not comuni:
                problems.append(_("%(token)s is not a province abbreviation.", token=token))
            codes.update(c.istat for c in comuni)
        elif token.lower().startswith("region:"):
            comuni = gazetteer.in_region(token.partition(":")[2])
            if not comuni:
                problems.append(_("%(token)s does not name a region.", token=token))
            codes.update(c.istat for c in comuni)
        else:
            try:
                codes.add(resolve_comune(token, field="territory").istat)
            except Invalid as exc:
                problems.append(exc.message)
    if problems:
        raise _invalid("territory", " ".join(problems))
    if not codes:
        raise _invalid("territory", _("The territory is empty: give at least one comune."))
    return sorted(codes)


def _municipalities(session: Session, codes: list[str]) -> list[Municipality]:
    """The municipality rows for ``codes``; all must be loaded (``carenet init``)."""
    rows = list(session.scalars(sa.select(Municipality).where(Municipality.istat.in_(codes))))
    if len(rows) != len(set(codes)):
        missing = sorted(set(codes) - {m.istat for m in rows})
        raise _invalid(
            "territory",
            _(
                "%(n)d comuni are missing from the database (e.g. %(example)s): "
                "run 'carenet init' to load them.",
                n=len(missing),
                example=missing[0],
            ),
        )
    return rows


def _check_new_organization(code: str, kind: str, name: str) -> None:
    """Validate the fields of a new organization, reporting every problem at once."""
    fields: dict[str, list[str]] = {}
    if not CODE_RE.match(code):
        fields["code"] = [
            _(
                "%(code)r is not a valid code: use 2-40 lowercase letters, digits and dashes.",
                code=code,
            )
        ]
    if kind not in ORGANIZATION_KINDS:
        fields["kind"] = [
            _(
                "%(kind)r is not an organization kind; choose one of: %(kinds)s.",
                kind=kind,
                kinds=", ".join(ORGANIZATION_KINDS),
            )
        ]
    if not name.strip() or len(name.strip()) > 200:
        fields["name"] = [_("The name is required and at most %(max)d characters.", max=200)]
    if fields:
        messages = [m for problems in fields.values() for m in problems]
        raise Invalid(" ".join(messages), {"fields": fields})


def create_organization(
    session: Session,
    actor: User | None,
    *,
    code: str,
    kind: str,
    name: str,
    territory: str | Iterable[str] = (),
) -> Organization:
    """Create an organization with its territory (tokens as in ``expand_territory``)."""
    code = (code or "").strip().lower()
    _check_new_organization(code, kind, name or "")
    tokens = split_territory(territory)
    codes = expand_territory(session, tokens) if tokens else []
    if find_organization_by_code(session, code) is not None:
        message = _("An organization with the code %(code)s already exists.", code=code)
        raise Conflict(message, {"fields": {"code": [message]}})
    organization = Organization(code=code, kind=kind, name=name.strip())
    organization.territory = _municipalities(session, codes) if codes else []
    session.add(organization)
    session.flush()
    record_event(
        session,
        actor,
        "organization.created",
        "organization",
        organization.id,
        {"code": code, "kind": kind, "territory_size": len(codes)},
    )
    return organization


def set_territory(
    session: Session, actor: User | None, organization: Organization, territory: str | Iterable[str]
) -> Organization:
    """Replace the territory of ``organization``."""
    codes = expand_territory(session, territory)
    organization.territory = _municipalities(session, codes)
    session.flush()
    record_event(
        session,
        actor,
        "organization.territory_set",
        "organization",
        organization.id,
        {"territory_size": len(codes)},
    )
    return organization


def extend_territory(
    session: Session, actor: User | None, organization: Organization, territory: str | Iterable[str]
) -> Organization:
    """Add comuni to the territory of ``organization``, keeping the ones it has."""
    current = {m.istat for m in organization.territory}
    added = [code for code in expand_territory(session, territory) if code not in current]
    if added:
        organization.territory = [*organization.territory, *_municipalities(session, added)]
        session.flush()
    record_event(
        session,
        actor,
        "organization.territory_extended",
        "organization",
        organization.id,
        {"added": len(added), "territory_size": len(current) + len(added)},
    )
    return organization


def find_organization_by_code(session: Session, code: str) -> Organization | None:
    """The organization with this code, or None."""
    return session.scalar(
        sa.select(Organization).where(Organization.code == (code or "").strip().lower())
    )


def get_organization_by_code(session: Session, code: str) -> Organization:
    """The organization with this code, or ``NotFound`` naming it."""
    organization = find_organization_by_code(session, code)
    if organization is None:
        raise NotFound(
            _("No organization has the code %(code)s.", code=code), {"fields": {"code": [code]}}
        )
    return organization


def list_organizations(session: Session, actor: User) -> list[Organization]:
    """Organizations ``actor`` may see: all for admins, their own for operators."""
    require(actor.role in {"admin", "operator"}, _("Only operators and admins see organizations."))
    stmt = sa.select(Organization).order_by(Organization.kind, Organization.code)
    if actor.role != "admin":
        stmt = stmt.where(Organization.id == actor.organization_id)
    return list(session.scalars(stmt))


def territory_sizes(session: Session, organization_ids: list[int]) -> dict[int, int]:
    """How many comuni each organization's territory holds, in one query."""
    rows = session.execute(
        sa.select(ot.c.organization_id, sa.func.count())
        .where(ot.c.organization_id.in_(organization_ids))
        .group_by(ot.c.organization_id)
    )
    return {org_id: count for org_id, count in rows}


def get_organization(session: Session, actor: User, organization_id: int) -> Organization:
    """One organization ``actor`` may see; others are reported as not found."""
    require(actor.role in {"admin", "operator"}, _("Only operators and admins see organizations."))
    organization = session.get(Organization, organization_id)
    if organization is None or (actor.role != "admin" and actor.organization_id != organization.id):
        raise NotFound(_("No organization with id %(id)d.", id=organization_id))
    return organization
