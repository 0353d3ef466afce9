"""Pages of the care requests feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("care_requests", __name__, template_folder="templates")
