"""Care requests: create, change, list and move through the simple status transitions.

Input is validated as a whole (every broken rule reported at once) before anything is
written; the contract rules themselves live in ``rules.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from carenet.access import fields, policy
from carenet.assistants.models import Qualification
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.care_requests import rules
from carenet.care_requests.models import CareRequest, RequestLanguage, RequestQualification
from carenet.core.errors import Conflict, NotFound
from carenet.core.vocab import ARRANGEMENTS, GENDER_PREFERENCES, GENDERS, LANGUAGES
from carenet.families.models import CareRecipient, Household
from carenet.families.services import (
    Access,
    get_recipient,
    invalid,
    require_reader,
    require_writer,
)
from carenet.organizations.models import Organization
from matching import Schedule, ScheduleError, contract

LIST_FIELDS = (
    "required_qualifications",
    "preferred_qualifications",
    "required_languages",
    "preferred_languages",
)
SCALAR_FIELDS = (
    "arrangement",
    "live_in_part_time",
    "weekly_hours",
    "start_date",
    "duration_months",
    "gender_preference",
    "gender",
    "max_distance_km",
    "budget_eur_month",
    "has_voucher",
    "organization_id",
    "notes",
)
CREATE_STATUSES = ("draft", "open")


def get_request(
    session: Session, actor: User, request_id: int, *, for_: Access = "read"
) -> CareRequest:
    """The request, or NotFound when missing or its household is outside ``actor``'s scope;
    for ``"write"``, Forbidden unless ``actor`` may change family records."""
    require_reader(actor)
    care_request = session.get(CareRequest, request_id)
    if care_request is None or not policy.can_see_household(
        actor, care_request.recipient.household
    ):
        raise NotFound(_("Care request %(id)s not found.", id=request_id))
    if for_ == "write":
        require_writer(actor)
    return care_request


def list_requests(
    session: Session,
    actor: User,
    *,
    status: str | None = None,
    arrangement: str | None = None,
    municipality_id: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[CareRequest], int]:
    """A page of the requests ``actor`` may see, newest first, filtered, and their total."""
    require_reader(actor)
    stmt = (
        sa.select(CareRequest)
        .join(CareRecipient, CareRequest.recipient_id == CareRecipient.id)
        .join(Household, CareRecipient.household_id == Household.id)
    )
    stmt = policy.scope_households(stmt, actor)
    if status:
        stmt = stmt.where(CareRequest.status == status)
    if arrangement:
        stmt = stmt.where(CareRequest.arrangement == arrangement)
    if municipality_id:
        stmt = stmt.where(Household.municipality_id == municipality_id)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    # Everything present_request reads, loaded in a few queries rather than per row.
    options = (
        selectinload(CareRequest.recipient)
        .selectinload(CareRecipient.household)
        .selectinload(Household.municipality),
        selectinload(CareRequest.qualifications),
        selectinload(CareRequest.languages),
    )
    rows = session.scalars(
        stmt.options(*options)
        .order_by(CareRequest.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def _current_values(care_request: CareRequest) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(care_request, name) for name in SCALAR_FIELDS}
    values["schedule"] = Schedule.from_bytes(care_request.schedule)
    values["required_qualifications"] = care_request.qualification_codes(required=True)
    values["preferred_qualifications"] = care_request.qualification_codes(required=False)
    values["required_languages"] = care_request.language_codes(required=True)
    values["preferred_languages"] = care_request.language_codes(required=False)
    return values


def household_requests(session: Session, household: Household) -> list[CareRequest]:
    """The requests of a household its caller has loaded (``get_household``), oldest first."""
    stmt = (
        sa.select(CareRequest)
        .join(CareRecipient, CareRequest.recipient_id == CareRecipient.id)
        .where(CareRecipient.household_id == household.id)
        .order_by(CareRequest.id)
    )
    return list(session.scalars(stmt))


def requests_by_recipient(session: Session, household: Household) -> dict[int, list[CareRequest]]:
    """The requests of a household its caller has loaded, by person, newest first."""
    out: dict[int, list[CareRequest]] = {r.id: [] for r in household.recipients}
    for care_request in reversed(household_requests(session, household)):
        out[care_request.recipient_id].append(care_request)
    return out


def _check_codes(
    errors: dict[str, list[str]],
    values: Mapping[str, Any],
    kind: str,
    valid: list[str],
) -> None:
    """Unknown codes and codes both required and preferred, for qualifications or languages."""
    required, preferred = values[f"required_{kind}"], values[f"preferred_{kind}"]
    for field, codes in ((f"required_{kind}", required), (f"preferred_{kind}", preferred)):
        unknown = sorted({c for c in codes if c not in valid})
        if unknown:
            errors.setdefault(field, []).append(
                _(
                    "Unknown code(s) %(unknown)s; valid codes are: %(valid)s.",
                    unknown=", ".join(unknown),
                    valid=", ".join(valid),
                )
            )
    both = sorted(set(required) & set(preferred))
    if both:
        errors.setdefault(f"preferred_{kind}", []).append(
            _(
                "%(codes)s cannot be both required and preferred.",
                codes=", ".join(both),
            )
        )


def _validate(
    session: Session,
    recipient: CareRecipient,
    values: dict[str, Any],
    *,
    check_start: bool,
    keep_level: str | None,
) -> dict[str, Any]:
    """Check every field and rule; return the column values or raise one Invalid with all."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if values["arrangement"] not in ARRANGEMENTS:
        add("arrangement", _("Use one of: %(v)s.", v=", ".join(ARRANGEMENTS)))
    schedule = values["schedule"]
    if isinstance(schedule, str):
        try:
            schedule = Schedule.parse(schedule)
        except ScheduleError as exc:
            add("schedule", _("The schedule could not be read: %(error)s", error=str(exc)))
            schedule = None
    start = values["start_date"]
    if check_start and start < dt.date.today():
        add("start_date", _("The start date %(date)s is in the past.", date=start.isoformat()))
    if values["duration_months"] is not None and not 1 <= values["duration_months"] <= 120:
        add("duration_months", _("The duration must be from 1 to 120 months."))
    if not 1 <= values["max_distance_km"] <= 300:
        add("max_distance_km", _("The maximum distance must be from 1 to 300 km."))
    budget = values["budget_eur_month"]
    if budget is not None and not 0 <= budget <= 100_000:
        add("budget_eur_month", _("The budget must be from 0 to 100000 EUR a month."))
    preference, gender = values["gender_preference"], values["gender"]
    if preference not in GENDER_PREFERENCES:
        add("gender_preference", _("Use one of: %(v)s.", v=", ".join(GENDER_PREFERENCES)))
    elif preference == "none":
        gender = None
    elif gender not in GENDERS:
        add(
            "gender",
            _("A gender (%(v)s) is needed when it is preferred or required.", v=", ".join(GENDERS)),
        )
    qualifications = {q.code: q for q in session.scalars(sa.select(Qualification))}
    _check_codes(errors, values, "qualifications", sorted(qualifications))
    _check_codes(errors, values, "languages", list(LANGUAGES))
    organization_id = values["organization_id"]
    if organization_id is not None and (session.get(Organization, organization_id) is None):
        add("organization_id", _("Organization %(id)s does not exist.", id=organization_id))

    requires_trained = contract.is_trained(values["required_qualifications"])
    requested = values.get("ccnl_level", keep_level)
    level, violations = rules.ccnl_level(recipient.self_sufficiency, requires_trained, requested)
    hours = 0
    if schedule is not None and values["arrangement"] in ARRANGEMENTS:
        hours, more = rules.contract_hours(
            values["arrangement"],
            bool(values["live_in_part_time"]),
            schedule,
            values["weekly_hours"],
        )
        violations.extend(more)
    for violation in violations:
        add(violation.field, violation.message)
    if errors:
        raise invalid(errors)
    out = {name: values[name] for name in SCALAR_FIELDS}
    out.update(
        schedule=schedule.to_bytes() if schedule is not None else b"",
        weekly_hours=hours,
        gender=gender,
        ccnl_level=level,
        live_in_part_time=bool(values["live_in_part_time"]),
        notes=(values["notes"] or "").strip(),
    )
    return out


