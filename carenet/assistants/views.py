"""Pages of the assistants feature."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assistants", __name__, template_folder="templates")
