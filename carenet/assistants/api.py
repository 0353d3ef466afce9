"""JSON API of the assistants feature."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "assistants_api", __name__, url_prefix="/api/v1/assistants", description="assistants"
)
