"""Creating, changing, reading and verifying assistants' profiles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from carenet.access import policy
from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantLanguage,
    AssistantQualification,
)
from carenet.assistants.services._validation import Errors, check_profile, check_text
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.core.db import utcnow
from carenet.core.errors import Conflict, Forbidden, Invalid, NotFound


def profile_options() -> list[Any]:
    """Loader options that fetch a profile's collections in a fixed number of queries."""
    return [
        selectinload(Assistant.municipality),
        selectinload(Assistant.languages),
        selectinload(Assistant.qualifications).selectinload(AssistantQualification.qualification),
        selectinload(Assistant.conditions),
        selectinload(Assistant.documents),
    ]


def require_register_reader(actor: User) -> None:
    """Only operators with a territory and admins browse the register."""
    if actor.role == "admin":
        return
    if actor.role != "operator" or policy.organization_kind(actor) == "region":
        raise Forbidden(_("The register of assistants is not available to your role."))


def _require_profile_reader(actor: User) -> None:
    """Assistants (their own profile), operators and admins read profiles."""
    if actor.role == "assistant":
        return
    require_register_reader(actor)


def get_assistant(session: Session, actor: User, assistant_id: int) -> Assistant:
    """The profile ``assistant_id`` if ``actor`` may see it; NotFound otherwise."""
    _require_profile_reader(actor)
    stmt = sa.select(Assistant).where(Assistant.id == assistant_id).options(*profile_options())
    assistant = session.scalar(policy.scope_assistants(stmt, actor))
    if assistant is None:
        raise NotFound(_("No assistant with id %(id)s.", id=assistant_id))
    return assistant


def find_own_assistant(session: Session, actor: User) -> Assistant | None:
    """The profile of the assistant ``actor``, or None when they have not created it yet."""
    if actor.role != "assistant":
        raise Forbidden(_("Only assistants have their own profile."))
    stmt = sa.select(Assistant).where(Assistant.user_id == actor.id).options(*profile_options())
    return session.scalar(stmt)


def get_own_assistant(session: Session, actor: User) -> Assistant:
    """The profile of the assistant ``actor``; NotFound until they create it."""
    assistant = find_own_assistant(session, actor)
    if assistant is None:
        raise NotFound(_("You have not created your assistant profile yet."))
    return assistant


def _require_territory(actor: User, istat: str | None) -> None:
    """An operator may only place a profile in a comune of their territory."""
    if actor.role != "operator" or istat is None:
        return
    if not policy.can_see_assistant(actor, Assistant(municipality_id=istat)):
        raise Invalid(
            _("Comune %(istat)s is outside your organization's territory.", istat=istat),
            {"fields": {"municipality": [_("outside your territory")]}},
        )


def create_assistant(
    session: Session, actor: User, data: Mapping[str, Any], *, today: dt.date | None = None
) -> Assistant:
    """Create a profile: an assistant for themself, or an operator at a sportello."""
    if actor.role == "assistant":
        if find_own_assistant(session, actor) is not None:
            raise Conflict(_("You already have an assistant profile; edit it instead."))
    elif actor.role in ("operator", "admin"):
        require_register_reader(actor)
    else:
        raise Forbidden(_("Only assistants and operators create assistant profiles."))
    values = check_profile(data, partial=False, today=today or dt.date.today())
    _require_territory(actor, values["municipality_id"])
    languages = values.pop("languages", None) or {}
    conditions = values.pop("conditions", None) or []
    values.pop("province", None)
    assistant = Assistant(
        user_id=actor.id if actor.role == "assistant" else None, status="pending", **values
    )
    assistant.languages = [
        AssistantLanguage(language=code, level=level) for code, level in languages.items()
    ]
    assistant.conditions = [AssistantCondition(condition=code) for code in conditions]
    session.add(assistant)
    session.flush()
    record_event(
        session,
        actor,
        "assistant.create",
        "assistant",
        assistant.id,
        {"municipality": assistant.municipality_id, "by": actor.role},
    )
    return assistant


def update_assistant(
    session: Session,
    actor: User,
    assistant_id: int,
    data: Mapping[str, Any],
    *,
    today: dt.date | None = None,
) -> Assistant:
    """Change the given fields of a profile (its owner, or an operator of its territory)."""
    assistant = get_assistant(session, actor, assistant_id)
    values = check_profile(data, partial=True, today=today or dt.date.today())
    _require_territory(actor, values.get("municipality_id"))
    changed = sorted(k for k in data if k != "province")
    languages = values.pop("languages", None)
    conditions = values.pop("conditions", None)
    for name, value in values.items():
        setattr(assistant, name, value)
    if languages is not None:
        _replace_languages(session, assistant, languages)
    if conditions is not None:
        _replace_conditions(session, assistant, conditions)
    assistant.updated_at = utcnow()
    session.flush()
    record_event(session, actor, "assistant.update", "assistant", assistant.id, {"fields": changed})
    return assistant


def _replace_languages(session: Session, assistant: Assistant, languages: dict[str, str]) -> None:
    """Keep, update, add and drop rows so the primary keys never collide."""
    current = {row.language: row for row in assistant.languages}
    for code, row in current.items():
        if code not in languages:
            assistant.languages.remove(row)
        else:
            row.level = languages[code]
    for code, level in languages.items():
        if code not in current:
            assistant.languages.append(AssistantLanguage(language=code, level=level))


def _replace_conditions(session: Session, assistant: Assistant, conditions: list[str]) -> None:
    """Drop the conditions no longer listed and add the new ones."""
    current = {row.condition: row for row in assistant.conditions}
    for code, row in current.items():
        if code not in conditions:
            assistant.conditions.remove(row)
    for code in conditions:
        if code not in current:
            assistant.conditions.append(AssistantCondition(condition=code))


def _get_verifiable(session: Session, actor: User, assistant_id: int) -> Assistant:
    """The profile, if ``actor`` sees it and may verify it (CPI or agency of its territory)."""
    assistant = get_assistant(session, actor, assistant_id)
    policy.require(
        policy.can_verify(actor, assistant),
        _("Only operators of an employment centre or agency of the territory verify."),
    )
    return assistant


def verify_assistant(session: Session, actor: User, assistant_id: int) -> Assistant:
    """Mark a profile verified by ``actor``'s organization."""
    assistant = _get_verifiable(session, actor, assistant_id)
    previous = assistant.status
    assistant.status = "verified"
    assistant.verified_at = utcnow()
    assistant.verified_by_org_id = actor.organization_id
    session.flush()
    record_event(session, actor, "assistant.verify", "assistant", assistant.id, {"from": previous})
    return assistant


def suspend_assistant(
    session: Session, actor: User, assistant_id: int, reason: str = ""
) -> Assistant:
    """Suspend a profile: it leaves matching until verified again."""
    assistant = _get_verifiable(session, actor, assistant_id)
    errors = Errors()
    reason = check_text(errors, "reason", reason, required=False, limit=500) or ""
    errors.raise_if_any()
    previous = assistant.status
    assistant.status = "suspended"
    session.flush()
    record_event(
        session,
        actor,
        "assistant.suspend",
        "assistant",
        assistant.id,
        {"from": previous, "reason": reason},
    )
    return assistant
