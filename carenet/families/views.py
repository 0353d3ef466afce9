"""Pages of the families feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("families", __name__, template_folder="templates")