def _set_codes(care_request: CareRequest, values: Mapping[str, Any]) -> None:
    qualifications, languages = [], []
    for required, prefix in ((True, "required_"), (False, "preferred_")):
        for code in sorted(set(values[prefix + "qualifications"])):
            qualifications.append(
                RequestQualification(qualification_code=code, is_required=required)
            )
        for code in sorted(set(values[prefix + "languages"])):
            languages.append(RequestLanguage(language=code, is_required=required))
    care_request.qualifications = qualifications
    care_request.languages = languages


def create_request(session: Session, actor: User, data: Mapping[str, Any]) -> CareRequest:
    """Create a request for a recipient the actor may see (a draft unless status is open)."""
    recipient = get_recipient(session, actor, int(data["recipient_id"]), for_="write")
    fields.require_writable(actor, recipient.household, "care_request", data)
    status = data.get("status") or "draft"
    if status not in CREATE_STATUSES:
        raise invalid({"status": [_("A new request is a draft or open, not %(s)r.", s=status)]})
    values: dict[str, Any] = {
        "live_in_part_time": False,
        "weekly_hours": None,
        "duration_months": None,
        "gender_preference": "none",
        "gender": None,
        "budget_eur_month": None,
        "has_voucher": False,
        "organization_id": actor.organization_id if actor.role == "operator" else None,
        "notes": "",
        **{name: [] for name in LIST_FIELDS},
    }
    values.update({k: v for k, v in data.items() if k not in {"recipient_id", "status"}})
    missing = [
        name
        for name in ("arrangement", "schedule", "start_date", "max_distance_km")
        if values.get(name) is None
    ]
    if missing:
        raise invalid({name: [_("This field is required.")] for name in missing})
    columns = _validate(session, recipient, values, check_start=True, keep_level=None)
    care_request = CareRequest(
        recipient_id=recipient.id, status=status, created_by_user_id=actor.id, **columns
    )
    _set_codes(care_request, values)
    session.add(care_request)
    session.flush()
    record_event(
        session,
        actor,
        "care_request.create",
        "care_request",
        care_request.id,
        {"status": status, "ccnl_level": care_request.ccnl_level},
    )
    return care_request


