"""JSON API of the organizations feature."""

from __future__ import annotations

from typing import Any

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.api import SECURED, Blueprint, ErrorSchema, provides
from carenet.core.db import db
from carenet.gazetteer.presenters import comune_ref
from carenet.organizations import services
from carenet.organizations.presenters import present_organization
from carenet.organizations.schemas import OrganizationDetailSchema, OrganizationListSchema

blp = Blueprint(
    "organizations_api", __name__, url_prefix="/api/v1/organizations", description="organizations"
)


@blp.route("", methods=["GET"])
@blp.doc(security=SECURED)
@blp.response(200, OrganizationListSchema)
@provides(blp, 200, organization_id="/items/0/id")
@blp.alt_response(401, schema=ErrorSchema, description="Missing or invalid credentials")
@blp.alt_response(403, schema=ErrorSchema, description="Not an operator or admin")
@login_required
def list_organizations() -> Any:
    """Organizations: all for admins, their own for operators."""
    organizations = services.list_organizations(db.session, current_actor())
    sizes = services.territory_sizes(db.session, [o.id for o in organizations])
    items = [present_organization(o, sizes.get(o.id, 0)) for o in organizations]
    return {"items": items, "total": len(items)}


@blp.route("/<int:organization_id>", methods=["GET"])
@blp.doc(security=SECURED)
@blp.response(200, OrganizationDetailSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Missing or invalid credentials")
@blp.alt_response(404, schema=ErrorSchema, description="Unknown, or not visible to the caller")
@login_required
def get_organization(organization_id: int) -> Any:
    """One organization with its territory."""
    organization = services.get_organization(db.session, current_actor(), organization_id)
    territory = organization.territory
    return {
        **present_organization(organization, len(territory)),
        "territory": [comune_ref(m) for m in territory],
    }
