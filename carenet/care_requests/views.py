"""Pages of the care requests feature: the request form, its page, the operators' list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from carenet.access import fields, policy
from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests import presenters, rules, services
from carenet.care_requests.forms import (
    NIGHT_EXAMPLES,
    SCHEDULE_EXAMPLES,
    CareRequestForm,
    RequestFilterForm,
)
from carenet.care_requests.models import CareRequest
from carenet.catalogue.services import list_qualifications, resolve_comune
from carenet.core.db import db
from carenet.core.errors import CarenetError, Invalid, NotFound
from carenet.core.routing import parse_id
from carenet.families import services as families
from carenet.families.forms import apply_errors, options
from carenet.families.models import CareRecipient
from carenet.web.helpers import page_count, requested_page

bp = Blueprint("care_requests", __name__, template_folder="templates")

PageResponse = Response | str | tuple[str, int]
PER_PAGE = 20
ROLES = ("family", "operator", "admin")


def _locale() -> str:
    return "en" if str(get_locale()).startswith("en") else "it"


def _request_form(actor: User, recipient: CareRecipient, **kwargs: Any) -> CareRequestForm:
    """The form with the catalogue's qualifications and help text in the current language;
    to those who may not read health information it offers no level and no qualification
    that reveals health (the service refuses them, and keeps those already stored)."""
    form = CareRequestForm(**kwargs)
    household = recipient.household
    if not fields.may_read(actor, household, "care_request", "ccnl_level"):
        del form.ccnl_level
    guarded = fields.hidden_members(actor, household, "care_request", "required_qualifications")
    locale = _locale()
    choices = options(
        (q.code, q.name_en if locale == "en" else q.name_it)
        for q in list_qualifications(db.session)
        if q.code not in guarded
    )
    form.required_qualifications.choices = choices
    form.preferred_qualifications.choices = choices
    form.schedule.description = _(
        "Days and hours, separated by commas; for example %(example)s. "
        "A night range may run past midnight, for example %(night)s. Whole hours only.",
        example=SCHEDULE_EXAMPLES[locale],
        night=NIGHT_EXAMPLES[locale],
    )
    return form


def _render_form(
    form: CareRequestForm, recipient: CareRecipient, care_request: CareRequest | None
) -> str:
    return render_template(
        "care_requests/request_form.html",
        form=form,
        recipient=recipient,
        care_request=care_request,
    )


def _list_filters(form: RequestFilterForm) -> dict[str, Any] | None:
    """The list's filters from the query string, or None when one is not valid (the form
    then marks it)."""
    if not form.validate():
        return None
    filters = {"status": form.status.data or None, "arrangement": form.arrangement.data or None}
    if form.comune.data and form.comune.data.strip():
        try:
            filters["municipality_id"] = resolve_comune(form.comune.data, field="comune").istat
        except Invalid as exc:
            apply_errors(form, Invalid(exc.message, {"fields": {"comune": [exc.message]}}))
            return None
    return filters


@bp.get("/care-requests")
@role_required(*ROLES)
def list_requests() -> PageResponse:
    """Requests the user may see, with filters (status, kind of work, municipality)."""
    actor = current_actor()
    form = RequestFilterForm(request.args)
    page = requested_page()
    filters = _list_filters(form)
    rows: list[CareRequest] = []
    total = 0
    if filters is not None:
        rows, total = services.list_requests(
            db.session, actor, page=page, per_page=PER_PAGE, **filters
        )
    args = {k: v for k, v in request.args.items() if k in {"status", "arrangement", "comune"}}
    html = render_template(
        "care_requests/list_requests.html",
        form=form,
        requests=presenters.present_requests(db.session, actor, rows),
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        args=args,
        locale=_locale(),
    )
    return html, 200 if filters is not None else 422


def _choose_recipient_first() -> Response:
    """A request is for one person: the household page lists them, each with a "new
    request" link (a family's own household, an operator's list)."""
    if request.method != "GET":
        raise NotFound(_("Choose the person who needs care first."))
    flash(_("Choose the person who needs care first."), "info")
    return redirect(url_for("families.show_household"))


