"""JSON API of the care requests feature."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "care_requests_api", __name__, url_prefix="/api/v1/care-requests", description="care requests"
)