def explicit_level(session: Session, care_request: CareRequest) -> str | None:
    """The level the family asked for: the stored one when above what the request implies."""
    requires_trained = contract.is_trained(care_request.qualification_codes(required=True))
    implied = rules.implied_ccnl_level(care_request.recipient.self_sufficiency, requires_trained)
    stored = care_request.ccnl_level
    return stored if rules.LEVEL_RANK[stored] > rules.LEVEL_RANK[implied] else None


def update_request(
    session: Session, actor: User, request_id: int, data: Mapping[str, Any]
) -> CareRequest:
    """Change a draft or open request; the whole result is checked again."""
    care_request = get_request(session, actor, request_id, for_="write")
    household = care_request.recipient.household
    fields.require_writable(actor, household, "care_request", data)
    if care_request.status not in rules.EDITABLE_STATUSES:
        raise Conflict(
            _(
                "A %(status)s request can no longer be changed; only drafts and open requests can.",
                status=care_request.status,
            )
        )
    current = _current_values(care_request)
    data = fields.keep_hidden(actor, household, "care_request", data, current)
    values = {**current, **data}
    if "weekly_hours" not in data:
        values["weekly_hours"] = None  # follow the (possibly new) schedule
    if "live_in_part_time" not in data and values["arrangement"] != "live_in":
        values["live_in_part_time"] = False
    columns = _validate(
        session,
        care_request.recipient,
        values,
        check_start="start_date" in data and data["start_date"] != care_request.start_date,
        keep_level=explicit_level(session, care_request),
    )
    changed = sorted(k for k, v in columns.items() if getattr(care_request, k) != v)
    for key in changed:
        setattr(care_request, key, columns[key])
    lists = [name for name in LIST_FIELDS if sorted(current[name]) != sorted(values[name])]
    if lists:
        _set_codes(care_request, values)
    changed.extend(lists)
    session.flush()
    if changed:
        record_event(
            session,
            actor,
            "care_request.update",
            "care_request",
            care_request.id,
            {"fields": sorted(changed)},
        )
    return care_request


def change_status(session: Session, actor: User, request_id: int, action: str) -> CareRequest:
    """Apply a simple transition (submit, cancel, close), or Conflict when it does not apply."""
    care_request = get_request(session, actor, request_id, for_="write")
    target = rules.next_status(action, care_request.status)
    if target is None:
        raise Conflict(
            _(
                "Cannot %(action)s a request that is %(status)s.",
                action=action,
                status=care_request.status,
            ),
            {"status": care_request.status, "action": action},
        )
    previous = care_request.status
    care_request.status = target
    session.flush()
    record_event(
        session,
        actor,
        f"care_request.{action}",
        "care_request",
        care_request.id,
        {"from": previous, "to": target},
    )
    return care_request
