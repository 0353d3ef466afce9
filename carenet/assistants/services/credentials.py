"""Qualifications and identity documents of an assistant, and their verification."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from carenet.access import policy
from carenet.assistants.models import AssistantDocument, AssistantQualification, Qualification
from carenet.assistants.services._validation import Errors
from carenet.assistants.services.profiles import get_assistant
from carenet.audit.services import record_event
from carenet.auth.models import User
from carenet.core.db import utcnow
from carenet.core.errors import Conflict, NotFound
from carenet.core.vocab import DOCUMENT_KINDS


def _check_dates(
    errors: Errors,
    label: str,
    issued_on: dt.date | None,
    expires_on: dt.date | None,
    today: dt.date,
) -> None:
    """Issue not in the future, expiry after issue and not already past."""
    if issued_on is not None and issued_on > today:
        errors.add(
            "issued_on",
            _(
                "The issue date %(date)s of %(label)s is in the future.",
                date=issued_on.isoformat(),
                label=label,
            ),
        )
    if expires_on is None:
        return
    if issued_on is not None and expires_on <= issued_on:
        errors.add(
            "expires_on",
            _(
                "The expiry date %(expiry)s of %(label)s is not after its issue date %(issue)s.",
                expiry=expires_on.isoformat(),
                label=label,
                issue=issued_on.isoformat(),
            ),
        )
    elif expires_on < today:
        errors.add(
            "expires_on",
            _("%(label)s expired on %(date)s", label=label, date=expires_on.isoformat()),
        )


def add_qualification(
    session: Session,
    actor: User,
    assistant_id: int,
    code: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> AssistantQualification:
    """Declare a qualification of the catalogue; an operator verifies it later."""
    assistant = get_assistant(session, actor, assistant_id)
    today = today or dt.date.today()
    errors = Errors()
    catalogue = {q.code: q for q in session.scalars(sa.select(Qualification))}
    qualification = catalogue.get(code)
    if qualification is None:
        errors.add(
            "code",
            _(
                "Unknown qualification %(code)r; valid codes: %(codes)s.",
                code=str(code)[:40],
                codes=", ".join(sorted(catalogue)),
            ),
        )
        errors.extra["valid_codes"] = sorted(catalogue)
    label = _("qualification %(code)s", code=str(code).upper()[:40])
    _check_dates(errors, label, issued_on, expires_on, today)
    errors.raise_if_any()
    if any(q.qualification_code == code for q in assistant.qualifications):
        raise Conflict(
            _(
                "Qualification %(code)s is already declared; remove it first to replace it.",
                code=code,
            ),
            {"fields": {"code": [_("already declared")]}},
        )
    assert qualification is not None  # unknown codes were refused above
    row = AssistantQualification(
        qualification_code=code, issued_on=issued_on, expires_on=expires_on
    )
    row.qualification = qualification
    assistant.qualifications.append(row)
    session.flush()
    record_event(
        session,
        actor,
        "qualification.add",
        "assistant",
        assistant.id,
        {
            "qualification_id": row.id,
            "code": code,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return row


def _get_qualification(
    assistant_qualifications: list[AssistantQualification], qid: int, assistant_id: int
) -> AssistantQualification:
    """One of the assistant's qualifications, or NotFound."""
    for row in assistant_qualifications:
        if row.id == qid:
            return row
    raise NotFound(_("Assistant %(id)s has no qualification %(qid)s.", id=assistant_id, qid=qid))


def verify_qualification(
    session: Session, actor: User, assistant_id: int, qualification_id: int
) -> AssistantQualification:
    """Record that ``actor``'s organization checked the qualification's certificate."""
    assistant = get_assistant(session, actor, assistant_id)
    row = _get_qualification(assistant.qualifications, qualification_id, assistant_id)
    policy.require(
        policy.can_verify(actor, assistant),
        _("Only operators of an employment centre or agency of the territory verify."),
    )
    row.verified_at = utcnow()
    row.verified_by_org_id = actor.organization_id
    row.verified_by_user_id = actor.id
    session.flush()
    record_event(
        session,
        actor,
        "qualification.verify",
        "assistant",
        assistant.id,
        {"qualification_id": row.id, "code": row.qualification_code},
    )
    return row


def remove_qualification(
    session: Session, actor: User, assistant_id: int, qualification_id: int
) -> None:
    """Withdraw a declared qualification (its owner, or an operator of the territory)."""
    assistant = get_assistant(session, actor, assistant_id)
    row = _get_qualification(assistant.qualifications, qualification_id, assistant_id)
    assistant.qualifications.remove(row)
    session.flush()
    record_event(
        session,
        actor,
        "qualification.remove",
        "assistant",
        assistant.id,
        {"qualification_id": qualification_id, "code": row.qualification_code},
    )


def add_document(
    session: Session,
    actor: User,
    assistant_id: int,
    kind: str,
    expires_on: dt.date | None,
    *,
    today: dt.date | None = None,
) -> AssistantDocument:
    """Record an identity document or residence permit: its kind and expiry only."""
    assistant = get_assistant(session, actor, assistant_id)
    errors = Errors()
    if kind not in DOCUMENT_KINDS:
        errors.add(
            "kind",
            _(
                "Unknown document kind %(kind)r; use %(kinds)s.",
                kind=str(kind)[:40],
                kinds=", ".join(DOCUMENT_KINDS),
            ),
        )
    if expires_on is not None and expires_on < (today or dt.date.today()):
        errors.add(
            "expires_on",
            _("The document expired on %(date)s.", date=expires_on.isoformat()),
        )
    errors.raise_if_any()
    row = AssistantDocument(kind=kind, expires_on=expires_on)
    assistant.documents.append(row)
    session.flush()
    record_event(
        session,
        actor,
        "document.add",
        "assistant",
        assistant.id,
        {"document_id": row.id, "kind": kind},
    )
    return row
