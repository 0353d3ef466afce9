"""One small network for the authorization matrix: a case in Torino referred to an
agency, organizations of every kind inside and outside its territory, and every role.

Actors (the matrix's columns):

- ``anonymous``: nobody logged in.
- ``family`` owns the case (a household in Torino, a recipient, an open request);
  ``other_family`` owns a household in Cuneo.
- ``assistant`` is the assistant proposed and placed for the case (lives in Torino);
  ``other_assistant`` lives in Cuneo.
- ``cpi``: a CPI whose territory is Torino (own territory); ``cpi_other``: the CPI of
  Cuneo (other territory).
- ``agency_referred``: an agency the case was referred to (accepted); ``agency``: an
  agency nothing was referred to.
- ``asl``: the health authority of Torino (assesses, refers); ``ente``: the Ente gestore
  (social services) of Torino (assesses, refers); ``comune``: the Comune of Torino (refers
  and follows its residents' cases, without their health information); ``region``: region
  staff (aggregates only); ``admin``.

Every operator kind the design names is here: cpi, social_services, health_authority,
municipality, agency, region.

The case carries health information of every kind the field rules guard: the person is
not self-sufficient and has dementia; the request (level CS) prefers dementia-care
training and first aid; its proposals carry health-derived score components.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from carenet.auth.models import ApiToken, User
from carenet.auth.tokens import token_digest
from carenet.core.db import utcnow
from carenet.families.models import RecipientCondition
from carenet.jobs.models import Job
from carenet.notifications.models import Notification
from carenet.placements.models import Placement, PlacementSlot
from carenet.proposals.models import Proposal
from carenet.referrals.models import Referral
from matching import Schedule
from tests.factories import CUNEO, MONCALIERI, TORINO, weekday_hours

ACTORS = (
    "anonymous",
    "family",
    "other_family",
    "assistant",
    "other_assistant",
    "cpi",
    "cpi_other",
    "agency_referred",
    "agency",
    "asl",
    "ente",
    "comune",
    "region",
    "admin",
)


# Score components as the engine writes them; conditions and qualifications are
# computed from the person's health information.
COMPONENTS = {"distance": 0.9, "schedule": 1.0, "qualifications": 0.5, "conditions": 1.0}


@dataclass
class Scenario:
    """The records and the users of the network; ``ids`` fills route parameters."""

    users: dict[str, User | None] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)


def _token(session: Session, user: User) -> str:
    token = "cn_" + secrets.token_urlsafe(24)
    session.add(
        ApiToken(user_id=user.id, name="matrix", prefix=token[:8], token_hash=token_digest(token))
    )
    return token


def build(session: Session, f: Any) -> Scenario:
    """Create the network with the factories module ``f`` bound to ``session``."""
    s = Scenario()
    org = {
        "cpi": f.OrganizationFactory(kind="cpi", territory_codes=[TORINO, MONCALIERI]),
        "cpi_other": f.OrganizationFactory(kind="cpi", territory_codes=[CUNEO]),
        "agency_referred": f.OrganizationFactory(kind="agency", territory_codes=[]),
        "agency": f.OrganizationFactory(kind="agency", territory_codes=[]),
        "asl": f.OrganizationFactory(kind="health_authority", territory_codes=[TORINO]),
        "ente": f.OrganizationFactory(kind="social_services", territory_codes=[TORINO]),
        "comune": f.OrganizationFactory(kind="municipality", territory_codes=[TORINO]),
        "region": f.OrganizationFactory(kind="region", territory_codes=[]),
    }
    for name, organization in org.items():
        s.users[name] = f.OperatorFactory(organization=organization)
    s.users["admin"] = f.UserFactory(role="admin")
    s.users["family"] = f.UserFactory(role="family")
    s.users["other_family"] = f.UserFactory(role="family")
    s.users["assistant"] = f.UserFactory(role="assistant")
    s.users["other_assistant"] = f.UserFactory(role="assistant")
    s.users["anonymous"] = None

    household = f.HouseholdFactory(owner_user_id=s.users["family"].id, municipality_id=TORINO)
    recipient = f.CareRecipientFactory(household=household, self_sufficiency="non_self_sufficient")
    session.add(RecipientCondition(recipient_id=recipient.id, condition="dementia"))
    request = f.CareRequestFactory(
        recipient=recipient, organization_id=org["cpi"].id, ccnl_level="CS"
    )
    for code in ("dementia_care", "first_aid"):
        f.RequestQualificationFactory(
            request_id=request.id, qualification_code=code, is_required=False
        )
    other_household = f.HouseholdFactory(
        owner_user_id=s.users["other_family"].id, municipality_id=CUNEO
    )
    other_recipient = f.CareRecipientFactory(household=other_household)
    assistant = f.AssistantFactory(user_id=s.users["assistant"].id, municipality_id=TORINO)
    qualification = f.AssistantQualificationFactory(assistant_id=assistant.id)
    other_assistant = f.AssistantFactory(
        user_id=s.users["other_assistant"].id, municipality_id=CUNEO
    )
    free_assistant = f.AssistantFactory(municipality_id=TORINO)

    now = utcnow()
    proposal = Proposal(
        request_id=request.id,
        assistant_id=assistant.id,
        organization_id=org["cpi"].id,
        proposed_by_user_id=s.users["cpi"].id,
        score=0.8,
        components=COMPONENTS,
        distance_km=1.0,
        status="accepted",
        family_answer="accepted",
        family_answered_at=now,
        assistant_answer="accepted",
        assistant_answered_at=now,
        sent_at=now,
        expires_at=now + dt.timedelta(days=14),
    )
    pending = Proposal(
        request_id=request.id,
        assistant_id=free_assistant.id,
        organization_id=org["cpi"].id,
        score=0.7,
        components=COMPONENTS,
        distance_km=1.0,
        status="pending",
        sent_at=now,
        expires_at=now + dt.timedelta(days=14),
    )
    session.add_all([proposal, pending])
    session.flush()
    schedule = weekday_hours(8, 12)
    placement = Placement(
        request_id=request.id,
        assistant_id=assistant.id,
        proposal_id=proposal.id,
        arrangement="hourly",
        ccnl_level="CS",
        weekly_hours=20,
        schedule=schedule,
        start_date=dt.date.today() + dt.timedelta(days=35),
        created_by_user_id=s.users["cpi"].id,
    )
    session.add(placement)
    session.flush()
    session.add_all(
        PlacementSlot(assistant_id=assistant.id, slot=slot, placement_id=placement.id)
        for slot in Schedule.from_bytes(schedule).slots()
    )
    referral = Referral(
        from_organization_id=org["asl"].id,
        to_organization_id=org["agency_referred"].id,
        household_id=household.id,
        request_id=request.id,
        reason="Needs an assistant with dementia experience",
        consent_given=True,
        consent_recorded_at=now,
        consent_recorded_by_user_id=s.users["asl"].id,
        status="accepted",
        created_by_user_id=s.users["asl"].id,
    )
    pending_referral = Referral(
        from_organization_id=org["asl"].id,
        to_organization_id=org["cpi"].id,
        household_id=household.id,
        reason="Also for the CPI",
        consent_given=True,
        consent_recorded_at=now,
        status="pending",
    )
    session.add_all([referral, pending_referral])
    notification = Notification(user_id=s.users["family"].id, kind="proposal.new", data={})
    job = Job(
        kind="bulk_assignment",
        status="done",
        created_by_user_id=s.users["cpi"].id,
        organization_id=org["cpi"].id,
    )
    session.add_all([notification, job])
    session.flush()
    for name, user in s.users.items():
        if user is not None:
            s.tokens[name] = _token(session, user)
    session.commit()
    s.ids = {
        "household_id": household.id,
        "recipient_id": recipient.id,
        "request_id": request.id,
        "request_start_date": request.start_date.isoformat(),
        "assistant_id": assistant.id,
        "qualification_id": qualification.id,
        "proposal_id": pending.id,
        "accepted_proposal_id": proposal.id,
        "placement_id": placement.id,
        "referral_id": pending_referral.id,
        "accepted_referral_id": referral.id,
        "notification_id": notification.id,
        "job_id": job.id,
        "organization_id": org["cpi"].id,
        "agency_org_id": org["agency"].id,
        "istat": TORINO,
        "other_household_id": other_household.id,
        "other_recipient_id": other_recipient.id,
        "other_assistant_id": other_assistant.id,
    }
    s.ids["family_token_id"] = session.scalar(
        sa.select(ApiToken.id).where(ApiToken.user_id == s.users["family"].id)
    )
    return s
