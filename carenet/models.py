"""Every model, imported once so that the metadata is complete (Alembic, tests)."""

from carenet.assistants.models import (
    Assistant,
    AssistantCondition,
    AssistantDocument,
    AssistantLanguage,
    AssistantQualification,
    Qualification,
)
from carenet.audit.models import AuditEvent
from carenet.auth.models import ApiToken, User
from carenet.care_requests.models import CareRequest, RequestLanguage, RequestQualification
from carenet.core.db import Base
from carenet.families.models import Assessment, CareRecipient, Household, RecipientCondition
from carenet.gazetteer.models import Municipality
from carenet.jobs.models import AssistantChange, Job
from carenet.notifications.models import Notification
from carenet.organizations.models import Organization, organization_territory
from carenet.placements.models import Placement, PlacementSlot
from carenet.proposals.models import Proposal
from carenet.referrals.models import Referral

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Assessment",
    "Assistant",
    "AssistantChange",
    "AssistantCondition",
    "AssistantDocument",
    "AssistantLanguage",
    "AssistantQualification",
    "AuditEvent",
    "Base",
    "CareRecipient",
    "CareRequest",
    "Household",
    "Job",
    "Municipality",
    "Notification",
    "Organization",
    "Placement",
    "PlacementSlot",
    "Proposal",
    "Qualification",
    "RecipientCondition",
    "Referral",
    "RequestLanguage",
    "RequestQualification",
    "User",
    "metadata",
    "organization_territory",
]
