"""The public pages: home and language switch."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("web", __name__, template_folder="templates")


@bp.get("/")
def home() -> str:
    """The home page."""
    return render_template("web/home.html")
