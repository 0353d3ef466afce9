"""Pages of the placements feature: my placements, a placement, the start form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from carenet.access import policy
from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests.models import CareRequest
from carenet.core.db import db
from carenet.core.errors import CarenetError, NotFound
from carenet.core.forms import apply_errors
from carenet.core.routing import parse_id
from carenet.placements import presenters, services
from carenet.placements.forms import EndPlacementForm, FeedbackForm, StartPlacementForm
from carenet.placements.models import Placement
from carenet.proposals import services as proposals
from carenet.proposals.models import Proposal
from carenet.web.helpers import page_count, requested_page
from matching import Schedule

bp = Blueprint("placements", __name__, url_prefix="/placements", template_folder="templates")

PageResponse = Response | str | tuple[str, int]
PER_PAGE = 20
ROLES = ("family", "assistant", "operator", "admin")
BROKER_ROLES = ("operator", "admin")


def _locale() -> str:
    return "en" if str(get_locale()).startswith("en") else "it"


@bp.get("")
@role_required(*ROLES)
def list_placements() -> PageResponse:
    """My placements (families, assistants), or the placements of an operator's cases."""
    status = request.args.get("status") or None
    if status not in (None, "active", "ended"):
        status = None
    page = requested_page()
    rows, total = services.list_placements(
        db.session, current_actor(), status=status, page=page, per_page=PER_PAGE
    )
    return render_template(
        "placements/list_placements.html",
        placements=[presenters.present_placement(db.session, p) for p in rows],
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        args={"status": status} if status else {},
        status=status,
        locale=_locale(),
    )


def _render_placement(
    placement: Placement,
    end_form: EndPlacementForm | None = None,
    feedback_forms: dict[str, FeedbackForm] | None = None,
) -> str:
    actor = current_actor()
    sides = services.feedback_sides(db.session, actor, placement)
    forms = feedback_forms or {}
    for side in sides:
        if side not in forms:
            forms[side] = FeedbackForm(formdata=None, side=side, prefix=side)
    care_request, household, _assistant = services.parts_of(db.session, placement)
    return render_template(
        "placements/show_placement.html",
        placement=placement,
        shown=presenters.present_placement(db.session, placement),
        care_request=care_request,
        locale=_locale(),
        can_see_request=policy.can_see_household(actor, household),
        end_form=end_form
        or (
            # Not started yet: the form offers to call it off, on its start date.
            EndPlacementForm(formdata=None, ended_on=max(placement.start_date, dt.date.today()))
            if services.can_end(db.session, actor, placement)
            else None
        ),
        feedback_forms={side: forms[side] for side in sides},
    )


@bp.get("/<int:placement_id>")
@role_required(*ROLES)
def show_placement(placement_id: int) -> PageResponse:
    """A placement: terms, schedule, Buono domiciliarita', end and feedback forms."""
    return _render_placement(services.get_placement(db.session, current_actor(), placement_id))


@bp.post("/<int:placement_id>/end")
@role_required(*ROLES)
def end_placement(placement_id: int) -> PageResponse:
    """End a placement (the family, the assistant or the brokering organization)."""
    actor = current_actor()
    placement = services.get_placement(db.session, actor, placement_id)
    services.require_may_end(db.session, actor, placement)
    form = EndPlacementForm()
    if not form.validate_on_submit():
        return _render_placement(placement, end_form=form), 422
    try:
        services.end_placement(
            db.session, actor, placement, form.end_reason.data or "", form.ended_on.data
        )
    except CarenetError as exc:
        if exc.status != 422:
            raise
        apply_errors(form, exc)
        return _render_placement(placement, end_form=form), exc.status
    flash(_("The placement has ended; the assistant's hours are free again."), "success")
    return redirect(url_for("placements.show_placement", placement_id=placement_id))


@bp.post("/<int:placement_id>/feedback")
@role_required(*ROLES)
def give_feedback(placement_id: int) -> PageResponse:
    """One side's rating and comments."""
    actor = current_actor()
    placement = services.get_placement(db.session, actor, placement_id)
    side = request.form.get("side", "")
    if side not in services.SIDES:
        raise NotFound(_("Choose whose feedback this is."))
    services.require_may_give(db.session, actor, placement, side)
    form = FeedbackForm(prefix=side)
    form.side.data = side
    if not form.validate_on_submit():
        return _render_placement(placement, feedback_forms={side: form}), 422
    try:
        services.give_feedback(
            db.session, actor, placement, side, int(form.rating.data), form.text.data or ""
        )
    except CarenetError as exc:
        if exc.status != 422:
            raise
        apply_errors(form, exc)
        return _render_placement(placement, feedback_forms={side: form}), exc.status
    flash(_("Thank you: the feedback has been saved."), "success")
    return redirect(url_for("placements.show_placement", placement_id=placement_id))


def _render_start(form: StartPlacementForm, proposal: Proposal) -> str:
    return render_template(
        "placements/start_placement.html",
        form=form,
        proposal=proposal,
        care_request=proposal.request,
        assistant=proposal.assistant,
        request_schedule=Schedule.from_bytes(proposal.request.schedule).format(_locale()),
    )


def _proposal_to_start(actor: User) -> Proposal:
    """The proposal of ``?proposal_id=``, which ``actor`` must broker."""
    proposal_id = request.values.get("proposal_id", type=parse_id)
    if proposal_id is None:
        raise NotFound(_("Choose an accepted proposal first."))
    proposal = proposals.get_proposal(db.session, actor, proposal_id)
    policy.require(
        policy.can_broker(actor, proposal.request.recipient.household),
        _("Only the organizations brokering this case can start a placement."),
    )
    return proposal


def _defaults(care_request: CareRequest) -> dict[str, Any]:
    start = max(care_request.start_date, dt.date.today())
    return {
        "ccnl_level": care_request.ccnl_level,
        "schedule": Schedule.from_bytes(care_request.schedule).format(_locale()),
        "start_date": start,
    }


@bp.route("/new", methods=["GET", "POST"])
@role_required(*BROKER_ROLES)
def start_placement() -> PageResponse:
    """The start form for an operator, from an accepted proposal (``?proposal_id=``)."""
    actor = current_actor()
    proposal = _proposal_to_start(actor)
    if request.method == "GET":
        form = StartPlacementForm(formdata=None, data=_defaults(proposal.request))
        form.proposal_id.data = str(proposal.id)
        return _render_start(form, proposal)
    form = StartPlacementForm()
    if not form.validate_on_submit():
        return _render_start(form, proposal), 422
    try:
        placement = services.start_placement(db.session, actor, proposal, **form.service_data())
    except CarenetError as exc:
        if exc.status not in (409, 422):
            raise
        apply_errors(form, exc)
        return _render_start(form, proposal), exc.status
    flash(_("The placement has started."), "success")
    return redirect(url_for("placements.show_placement", placement_id=placement.id))
