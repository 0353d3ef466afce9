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
from carenet.organizations.models import Organization, organization_territory

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Assessment",
    "Assistant",
    "AssistantCondition",
    "AssistantDocument",
    "AssistantLanguage",
    "AssistantQualification",
    "AuditEvent",
    "Base",
    "CareRecipient",
    "CareRequest",
    "Household",
    "Municipality",
    "Organization",
    "Qualification",
    "RecipientCondition",
    "RequestLanguage",
    "RequestQualification",
    "User",
    "metadata",
    "organization_territory",
]
