"""Care requests as pages and the API show them: schedule text, hours, level, buono.

What a reader sees goes through the field rules (``carenet.access.fields``): the CCNL
level, the Buono eligibility and health-revealing qualifications only for those who may
read health information, and that read is audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from carenet.access import fields
from carenet.audit.services import record_health_read, record_health_reads
from carenet.auth.models import User
from carenet.care_requests import rules
from carenet.care_requests.models import CareRequest
from carenet.care_requests.services import SCALAR_FIELDS
from carenet.gazetteer.presenters import comune_ref
from matching import Schedule


def buono_eligibility(care_request: CareRequest) -> tuple[bool, list[str]]:
    """Whether the request could qualify for the Buono domiciliarita', with the reasons."""
    return rules.buono_domiciliarita(
        care_request.duration_months, care_request.weekly_hours, care_request.ccnl_level
    )


def schedule_of(care_request: CareRequest) -> Schedule:
    """The request's weekly schedule."""
    return Schedule.from_bytes(care_request.schedule)


def present_requests(
    session: Session, actor: User, care_requests: list[CareRequest]
) -> list[dict[str, Any]]:
    """A page of requests as ``actor`` may read them (the readers decided once)."""
    grants = fields.Grants(session, actor, [r.recipient.household for r in care_requests])
    shown = [present_request(session, actor, r, audit=False, grants=grants) for r in care_requests]
    record_page_reads(session, actor, "care_request", care_requests, shown)
    return shown


def record_page_reads(
    session: Session,
    actor: User,
    entity: str,
    care_requests: list[CareRequest],
    shown: list[dict[str, Any]],
) -> None:
    """Audit, in one statement, the health-derived fields a page of ``entity`` items
    (one per request of ``care_requests``) showed."""
    reads = []
    for care_request, item in zip(care_requests, shown, strict=True):
        read = fields.health_fields_shown(entity, item)
        if read:
            reads.append((care_request.recipient_id, read, {"care_request_id": care_request.id}))
    record_health_reads(session, actor, reads, via=entity)


def project_for(
    session: Session,
    actor: User,
    care_request: CareRequest,
    entity: str,
    out: dict[str, Any],
    *,
    audit: bool,
    grants: fields.Grants | None,
) -> dict[str, Any]:
    """``out`` (an ``entity`` about ``care_request``) as ``actor`` may read it; a read of
    health-derived fields is audited unless ``audit`` is off (pages audit in one go)."""
    household = care_request.recipient.household
    shown = fields.project(actor, household, entity, out, grants)
    read = fields.health_fields_shown(entity, shown)
    if read and audit:
        record_health_read(
            session,
            actor,
            care_request.recipient_id,
            read,
            via=entity,
            care_request_id=care_request.id,
        )
    return shown


def present_request(
    session: Session,
    actor: User,
    care_request: CareRequest,
    *,
    audit: bool = True,
    grants: fields.Grants | None = None,
) -> dict[str, Any]:
    """A request as ``actor`` may read it, for pages and the API: schedule text, hours and,
    where allowed, the level and the buono; a read of health-derived fields is audited."""
    schedule = schedule_of(care_request)
    eligible, reasons = buono_eligibility(care_request)
    household = care_request.recipient.household
    out: dict[str, Any] = {name: getattr(care_request, name) for name in SCALAR_FIELDS}
    out.update(
        id=care_request.id,
        recipient_id=care_request.recipient_id,
        household_id=household.id,
        municipality=comune_ref(household.municipality),
        schedule={
            "it": schedule.format("it"),
            "en": schedule.format("en"),
            "hours": schedule.hours,
        },
        ccnl_level=care_request.ccnl_level,
        status=care_request.status,
        created_by_user_id=care_request.created_by_user_id,
        required_qualifications=care_request.qualification_codes(required=True),
        preferred_qualifications=care_request.qualification_codes(required=False),
        required_languages=care_request.language_codes(required=True),
        preferred_languages=care_request.language_codes(required=False),
        buono_domiciliarita={"eligible": eligible, "reasons": reasons},
        created_at=care_request.created_at,
        updated_at=care_request.updated_at,
    )
    return project_for(
        session, actor, care_request, "care_request", out, audit=audit, grants=grants
    )
