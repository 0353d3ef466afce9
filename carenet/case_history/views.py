"""Pages of the audit feature: a case's timeline and who viewed its health information."""

from __future__ import annotations

from flask import Blueprint, render_template

from carenet.access import policy
from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.case_history import queries
from carenet.core.db import db
from carenet.web.helpers import page_count, requested_page

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")

PER_PAGE = 50


@bp.get("/households/<int:household_id>/timeline")
@login_required
def household_timeline(household_id: int) -> str:
    """The case's events, newest first, with who did what for which organization."""
    actor = current_actor()
    page = requested_page()
    household, rows, total = queries.case_timeline(db.session, actor, household_id, page, PER_PAGE)
    return render_template(
        "audit/timeline.html",
        household=household,
        events=queries.present_timeline(db.session, rows),
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        can_see_access_log=policy.can_see_access_log(actor, household),
    )


@bp.get("/households/<int:household_id>/access-log")
@login_required
def household_access_log(household_id: int) -> str:
    """Who read the health information of the household's people, and when."""
    actor = current_actor()
    page = requested_page()
    household, rows, total = queries.access_log(db.session, actor, household_id, page, PER_PAGE)
    names = {r.id: r.first_name for r in household.recipients}
    return render_template(
        "audit/access_log.html",
        household=household,
        entries=queries.present_access_log(db.session, rows),
        names=names,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
    )
