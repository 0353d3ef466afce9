"""JSON API of the assistants feature: the register, profiles and credentials."""

from __future__ import annotations

from typing import Any

from carenet.assistants import schemas
from carenet.assistants import services as svc
from carenet.assistants.presenters import present_assistant, present_document, present_qualification
from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import SECURED, Blueprint, document_errors, page_envelope, provides
from carenet.core.db import db

blp = Blueprint(
    "assistants_api", __name__, url_prefix="/api/v1/assistants", description="assistants"
)


def _errors(*codes: int) -> Any:
    """Document the error responses a route can give, all in ``ErrorSchema``."""
    return document_errors(blp, *codes, secured=False)


@blp.get("")
@blp.doc(security=SECURED)
@login_required
@blp.arguments(schemas.AssistantListQuery, location="query", as_kwargs=True)
@blp.response(200, schemas.AssistantPageSchema)
@provides(blp, 200, assistant_id="/items/0/id")
@_errors(401, 403, 422)
def list_assistants(page: int, per_page: int, **filters: Any) -> dict[str, Any]:
    """The register of the operator's territory, filtered and paginated."""
    items, total = svc.list_assistants(
        db.session, current_actor(), svc.RegisterFilters(**filters), page, per_page
    )
    return page_envelope([present_assistant(a) for a in items], total, page, per_page)


@blp.post("")
@blp.doc(security=SECURED)
@login_required
@blp.arguments(schemas.AssistantInSchema)
@blp.response(201, schemas.AssistantSchema)
@provides(blp, 201, assistant_id="/id")
@_errors(400, 401, 403, 409, 422)
def create_assistant(data: dict[str, Any]) -> dict[str, Any]:
    """Create a profile: an assistant their own, an operator one at a sportello."""
    assistant = svc.create_assistant(db.session, current_actor(), data)
    db.session.expire_all()  # reload the collections in their documented order
    return present_assistant(svc.get_assistant(db.session, current_actor(), assistant.id))


@blp.get("/me")
@blp.doc(security=SECURED)
@login_required
@blp.response(200, schemas.AssistantSchema)
@provides(blp, 200, assistant_id="/id")
@_errors(401, 403, 404)
def my_assistant() -> dict[str, Any]:
    """The logged-in assistant's own profile."""
    return present_assistant(svc.get_own_assistant(db.session, current_actor()))


@blp.get("/<int:assistant_id>")
@blp.doc(security=SECURED)
@login_required
@blp.response(200, schemas.AssistantSchema)
@provides(blp, 200, qualification_id="/qualifications/0/id")
@_errors(401, 403, 404)
def get_assistant(assistant_id: int) -> dict[str, Any]:
    """One profile, if it is the caller's own or in the caller's territory."""
    return present_assistant(svc.get_assistant(db.session, current_actor(), assistant_id))


@blp.patch("/<int:assistant_id>")
@blp.doc(security=SECURED)
@login_required
@blp.arguments(schemas.AssistantPatchSchema(partial=True))
@blp.response(200, schemas.AssistantSchema)
@_errors(400, 401, 403, 404, 422)
def update_assistant(data: dict[str, Any], assistant_id: int) -> dict[str, Any]:
    """Change some fields of a profile."""
    svc.update_assistant(db.session, current_actor(), assistant_id, data)
    db.session.expire_all()
    return present_assistant(svc.get_assistant(db.session, current_actor(), assistant_id))


@blp.post("/<int:assistant_id>/verify")
@blp.doc(security=SECURED)
@login_required
@blp.response(200, schemas.AssistantSchema)
@_errors(401, 403, 404)
def verify_assistant(assistant_id: int) -> dict[str, Any]:
    """Mark the profile verified (operators of a CPI or agency of its territory)."""
    return present_assistant(svc.verify_assistant(db.session, current_actor(), assistant_id))


@blp.post("/<int:assistant_id>/suspend")
@blp.doc(security=SECURED)
@login_required
@blp.arguments(schemas.AssistantSuspendSchema, required=False)
@blp.response(200, schemas.AssistantSchema)
@_errors(400, 401, 403, 404, 422)
def suspend_assistant(data: dict[str, Any], assistant_id: int) -> dict[str, Any]:
    """Suspend the profile (operators of a CPI or agency of its territory)."""
    reason = (data or {}).get("reason", "")
    return present_assistant(
        svc.suspend_assistant(db.session, current_actor(), assistant_id, reason)
    )


@blp.post("/<int:assistant_id>/qualifications")
@blp.doc(security=SECURED)
@login_required
@blp.arguments(schemas.AssistantQualificationInSchema)
@blp.response(201, schemas.AssistantQualificationSchema)
@provides(blp, 201, qualification_id="/id")
@_errors(400, 401, 403, 404, 409, 422)
def add_qualification(data: dict[str, Any], assistant_id: int) -> dict[str, Any]:
    """Declare a qualification of the catalogue, with its dates."""
    row = svc.add_qualification(
        db.session,
        current_actor(),
        assistant_id,
        data["code"],
        data["issued_on"],
        data.get("expires_on"),
    )
    return present_qualification(row)


@blp.post("/<int:assistant_id>/qualifications/<int:qualification_id>/verify")
@blp.doc(security=SECURED)
@login_required
@blp.response(200, schemas.AssistantQualificationSchema)
@_errors(401, 403, 404)
def verify_qualification(assistant_id: int, qualification_id: int) -> dict[str, Any]:
    """Record that the caller's organization checked the certificate."""
    row = svc.verify_qualification(db.session, current_actor(), assistant_id, qualification_id)
    return present_qualification(row)


@blp.delete("/<int:assistant_id>/qualifications/<int:qualification_id>")
@blp.doc(security=SECURED)
@login_required
@blp.response(204)
@_errors(401, 403, 404)
def remove_qualification(assistant_id: int, qualification_id: int) -> None:
    """Withdraw a declared qualification."""
    svc.remove_qualification(db.session, current_actor(), assistant_id, qualification_id)


@blp.post("/<int:assistant_id>/documents")
@blp.doc(security=SECURED)
@login_required
@blp.arguments(schemas.AssistantDocumentInSchema)
@blp.response(201, schemas.AssistantDocumentSchema)
@_errors(400, 401, 403, 404, 422)
def add_document(data: dict[str, Any], assistant_id: int) -> dict[str, Any]:
    """Record an identity document or residence permit (kind and expiry only)."""
    row = svc.add_document(
        db.session, current_actor(), assistant_id, data["kind"], data.get("expires_on")
    )
    return present_document(row)
