"""Pages of the organizations feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organizations", __name__, template_folder="templates")
