"""Pages of the organizations feature."""

from __future__ import annotations

from flask import Blueprint, render_template

from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.core.db import db
from carenet.organizations import services

bp = Blueprint("organizations", __name__, template_folder="templates")


@bp.get("/organizations/")
@role_required("admin")
def list_organizations() -> str:
    """Every organization of the network with the size of its territory (admins)."""
    organizations = services.list_organizations(db.session, current_actor())
    sizes = services.territory_sizes(db.session, [o.id for o in organizations])
    return render_template("organizations/list.html", organizations=organizations, sizes=sizes)
