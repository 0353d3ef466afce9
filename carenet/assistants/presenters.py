"""Profiles as the API shows them: plain dicts with labels in the request's language.

Like every feature's presenters, these build the response; the schemas in
``schemas.py`` document it (and filter it on the way out), and
``tests/carenet/api/test_presenter_shapes.py`` fails when the two disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from carenet.assistants import display
from carenet.assistants.models import Assistant, AssistantDocument, AssistantQualification
from carenet.core import vocab
from carenet.gazetteer.presenters import comune_ref


def present_qualification(
    row: AssistantQualification, today: dt.date | None = None
) -> dict[str, Any]:
    """A declared qualification with its catalogue name and validity."""
    return {
        "id": row.id,
        "code": row.qualification_code,
        "name": display.qualification_name(row.qualification),
        "issued_on": row.issued_on,
        "expires_on": row.expires_on,
        "is_valid_today": display.is_qualification_valid(row, today),
        "verified_at": row.verified_at,
        "verified_by_org_id": row.verified_by_org_id,
        "verified_by_user_id": row.verified_by_user_id,
    }


def present_document(row: AssistantDocument) -> dict[str, Any]:
    """A recorded document: kind, label and expiry, never its number."""
    return {
        "id": row.id,
        "kind": row.kind,
        "label": display.label(vocab.DOCUMENT_KIND_LABELS, row.kind),
        "expires_on": row.expires_on,
        "verified_at": row.verified_at,
    }


def present_assistant(assistant: Assistant) -> dict[str, Any]:
    """A profile with its languages, place, availability, credentials and labels."""
    return {
        "id": assistant.id,
        "user_id": assistant.user_id,
        "display_name": assistant.display_name,
        "gender": assistant.gender,
        "birth_year": assistant.birth_year,
        "nationality": assistant.nationality,
        "phone": assistant.phone,
        "languages": [
            {
                "language": row.language,
                "level": row.level,
                "label": display.language_label(row.language),
            }
            for row in assistant.languages
        ],
        "municipality": comune_ref(assistant.municipality),
        "lat": assistant.lat,
        "lon": assistant.lon,
        "travel_radius_km": assistant.travel_radius_km,
        "arrangements": assistant.arrangements,
        "availability": display.availability(assistant),
        "available_from": assistant.available_from,
        "years_experience": assistant.years_experience,
        "conditions": [row.condition for row in assistant.conditions],
        "bio": assistant.bio or "",
        "status": assistant.status,
        "status_label": display.label(vocab.ASSISTANT_STATUS_LABELS, assistant.status),
        "verified_at": assistant.verified_at,
        "verified_by_org_id": assistant.verified_by_org_id,
        "qualifications": [present_qualification(row) for row in assistant.qualifications],
        "documents": [present_document(row) for row in assistant.documents],
        "created_at": assistant.created_at,
        "updated_at": assistant.updated_at,
    }
