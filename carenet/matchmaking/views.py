"""Pages of matching: the operator's ranked candidates for a request, with a map and
"why not this assistant?"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.care_requests.presenters import present_request
from carenet.core.db import db
from carenet.core.errors import CarenetError, Forbidden
from carenet.core.routing import id_or_none, parse_id
from carenet.core.settings import current_settings
from carenet.matchmaking import bulk, presenters, services
from carenet.matchmaking.schemas import MatchQuery
from carenet.web.helpers import url_for_if

bp = Blueprint("matchmaking", __name__, template_folder="templates")


def _filters() -> tuple[services.Filters, dict[str, Any], dict[str, Any]]:
    """Filters from the query string, validated by the API's schema; errors by field."""
    raw = {
        key: request.args.getlist(key) if key in ("language", "qualification") else value
        for key, value in request.args.items()
        if key in ("k", "max_km", "language", "qualification", "min_score") and value != ""
    }
    errors = MatchQuery().validate(raw)
    args = MatchQuery().load({k: v for k, v in raw.items() if k not in errors})
    filters = services.Filters(
        k=args["k"],
        max_km=args.get("max_km"),
        languages=tuple(args["language"]),
        qualifications=tuple(args["qualification"]),
        min_score=args["min_score"],
    )
    return filters, args, errors


def _rank(
    actor: User, care_request: CareRequest, filters: services.Filters, why_text: str, bad: bool
) -> presenters.MatchPage:
    """The ranking and the "why not" answer; none when the input (``bad`` filters, an
    unreadable assistant number) could not be read: a 422 that marks the fields and ranks
    nobody (a ranking reads health information, which is audited, and a refused request
    writes nothing)."""
    page = presenters.MatchPage()
    why_id = id_or_none(why_text)
    if why_text and why_id is None:
        page.why_error = _("Enter the assistant's number (the id shown on their profile).")
    if bad or page.why_error:
        page.status = 422
        return page
    if why_id is not None:
        try:
            why = services.why_not(db.session, actor, care_request, why_id)
            page.why = presenters.present_why_not(care_request, why)
        except CarenetError as error:
            page.why_error = error.message  # no such assistant here: the list still shows
    try:
        page.rank(care_request, *services.rank(db.session, actor, care_request, filters))
    except CarenetError as error:
        if error.status != 409:
            raise
        page.conflict, page.status = error.message, 409
    return page


@bp.get("/care-requests/<int:request_id>/matches")
@role_required("operator", "admin")
def show_matches(request_id: int) -> str | tuple[str, int]:
    """Ranked candidates with their score components, a map, filters and "why not"."""
    actor = current_actor()
    care_request = services.get_matchable(db.session, actor, request_id)
    filters, args, errors = _filters()
    why_text = request.args.get("why", "").strip()
    ranked = _rank(actor, care_request, filters, why_text, bool(errors))
    page = render_template(
        "matchmaking/matches.html",
        care_request=care_request,
        # The page shows the kind of work, hours and distance only: no health-derived
        # field is read here (the ranking below is audited as a read of its own).
        shown=present_request(db.session, actor, care_request, audit=False),
        args=args,
        errors=errors,
        why_id=why_text,
        propose_url=url_for_if("proposals.propose", request_id=care_request.id),
        **presenters.present_match_page(ranked),
    )
    return (page, ranked.status) if ranked.status != 200 else page


@bp.route("/bulk-assignments", methods=["GET", "POST"])
@role_required("operator")
def bulk_assignments() -> str | Response | tuple[str, int]:
    """Start a bulk assignment for the organization's waiting requests; recent runs."""
    actor = current_actor()
    if not bulk.may_run(actor):
        raise Forbidden(_("Only operators of a CPI or an agency can run a bulk assignment."))
    if request.method == "POST":
        try:
            job = bulk.start(db.session, actor)
        except CarenetError as error:
            if error.status != 422:
                raise
            flash(error.message, "warning")
            return redirect(url_for("matchmaking.bulk_assignments"))
        flash(_("The bulk assignment has started."), "success")
        return redirect(url_for("matchmaking.show_bulk", job_id=job.id))
    runs = bulk.recent_runs(db.session, actor)
    waiting = len(bulk.eligible_requests(db.session, actor))
    return render_template("matchmaking/bulk.html", runs=runs, waiting=waiting)


@bp.route("/bulk-assignments/<int:job_id>", methods=["GET", "POST"])
@role_required("operator")
def show_bulk(job_id: int) -> str | Response | tuple[str, int]:
    """A run's figures and its drafts; send the ones the operator keeps."""
    actor = current_actor()
    job = bulk.get_run(db.session, actor, job_id)
    problem = None
    if request.method == "POST":
        ids = request.form.getlist("proposal_id", type=parse_id)
        if not ids:
            problem = _("Choose at least one proposal to send.")
    if request.method == "POST" and problem is None:
        bulk.send(db.session, actor, job, ids, ttl=current_settings().proposal_ttl)
        flash(ngettext("%(num)d proposal sent.", "%(num)d proposals sent.", len(ids)), "success")
        return redirect(url_for("matchmaking.show_bulk", job_id=job.id))
    run = presenters.present_run(job, bulk.drafts(db.session, actor, job))
    page = render_template("matchmaking/bulk_run.html", job=job, run=run, problem=problem)
    return (page, 422) if problem else page