@bp.route("/care-requests/new", methods=["GET", "POST"])
@role_required(*ROLES)
def new_request() -> PageResponse:
    """The care request form for one person cared for."""
    actor = current_actor()
    recipient_id = request.values.get("recipient_id", type=parse_id)
    if recipient_id is None:
        return _choose_recipient_first()
    recipient = families.get_recipient(db.session, actor, recipient_id, for_="write")
    form = _request_form(actor, recipient)
    if request.method == "GET":
        form.recipient_id.data = str(recipient.id)
        return _render_form(form, recipient, None)
    if not form.validate_on_submit():
        return _render_form(form, recipient, None), 422
    data = {**form.service_data(), "recipient_id": recipient.id}
    data["status"] = "open" if request.form.get("action") == "open" else "draft"
    try:
        care_request = services.create_request(db.session, actor, data)
    except CarenetError as exc:
        apply_errors(form, exc)
        return _render_form(form, recipient, None), exc.status
    flash(_("The care request has been saved."), "success")
    return redirect(url_for("care_requests.show_request", request_id=care_request.id))


@bp.get("/care-requests/<int:request_id>")
@role_required(*ROLES)
def show_request(request_id: int) -> PageResponse:
    """A request: schedule, hours, CCNL level and Buono domiciliarita' eligibility."""
    actor = current_actor()
    care_request = services.get_request(db.session, actor, request_id)
    household = care_request.recipient.household
    return render_template(
        "care_requests/show_request.html",
        care_request=care_request,
        shown=presenters.present_request(db.session, actor, care_request),
        locale=_locale(),
        can_edit=care_request.status in rules.EDITABLE_STATUSES
        and policy.organization_kind(actor) != "region",
        actions=[
            action
            for action in rules.TRANSITIONS
            if rules.next_status(action, care_request.status) is not None
        ],
        household=household,
        can_match=policy.can_broker(actor, household)
        and care_request.status in ("open", "matching", "proposed"),
    )


def _stored_request_form(actor: User, care_request: CareRequest) -> CareRequestForm:
    """The form filled with a stored request, as ``actor`` may read it."""
    recipient = care_request.recipient
    shown = presenters.present_request(db.session, actor, care_request)
    form = _request_form(actor, recipient, data={**shown, "schedule": shown["schedule"][_locale()]})
    form.weekly_hours.data = None
    if "ccnl_level" in form:
        # Only a level the family asked for is shown; otherwise it stays automatic.
        form.ccnl_level.data = services.explicit_level(db.session, care_request) or ""
    form.recipient_id.data = str(recipient.id)
    return form


@bp.route("/care-requests/<int:request_id>/edit", methods=["GET", "POST"])
@role_required(*ROLES)
def edit_request(request_id: int) -> PageResponse:
    """Change a draft or open request."""
    actor = current_actor()
    care_request = services.get_request(db.session, actor, request_id, for_="write")
    recipient = care_request.recipient
    if request.method == "GET":
        form = _stored_request_form(actor, care_request)
        return _render_form(form, recipient, care_request)
    form = _request_form(actor, recipient)
    if not form.validate_on_submit():
        return _render_form(form, recipient, care_request), 422
    try:
        services.update_request(db.session, actor, request_id, form.service_data())
    except CarenetError as exc:
        apply_errors(form, exc)
        return _render_form(form, recipient, care_request), exc.status
    flash(_("The changes have been saved."), "success")
    return redirect(url_for("care_requests.show_request", request_id=request_id))


def _change(request_id: int, action: str, message: str) -> Response:
    services.change_status(db.session, current_actor(), request_id, action)
    flash(message, "success")
    return redirect(url_for("care_requests.show_request", request_id=request_id))


@bp.post("/care-requests/<int:request_id>/submit")
@role_required(*ROLES)
def submit_request(request_id: int) -> Response:
    """Submit a draft: it becomes open."""
    return _change(request_id, "submit", _("The request has been submitted."))


@bp.post("/care-requests/<int:request_id>/cancel")
@role_required(*ROLES)
def cancel_request(request_id: int) -> Response:
    """Cancel a request."""
    return _change(request_id, "cancel", _("The request has been cancelled."))


@bp.post("/care-requests/<int:request_id>/close")
@role_required(*ROLES)
def close_request(request_id: int) -> Response:
    """Close a request."""
    return _change(request_id, "close", _("The request has been closed."))
