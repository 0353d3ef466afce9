"""JSON API of the auth feature."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1/auth", description="auth")
