"""JSON API of the catalogues."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("catalogue_api", __name__, url_prefix="/api/v1", description="catalogues")
