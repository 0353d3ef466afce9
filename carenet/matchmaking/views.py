"""Pages of matching: the operator's ranked candidates for a request, with a map and
"why not this assistant?"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from carenet.auth.decorators import role_required
from carenet.auth.models import User
from carenet.care_requests.presenters import present_request
from carenet.core.db import db
from carenet.core.errors import CarenetError, Forbidden
from carenet.core.settings import current_settings
from carenet.core.vocab import LANGUAGE_LABELS, LANGUAGES
from carenet.matchmaking import bulk, presenters, services
from carenet.matchmaking.messages import COMPONENT_LABELS, FILTER_LABELS
from carenet.matchmaking.schemas import MatchQuery
from carenet.web.helpers import url_for_if
from matching import COMPONENTS, Demand

bp = Blueprint("matchmaking", __name__, template_folder="templates")

# The map: an SVG square centred on the family, the maximum distance at MAP_RADIUS px.
MAP_SIZE = 440
MAP_RADIUS = 190
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


@dataclass(frozen=True)
class MapPoint:
    """A ranked assistant's municipality on the map."""

    x: float
    y: float
    rank: int
    label: str


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _map_points(demand: Demand, items: list[dict[str, Any]]) -> list[MapPoint]:
    """Equirectangular projection around the family: fine at a region's scale."""
    scale = MAP_RADIUS / max(demand.max_distance_km, 1.0)
    cos_lat = math.cos(math.radians(demand.lat))
    centre = MAP_SIZE / 2
    points = []
    for item in items:
        place = item["place"]
        dx = (place["lon"] - demand.lon) * KM_PER_DEGREE_LON_EQUATOR * cos_lat
        dy = (place["lat"] - demand.lat) * KM_PER_DEGREE_LAT
        label = f"{item['rank']}. {item['display_name']}, {place['municipality']}"
        label += f" ({item['distance_km']:.1f} km)"
        points.append(
            MapPoint(
                round(centre + dx * scale, 1), round(centre - dy * scale, 1), item["rank"], label
            )
        )
    return points


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


@bp.get("/care-requests/<int:request_id>/matches")
@role_required("operator", "admin")
def show_matches(request_id: int) -> str | tuple[str, int]:
    """Ranked candidates with their score components, a map, filters and "why not"."""
    actor = _actor()
    care_request = services.get_matchable(db.session, actor, request_id)
    filters, args, errors = _filters()
    why = None
    why_error = None
    why_id = request.args.get("why", "").strip()
    malformed_why = bool(why_id) and not (why_id.isdigit() and len(why_id) < 10)
    if malformed_why:
        why_error = _("Enter the assistant's number (the id shown on their profile).")
    result, points, conflict, status = None, [], None, 200
    if errors or malformed_why:
        # Filters or an assistant number that could not be read: a 422 that marks the
        # fields and ranks nobody (a ranking reads health information, which is audited,
        # and a refused request writes nothing).
        status = 422
    else:
        if why_id:
            try:
                why = presenters.present_why_not(
                    care_request, services.why_not(db.session, actor, care_request, int(why_id))
                )
            except CarenetError as error:
                why_error = error.message  # no such assistant here: the list still shows
        try:
            demand, items = services.rank(db.session, actor, care_request, filters)
            result = presenters.present_result(care_request, demand, items)
            points = _map_points(demand, result["items"])
        except CarenetError as error:
            if error.status != 409:
                raise
            conflict, status = error.message, 409
    page = render_template(
        "matchmaking/matches.html",
        care_request=care_request,
        # The page shows the kind of work, hours and distance only: no health-derived
        # field is read here (the ranking below is audited as a read of its own).
        shown=present_request(db.session, actor, care_request, audit=False),
        result=result,
        points=points,
        conflict=conflict,
        args=args,
        errors=errors,
        why=why,
        why_id=why_id,
        why_error=why_error,
        components=COMPONENTS,
        component_labels=COMPONENT_LABELS,
        filter_labels=FILTER_LABELS,
        languages=[(code, LANGUAGE_LABELS.get(code, code)) for code in LANGUAGES],
        map_size=MAP_SIZE,
        map_radius=MAP_RADIUS,
        locale="en" if str(get_locale()).startswith("en") else "it",
        propose_url=url_for_if("proposals.propose", request_id=care_request.id),
    )
    return (page, status) if status != 200 else page


@bp.route("/bulk-assignments", methods=["GET", "POST"])
@role_required("operator")
def bulk_assignments() -> str | Response | tuple[str, int]:
    """Start a bulk assignment for the organization's waiting requests; recent runs."""
    actor = _actor()
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
    actor = _actor()
    job = bulk.get_run(db.session, actor, job_id)
    problem = None
    if request.method == "POST":
        ids = [int(v) for v in request.form.getlist("proposal_id") if v.isdigit() and len(v) < 10]
        if not ids:
            problem = _("Choose at least one proposal to send.")
    if request.method == "POST" and problem is None:
        bulk.send(db.session, actor, job, ids, ttl=current_settings().proposal_ttl)
        flash(ngettext("%(num)d proposal sent.", "%(num)d proposals sent.", len(ids)), "success")
        return redirect(url_for("matchmaking.show_bulk", job_id=job.id))
    run = presenters.present_run(job, bulk.drafts(db.session, actor, job))
    page = render_template("matchmaking/bulk_run.html", job=job, run=run, problem=problem)
    return (page, 422) if problem else page
