"""Pages of the families feature: households, the people they care for, assessments."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from carenet.access import policy
from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests import services as care_requests
from carenet.core.db import db
from carenet.core.errors import CarenetError, Forbidden
from carenet.families import services
from carenet.families.forms import AssessmentForm, HouseholdForm, RecipientForm, apply_errors
from carenet.families.models import CareRecipient, Household
from carenet.web.helpers import page_count, requested_page

bp = Blueprint("families", __name__, template_folder="templates")

PageResponse = Response | str | tuple[str, int]
PER_PAGE = 20
ROLES = ("family", "operator", "admin")


@bp.get("/families/households")
@role_required(*ROLES)
def list_households() -> PageResponse:
    """The households the user may see (operators: their territory's)."""
    page = requested_page()
    rows, total = services.list_households(db.session, current_actor(), page, PER_PAGE)
    return render_template(
        "families/list_households.html",
        households=rows,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
    )


@bp.route("/families/households/new", methods=["GET", "POST"])
@role_required(*ROLES)
def new_household() -> PageResponse:
    """Register a household (a family's own, or one an operator registers for a family)."""
    form = HouseholdForm()
    if request.method == "GET":
        return render_template("families/household_form.html", form=form, household=None)
    if not form.validate_on_submit():
        return render_template("families/household_form.html", form=form, household=None), 422
    try:
        household = services.create_household(db.session, current_actor(), form.service_data())
    except CarenetError as exc:
        apply_errors(form, exc)
        return render_template(
            "families/household_form.html", form=form, household=None
        ), exc.status
    flash(_("The household has been saved."), "success")
    return redirect(url_for("families.show_household", household_id=household.id))


@bp.get("/families/household")
@bp.get("/families/households/<int:household_id>")
@role_required(*ROLES)
def show_household(household_id: int | None = None) -> PageResponse:
    """A household with its recipients, their requests and (where allowed) health data."""
    actor = current_actor()
    if household_id is None:
        return _my_household(actor)
    household = services.get_household(db.session, actor, household_id)
    return render_template("families/show_household.html", **_household_page(actor, household))


def _my_household(actor: User) -> Response:
    """A family's latest household, or the form to create it; others go to the list."""
    if actor.role != "family":
        return redirect(url_for("families.list_households"))
    rows, _total = services.list_households(db.session, actor, 1, 1)
    if not rows:
        return redirect(url_for("families.new_household"))
    return redirect(url_for("families.show_household", household_id=rows[-1].id))


def _household_page(actor: User, household: Household) -> dict[str, Any]:
    """The household page's arguments: its people (health data as ``actor`` may read it),
    their assessments and requests, and what ``actor`` may do."""
    recipients = [services.present_recipient(db.session, actor, r) for r in household.recipients]
    assessments: dict[int, list[Any]] = {}
    if policy.can_read_assessments(actor, household):
        for recipient in household.recipients:
            assessments[recipient.id] = services.list_assessments(db.session, actor, recipient.id)
    return {
        "household": household,
        "recipients": recipients,
        "assessments": assessments,
        "requests": care_requests.requests_by_recipient(db.session, household),
        "can_assess": _can_assess(actor),
        "can_read_health": services.can_read_health(actor, household),
        "can_edit": actor.role in ROLES and policy.organization_kind(actor) != "region",
        "can_add_person": services.may_add_recipient(actor, household),
        "can_refer": policy.can_refer(actor, household),
        "can_see_access_log": policy.can_see_access_log(actor, household),
    }


def _can_assess(actor: User) -> bool:
    return actor.role == "operator" and policy.organization_kind(actor) in policy.ASSESSOR_KINDS


@bp.route("/families/households/<int:household_id>/edit", methods=["GET", "POST"])
@role_required(*ROLES)
def edit_household(household_id: int) -> PageResponse:
    """Change a household's contact details or address."""
    actor = current_actor()
    household = services.get_household(db.session, actor, household_id, for_="write")
    # On POST only the submitted data counts: a missing field must fail validation, not
    # fall back to the stored value (whose type may differ, e.g. the Municipality).
    form = HouseholdForm(obj=household) if request.method == "GET" else HouseholdForm()
    if request.method == "GET":
        form.municipality.data = household.municipality.istat
        form.province.data = household.municipality.province
        return render_template("families/household_form.html", form=form, household=household)
    template = "families/household_form.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, household=household), 422
    try:
        services.update_household(db.session, actor, household_id, form.service_data())
    except CarenetError as exc:
        apply_errors(form, exc)
        return render_template(template, form=form, household=household), exc.status
    flash(_("The household has been saved."), "success")
    return redirect(url_for("families.show_household", household_id=household_id))


@bp.route("/families/households/<int:household_id>/recipients/new", methods=["GET", "POST"])
@role_required(*ROLES)
def add_recipient(household_id: int) -> PageResponse:
    """Add a person who needs care to the household."""
    actor = current_actor()
    household = services.get_household(db.session, actor, household_id)
    services.require_recipient_creator(actor, household)
    form = RecipientForm()
    template = "families/recipient_form.html"
    context = {"household": household, "recipient": None, "with_health": True}
    if request.method == "GET":
        return render_template(template, form=form, **context)
    if not form.validate_on_submit():
        return render_template(template, form=form, **context), 422
    try:
        services.add_recipient(db.session, actor, household_id, form.service_data())
    except CarenetError as exc:
        apply_errors(form, exc)
        return render_template(template, form=form, **context), exc.status
    flash(_("The person has been added."), "success")
    return redirect(url_for("families.show_household", household_id=household_id))


def _recipient_form(actor: User, recipient: CareRecipient, with_health: bool) -> RecipientForm:
    """The person's form, without the health fields for those who may not read them;
    filled with the stored values on GET."""
    form = RecipientForm()
    if not with_health:
        del form.self_sufficiency
        del form.conditions
    if request.method == "GET":
        shown = services.present_recipient(db.session, actor, recipient)
        form.first_name.data = shown["first_name"]
        form.age_band.data = shown["age_band"]
        if with_health:
            form.self_sufficiency.data = shown["self_sufficiency"]
            form.conditions.data = shown["conditions"]
    return form


@bp.route("/families/recipients/<int:recipient_id>/edit", methods=["GET", "POST"])
@role_required(*ROLES)
def edit_recipient(recipient_id: int) -> PageResponse:
    """Change a care recipient (health fields only for those who may read them)."""
    actor = current_actor()
    recipient = services.get_recipient(db.session, actor, recipient_id, for_="write")
    with_health = services.can_read_health(actor, recipient.household)
    form = _recipient_form(actor, recipient, with_health)
    template = "families/recipient_form.html"
    context = {"household": recipient.household, "recipient": recipient, "with_health": with_health}
    if request.method == "GET":
        return render_template(template, form=form, **context)
    if not form.validate_on_submit():
        return render_template(template, form=form, **context), 422
    try:
        services.update_recipient(
            db.session, actor, recipient_id, form.service_data(with_health=with_health)
        )
    except CarenetError as exc:
        apply_errors(form, exc)
        return render_template(template, form=form, **context), exc.status
    flash(_("The changes have been saved."), "success")
    return redirect(url_for("families.show_household", household_id=recipient.household_id))


@bp.route("/families/recipients/<int:recipient_id>/assessments/new", methods=["GET", "POST"])
@role_required("operator")
def add_assessment(recipient_id: int) -> PageResponse:
    """Record a needs assessment (ASL and Ente gestore operators of the territory)."""
    actor = current_actor()
    recipient = services.get_recipient(db.session, actor, recipient_id)
    if not _can_assess(actor):
        raise Forbidden(
            _("Only operators of a health authority (ASL) or an Ente gestore record assessments.")
        )
    form = AssessmentForm()
    template = "families/assessment_form.html"
    if request.method == "GET":
        return render_template(template, form=form, recipient=recipient)
    if not form.validate_on_submit():
        return render_template(template, form=form, recipient=recipient), 422
    try:
        services.record_assessment(db.session, actor, recipient_id, form.service_data())
    except CarenetError as exc:
        apply_errors(form, exc)
        return render_template(template, form=form, recipient=recipient), exc.status
    flash(_("The assessment has been recorded."), "success")
    return redirect(url_for("families.show_household", household_id=recipient.household_id))
