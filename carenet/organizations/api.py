"""JSON API of the organizations feature."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "organizations_api", __name__, url_prefix="/api/v1/organizations", description="organizations"
)
