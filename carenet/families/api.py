"""JSON API of the families feature."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("families_api", __name__, url_prefix="/api/v1/families", description="families")
