"""JSON API of the families feature: households, care recipients and assessments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import Blueprint, F, PageQuery, document_errors, page_envelope, provides
from carenet.core.db import db
from carenet.families import services
from carenet.families.presenters import (
    present_assessment,
    present_household,
    present_household_summary,
)
from carenet.families.schemas import (
    AssessmentCreateSchema,
    AssessmentListSchema,
    AssessmentSchema,
    HouseholdCreateSchema,
    HouseholdPageSchema,
    HouseholdSchema,
    HouseholdUpdateSchema,
    RecipientCreateSchema,
    RecipientSchema,
    RecipientUpdateSchema,
)

blp = Blueprint("families_api", __name__, url_prefix="/api/v1/families", description="families")


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error responses of a route with the shared error schema."""
    return document_errors(blp, *codes)


@blp.route("/households", methods=["GET"])
@login_required
@errors(401, 403)
@blp.arguments(PageQuery, location="query")
@blp.response(200, HouseholdPageSchema)
@provides(blp, 200, household_id="/items/0/id")
def list_households(args: dict[str, Any]) -> dict[str, Any]:
    """Households the caller may see: their own (families) or their territory's (operators)."""
    rows, total = services.list_households(
        db.session, current_actor(), args["page"], args["per_page"]
    )
    items = [present_household_summary(h) for h in rows]
    return page_envelope(items, total, args["page"], args["per_page"])


@blp.route("/households", methods=["POST"])
@login_required
@errors(400, 401, 403, 422)
@blp.arguments(HouseholdCreateSchema)
@blp.response(201, HouseholdSchema)
@provides(blp, 201, household_id="/id")
def create_household(data: dict[str, Any]) -> dict[str, Any]:
    """Create a household (an operator registers it for a family of their territory)."""
    household = services.create_household(db.session, current_actor(), data)
    return present_household(db.session, current_actor(), household)


@blp.route("/households/<int:household_id>", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, HouseholdSchema)
@provides(blp, 200, recipient_id="/recipients/0/id")
def get_household(household_id: int) -> dict[str, Any]:
    """One household with its care recipients (health fields only where allowed)."""
    household = services.get_household(db.session, current_actor(), household_id)
    return present_household(db.session, current_actor(), household)


@blp.route("/households/<int:household_id>", methods=["PATCH"])
@login_required
@errors(400, 401, 403, 404, 422)
@blp.arguments(HouseholdUpdateSchema)
@blp.response(200, HouseholdSchema)
def update_household(data: dict[str, Any], household_id: int) -> dict[str, Any]:
    """Change a household's contact details or address."""
    household = services.update_household(db.session, current_actor(), household_id, data)
    return present_household(db.session, current_actor(), household)


@blp.route("/households/<int:household_id>/recipients", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 422)
@blp.arguments(RecipientCreateSchema)
@blp.response(201, RecipientSchema)
@provides(blp, 201, recipient_id="/id")
def create_recipient(data: dict[str, Any], household_id: int) -> dict[str, Any]:
    """Add a person who needs care to a household."""
    user = current_actor()
    recipient = services.add_recipient(db.session, user, household_id, data)
    return services.present_recipient(db.session, user, recipient)


@blp.route("/recipients/<int:recipient_id>", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, RecipientSchema)
def get_recipient(recipient_id: int) -> dict[str, Any]:
    """One care recipient (health fields only where allowed, and audited)."""
    user = current_actor()
    recipient = services.get_recipient(db.session, user, recipient_id)
    return services.present_recipient(db.session, user, recipient)


@blp.route("/recipients/<int:recipient_id>", methods=["PATCH"])
@login_required
@errors(400, 401, 403, 404, 422)
@blp.arguments(RecipientUpdateSchema)
@blp.response(200, RecipientSchema)
def update_recipient(data: dict[str, Any], recipient_id: int) -> dict[str, Any]:
    """Change a care recipient."""
    user = current_actor()
    recipient = services.update_recipient(db.session, user, recipient_id, data)
    return services.present_recipient(db.session, user, recipient)


@blp.route("/recipients/<int:recipient_id>/assessments", methods=["POST"])
@login_required
@errors(400, 401, 403, 404, 422)
@blp.arguments(AssessmentCreateSchema)
@blp.response(201, AssessmentSchema)
def create_assessment(data: dict[str, Any], recipient_id: int) -> dict[str, Any]:
    """Record a needs assessment (ASL and Ente gestore operators of the territory only)."""
    assessment = services.record_assessment(db.session, current_actor(), recipient_id, data)
    return present_assessment(assessment)


@blp.route("/recipients/<int:recipient_id>/assessments", methods=["GET"])
@login_required
@errors(401, 403, 404)
@blp.response(200, AssessmentListSchema)
def list_assessments(recipient_id: int) -> dict[str, Any]:
    """A recipient's assessments (403 for organizations that may not read them)."""
    rows = services.list_assessments(db.session, current_actor(), recipient_id)
    return {"items": [present_assessment(a) for a in rows]}
