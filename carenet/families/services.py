"""Households, care recipients and needs assessments: writes, queries and health-data reads.

Every function takes the session and the acting user. Records outside the actor's scope
are reported as not found; health information goes out only through
``present_recipient``/``list_assessments``, which apply the access policy and audit the read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from carenet.access import fields, policy
from carenet.audit.services import record_event, record_health_read
from carenet.auth.models import User
from carenet.catalogue.services import resolve_comune
from carenet.core.errors import Forbidden, Invalid, NotFound
from carenet.core.vocab import AGE_BANDS, CONDITIONS, SELF_SUFFICIENCY
from carenet.families.models import Assessment, CareRecipient, Household, RecipientCondition
from carenet.gazetteer import is_in_italy
from carenet.organizations.models import organization_territory

WRITER_ROLES = frozenset({"family", "operator", "admin"})
HOUSEHOLD_FIELDS = ("contact_name", "phone", "municipality", "province", "address", "lat", "lon")
RECIPIENT_FIELDS = ("first_name", "age_band", "self_sufficiency", "conditions")
HEALTH_FIELDS = tuple(fields.FIELD_RULES["care_recipient"])
#: What a loader loads for: reading the case, or changing it (``require_writer`` too).
Access = Literal["read", "write"]


def invalid(fields: Mapping[str, list[str]]) -> Invalid:
    """A 422 whose message is the first problem and whose details list them all."""
    first = next(iter(fields.values()))[0]
    return Invalid(first, {"fields": {name: list(msgs) for name, msgs in fields.items()}})


def require_writer(actor: User) -> None:
    """Families, operators (not the Region's) and admins may change family records."""
    if actor.role not in WRITER_ROLES:
        raise Forbidden(_("Families and operators only may do this."))
    if actor.role == "operator" and policy.organization_kind(actor) == "region":
        raise Forbidden(_("Region staff see aggregate figures only."))


def require_reader(actor: User) -> None:
    """Assistants have no access to households or requests."""
    if actor.role not in WRITER_ROLES:
        raise Forbidden(_("Families and operators only may see this."))


# -- households -----------------------------------------------------------------------------


def list_households(
    session: Session, actor: User, page: int = 1, per_page: int = 20
) -> tuple[list[Household], int]:
    """A page of the households ``actor`` may see, newest first, and their total."""
    require_reader(actor)
    stmt = policy.scope_households(sa.select(Household), actor)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.options(selectinload(Household.recipients), selectinload(Household.municipality))
        .order_by(Household.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def get_household(
    session: Session, actor: User, household_id: int, *, for_: Access = "read"
) -> Household:
    """The household, or NotFound when it does not exist or is outside ``actor``'s scope;
    for ``"write"``, Forbidden unless ``actor`` may change family records."""
    require_reader(actor)
    household = session.get(Household, household_id)
    if household is None or not policy.can_see_household(actor, household):
        raise NotFound(_("Household %(id)s not found.", id=household_id))
    if for_ == "write":
        require_writer(actor)
    return household


def _in_actor_territory(session: Session, actor: User, istat: str) -> bool:
    if actor.role != "operator" or actor.organization_id is None:
        return True
    row = session.execute(
        sa.select(organization_territory.c.istat).where(
            organization_territory.c.organization_id == actor.organization_id,
            organization_territory.c.istat == istat,
        )
    ).first()
    return row is not None


def _household_values(
    session: Session, actor: User, data: Mapping[str, Any], current: Household | None
) -> dict[str, Any]:
    """Validate household input (all fields at once) into column values."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name in ("contact_name", "phone", "address"):
        if name in data:
            value = (data[name] or "").strip()
            values[name] = value or (None if name == "phone" else "")
    if ("contact_name" in values or current is None) and not values.get("contact_name"):
        errors["contact_name"] = [_("The contact name is required.")]
    suggestions: list[str] = []
    if data.get("municipality") is not None:
        try:
            comune = resolve_comune(data["municipality"], data.get("province"))
        except Invalid as exc:
            errors["municipality"] = [exc.message]
            suggestions = list(exc.details.get("suggestions", []))
        else:
            if not _in_actor_territory(session, actor, comune.istat):
                errors["municipality"] = [
                    _("%(name)s is outside your organization's territory.", name=comune.name)
                ]
            values["municipality_id"] = comune.istat
    elif current is None:
        errors["municipality"] = [_("The municipality is required.")]
    if "lat" in data or "lon" in data:
        lat = data.get("lat", current.lat if current else None)
        lon = data.get("lon", current.lon if current else None)
        if (lat is None) != (lon is None):
            errors["lat"] = [_("Give both latitude and longitude, or neither.")]
        elif lat is not None and not is_in_italy(lat, lon):
            errors["lat"] = [
                _("The coordinates %(lat)s, %(lon)s are not in Italy.", lat=lat, lon=lon)
            ]
        values["lat"], values["lon"] = lat, lon
    if errors:
        error = invalid(errors)
        if suggestions:
            error.details["suggestions"] = suggestions
        raise error
    return values


def create_household(session: Session, actor: User, data: Mapping[str, Any]) -> Household:
    """Create a household: a family's own, or one an operator registers at a sportello."""
    require_writer(actor)
    values = _household_values(session, actor, data, None)
    household = Household(
        owner_user_id=actor.id if actor.role == "family" else None,
        created_by_user_id=actor.id,
        contact_name=values["contact_name"],
        phone=values.get("phone"),
        municipality_id=values["municipality_id"],
        address=values.get("address", ""),
        lat=values.get("lat"),
        lon=values.get("lon"),
    )
    session.add(household)
    session.flush()
    record_event(session, actor, "household.create", "household", household.id)
    return household


def update_household(
    session: Session, actor: User, household_id: int, data: Mapping[str, Any]
) -> Household:
    """Change a household's contact details or address."""
    household = get_household(session, actor, household_id, for_="write")
    values = _household_values(session, actor, data, household)
    changed = sorted(k for k, v in values.items() if getattr(household, k) != v)
    for key in changed:
        setattr(household, key, values[key])
    session.flush()
    if changed:
        record_event(
            session, actor, "household.update", "household", household.id, {"fields": changed}
        )
    return household


# -- care recipients ------------------------------------------------------------------------


def _recipient_values(data: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    """Validate recipient input (all fields at once)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if "first_name" in data or creating:
        name = (data.get("first_name") or "").strip()
        if not name:
            errors["first_name"] = [_("The first name is required.")]
        values["first_name"] = name
    for field, allowed in (("age_band", AGE_BANDS), ("self_sufficiency", SELF_SUFFICIENCY)):
        if field in data or creating:
            value = data.get(field)
            if value not in allowed:
                errors[field] = [
                    _(
                        "%(value)r is not valid; use one of: %(allowed)s.",
                        value=value,
                        allowed=", ".join(allowed),
                    )
                ]
            values[field] = value
    if "conditions" in data or creating:
        conditions = list(data.get("conditions") or [])
        unknown = sorted({c for c in conditions if c not in CONDITIONS})
        if unknown:
            errors["conditions"] = [
                _(
                    "Unknown condition(s) %(unknown)s; use: %(allowed)s.",
                    unknown=", ".join(unknown),
                    allowed=", ".join(CONDITIONS),
                )
            ]
        values["conditions"] = sorted(set(conditions))
    if errors:
        raise invalid(errors)
    return values


def add_recipient(
    session: Session, actor: User, household_id: int, data: Mapping[str, Any]
) -> CareRecipient:
    """Add a person who needs care to a household."""
    household = get_household(session, actor, household_id, for_="write")
    fields.require_writable(actor, household, "care_recipient", data)
    require_recipient_creator(actor, household)
    values = _recipient_values(data, creating=True)
    recipient = CareRecipient(
        household=household,
        first_name=values["first_name"],
        age_band=values["age_band"],
        self_sufficiency=values["self_sufficiency"],
        conditions=[RecipientCondition(condition=c) for c in values["conditions"]],
    )
    session.add(recipient)
    session.flush()
    record_event(
        session,
        actor,
        "care_recipient.create",
        "care_recipient",
        recipient.id,
        {"household_id": household.id},
    )
    return recipient


def may_add_recipient(actor: User, household: Household) -> bool:
    """Whether ``actor`` may add a person to ``household`` (see ``require_recipient_creator``)."""
    return (
        actor.role in WRITER_ROLES
        and policy.organization_kind(actor) != "region"
        and fields.may_read(actor, household, "care_recipient", "self_sufficiency")
    )


def require_recipient_creator(actor: User, household: Household) -> None:
    """Forbidden unless ``actor`` may add a person to ``household``: a new person needs
    their self-sufficiency, which only those who may read it may write."""
    require_writer(actor)
    if not fields.may_read(actor, household, "care_recipient", "self_sufficiency"):
        raise Forbidden(
            _(
                "Your organization may not record a person's health information, which a new "
                "person needs: refer the case to an ASL or an Ente gestore, who will add them."
            )
        )


def get_recipient(
    session: Session, actor: User, recipient_id: int, *, for_: Access = "read"
) -> CareRecipient:
    """The recipient, or NotFound when missing or outside ``actor``'s scope; for
    ``"write"``, Forbidden unless ``actor`` may change family records."""
    require_reader(actor)
    recipient = session.get(CareRecipient, recipient_id)
    if recipient is None or not policy.can_see_household(actor, recipient.household):
        raise NotFound(_("Care recipient %(id)s not found.", id=recipient_id))
    if for_ == "write":
        require_writer(actor)
    return recipient


def update_recipient(
    session: Session, actor: User, recipient_id: int, data: Mapping[str, Any]
) -> CareRecipient:
    """Change a recipient's name, age band, self-sufficiency or conditions."""
    recipient = get_recipient(session, actor, recipient_id, for_="write")
    fields.require_writable(actor, recipient.household, "care_recipient", data)
    values = _recipient_values(data, creating=False)
    changed: list[str] = []
    for key in ("first_name", "age_band", "self_sufficiency"):
        if key in values and getattr(recipient, key) != values[key]:
            setattr(recipient, key, values[key])
            changed.append(key)
    if "conditions" in values:
        current = sorted(c.condition for c in recipient.conditions)
        if current != values["conditions"]:
            recipient.conditions = [RecipientCondition(condition=c) for c in values["conditions"]]
            changed.append("conditions")
    session.flush()
    if changed:
        # Field names only: the audit log must not become a copy of the health data.
        record_event(
            session,
            actor,
            "care_recipient.update",
            "care_recipient",
            recipient.id,
            {"fields": changed},
        )
    return recipient


def can_read_health(actor: User, household: Household) -> bool:
    """Whether ``actor`` may read (and write) self-sufficiency and conditions in ``household``."""
    return fields.may_read(actor, household, "care_recipient", "self_sufficiency")


def present_recipient(
    session: Session, actor: User, recipient: CareRecipient, *, audit: bool = True
) -> dict[str, Any]:
    """A recipient as a dict; health fields only where allowed, and their read audited."""
    household = recipient.household
    shown = fields.project(
        actor,
        household,
        "care_recipient",
        {
            "id": recipient.id,
            "household_id": recipient.household_id,
            "first_name": recipient.first_name,
            "age_band": recipient.age_band,
            "self_sufficiency": recipient.self_sufficiency,
            "conditions": [c.condition for c in recipient.conditions],
            "created_at": recipient.created_at,
            "updated_at": recipient.updated_at,
        },
    )
    read = fields.health_fields_shown("care_recipient", shown)
    if read and audit:
        record_health_read(session, actor, recipient.id, read, via="care_recipient")
    return shown


# -- assessments ----------------------------------------------------------------------------


def record_assessment(
    session: Session, actor: User, recipient_id: int, data: Mapping[str, Any]
) -> Assessment:
    """Record a needs assessment; only ASL and Ente gestore operators of the territory may."""
    recipient = get_recipient(session, actor, recipient_id)
    if actor.role != "operator" or policy.organization_kind(actor) not in policy.ASSESSOR_KINDS:
        raise Forbidden(
            _("Only operators of a health authority (ASL) or an Ente gestore record assessments.")
        )
    errors: dict[str, list[str]] = {}
    score = data.get("score")
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        errors["score"] = [_("The score must be a whole number from 0 to 100, not %(v)r.", v=score)]
    level = data.get("self_sufficiency")
    if level not in SELF_SUFFICIENCY:
        errors["self_sufficiency"] = [
            _(
                "%(value)r is not valid; use one of: %(allowed)s.",
                value=level,
                allowed=", ".join(SELF_SUFFICIENCY),
            )
        ]
    assessed_on = data.get("assessed_on") or dt.date.today()
    if not isinstance(assessed_on, dt.date) or assessed_on > dt.date.today():
        errors["assessed_on"] = [_("The assessment date cannot be in the future.")]
    if errors:
        raise invalid(errors)
    assessment = Assessment(
        recipient_id=recipient.id,
        organization_id=actor.organization_id,
        assessed_by_user_id=actor.id,
        assessed_on=assessed_on,
        self_sufficiency=level,
        score=score,
        notes=(data.get("notes") or "").strip(),
    )
    latest = max((a.assessed_on for a in recipient.assessments), default=None)
    session.add(assessment)
    # The most recent professional assessment is the recipient's self-sufficiency of record.
    if (latest is None or assessed_on >= latest) and recipient.self_sufficiency != level:
        recipient.self_sufficiency = str(level)
    session.flush()
    record_event(
        session,
        actor,
        "assessment.create",
        "care_recipient",
        recipient.id,
        {"assessment_id": assessment.id},
    )
    return assessment


def list_assessments(session: Session, actor: User, recipient_id: int) -> list[Assessment]:
    """A recipient's assessments, oldest first; Forbidden unless the actor may read them."""
    recipient = get_recipient(session, actor, recipient_id)
    if not policy.can_read_assessments(actor, recipient.household):
        raise Forbidden(_("Your organization may not read needs assessments."))
    record_health_read(session, actor, recipient.id, ["assessments"], via="assessments")
    return list(
        session.scalars(
            sa.select(Assessment)
            .where(Assessment.recipient_id == recipient.id)
            .order_by(Assessment.assessed_on, Assessment.id)
        )
    )
