"""The operators' register: assistants of the territory, filtered and paginated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantLanguage,
    AssistantQualification,
)
from carenet.assistants.services._validation import Errors, check_text
from carenet.assistants.services.profiles import profile_options, require_register_reader
from carenet.auth.models import User
from carenet.catalogue.services import resolve_comune
from carenet.core.errors import Invalid
from carenet.gazetteer.models import Municipality


@dataclass(frozen=True)
class RegisterFilters:
    """What the operator narrows the register to; None means any."""

    municipality: str | None = None
    province: str | None = None
    status: str | None = None
    arrangement: str | None = None
    language: str | None = None
    qualification: str | None = None
    condition: str | None = None
    q: str | None = None


def _text_filter(value: str | None) -> str | None:
    """A search text without control characters, or None."""
    errors = Errors()
    text = check_text(errors, "q", value, required=False, limit=120)
    errors.raise_if_any()
    return text


def _where(filters: RegisterFilters, today: dt.date) -> list[sa.ColumnElement[bool]]:
    """SQL conditions for ``filters``."""
    clauses: list[sa.ColumnElement[bool]] = []
    if filters.municipality:
        try:
            istat = resolve_comune(filters.municipality, province=filters.province).istat
        except Invalid as exc:
            details = {**exc.details, "fields": {"municipality": [exc.message]}}
            raise Invalid(exc.message, details) from exc
        clauses.append(Assistant.municipality_id == istat)
    elif filters.province:
        clauses.append(
            Assistant.municipality_id.in_(
                sa.select(Municipality.istat).where(
                    Municipality.province == filters.province.strip().upper()
                )
            )
        )
    if filters.status:
        clauses.append(Assistant.status == filters.status)
    if filters.arrangement:
        column = getattr(Assistant, f"accepts_{filters.arrangement}", None)
        if column is None:
            raise Invalid(
                _("Unknown arrangement %(value)r.", value=filters.arrangement[:40]),
                {"fields": {"arrangement": [_("unknown arrangement")]}},
            )
        clauses.append(column.is_(True))
    if filters.language:
        clauses.append(
            sa.exists().where(
                AssistantLanguage.assistant_id == Assistant.id,
                AssistantLanguage.language == filters.language.strip().lower(),
            )
        )
    if filters.qualification:
        clauses.append(
            sa.exists().where(
                AssistantQualification.assistant_id == Assistant.id,
                AssistantQualification.qualification_code == filters.qualification,
                AssistantQualification.issued_on <= today,
                sa.or_(
                    AssistantQualification.expires_on.is_(None),
                    AssistantQualification.expires_on >= today,
                ),
            )
        )
    if filters.condition:
        clauses.append(
            sa.exists().where(
                AssistantCondition.assistant_id == Assistant.id,
                AssistantCondition.condition == filters.condition,
            )
        )
    text = _text_filter(filters.q)
    if text:
        clauses.append(
            sa.func.lower(Assistant.display_name).contains(text.lower(), autoescape=True)
        )
    return clauses


def list_assistants(
    session: Session,
    actor: User,
    filters: RegisterFilters,
    page: int = 1,
    per_page: int = 20,
    *,
    today: dt.date | None = None,
) -> tuple[list[Assistant], int]:
    """One page of the assistants ``actor`` may see that match ``filters``, and the total."""
    require_register_reader(actor)
    clauses = _where(filters, today or dt.date.today())
    base = policy.scope_assistants(sa.select(Assistant.id).where(*clauses), actor)
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    stmt = policy.scope_assistants(
        sa.select(Assistant)
        .where(*clauses)
        .options(*profile_options())
        .order_by(Assistant.display_name, Assistant.id)
        .limit(per_page)
        .offset((page - 1) * per_page),
        actor,
    )
    return list(session.scalars(stmt)), total
