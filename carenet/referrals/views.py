"""Pages of the referrals feature: inbox and outbox, one referral, the referral form."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from carenet.access import policy
from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests import services as care_requests
from carenet.core.db import db
from carenet.core.errors import CarenetError, Invalid, NotFound
from carenet.core.forms import apply_errors
from carenet.core.routing import id_or_none, parse_id
from carenet.families import services as families
from carenet.families.forms import options
from carenet.families.models import Household
from carenet.referrals import presenters, services
from carenet.referrals.forms import (
    REFERRAL_STATUS_LABELS,
    ReferralAnswerForm,
    ReferralFilterForm,
    ReferralForm,
)
from carenet.referrals.models import Referral
from carenet.web.helpers import page_count, requested_page

bp = Blueprint("referrals", __name__, url_prefix="/referrals", template_folder="templates")

PageResponse = Response | str | tuple[str, int]
PER_PAGE = 20
ROLES = ("operator", "admin")
MESSAGES = {
    "accept": _l("The referral has been accepted."),
    "reject": _l("The referral has been rejected."),
    "complete": _l("The referral has been completed."),
    "revoke": _l("The referral has been revoked."),
}


@bp.get("")
@role_required(*ROLES)
def list_referrals() -> PageResponse:
    """Referrals to (inbox) or from (outbox) my organization, filtered by status."""
    box = request.args.get("box", "inbox")
    box = box if box in services.BOXES else "inbox"
    form = ReferralFilterForm(request.args)
    page = requested_page()
    rows: list[Referral] = []
    total = 0
    if valid := form.validate():
        status = form.status.data or None
        rows, total = services.list_referrals(
            db.session, current_actor(), box=box, status=status, page=page, per_page=PER_PAGE
        )
    html = render_template(
        "referrals/list_referrals.html",
        form=form,
        box=box,
        referrals=[presenters.present_referral(db.session, r) for r in rows],
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        args={"box": box, **({"status": form.status.data} if form.status.data else {})},
        labels=REFERRAL_STATUS_LABELS,
    )
    return html, 200 if valid else 422


def _request_choices(household: Household) -> list[SelectChoice]:
    return options(
        [("", _("The whole case"))]
        + [
            (str(r.id), _("Request %(id)s (%(status)s)", id=r.id, status=r.status))
            for r in care_requests.household_requests(db.session, household)
        ]
    )


def _form(actor: User, household: Household) -> ReferralForm:
    form = ReferralForm()
    form.to_organization_id.choices = [("", _("Choose an organization"))] + [
        (str(o.id), f"{o.name} ({o.kind})")
        for o in services.target_organizations(db.session, actor)
    ]
    form.request_id.choices = _request_choices(household)
    return form


def _household_to_refer(actor: User) -> Household:
    """The household of ``?household_id=``, which ``actor`` must be able to refer."""
    household_id = request.values.get("household_id", type=parse_id)
    if household_id is None:
        raise NotFound(_("Choose the household to refer first."))
    household = families.get_household(db.session, actor, household_id)
    policy.require(policy.can_refer(actor, household))
    return household


def _referral_data(form: ReferralForm, household: Household) -> dict[str, object]:
    return {
        "household_id": household.id,
        "request_id": id_or_none(form.request_id.data),
        "to_organization_id": id_or_none(form.to_organization_id.data),
        "reason": form.reason.data or "",
        "consent_given": bool(form.consent_given.data),
    }


def _render_new(form: ReferralForm, household: Household, status: int = 200) -> tuple[str, int]:
    html = render_template("referrals/referral_form.html", form=form, household=household)
    return html, status


@bp.route("/new", methods=["GET", "POST"])
@role_required("operator")
def new_referral() -> PageResponse:
    """Refer a case to another organization (with the family's consent)."""
    actor = current_actor()
    household = _household_to_refer(actor)
    form = _form(actor, household)
    if request.method == "GET":
        return _render_new(form, household)
    if not form.validate_on_submit():
        return _render_new(form, household, 422)
    try:
        referral = services.create_referral(db.session, actor, _referral_data(form, household))
    except CarenetError as exc:
        if exc.status == 403 or exc.status == 404:
            raise
        apply_errors(form, exc)
        return _render_new(form, household, exc.status)
    flash(_("The case has been referred."), "success")
    return redirect(url_for("referrals.show_referral", referral_id=referral.id))


def _render_show(
    actor: User, referral_id: int, answer_form: ReferralAnswerForm, status: int = 200
) -> tuple[str, int]:
    referral = services.get_referral(db.session, actor, referral_id)
    household = services.household_of(db.session, referral)
    html = render_template(
        "referrals/show_referral.html",
        referral=presenters.present_referral(db.session, referral),
        household=household,
        can_see_case=policy.can_see_household(actor, household),
        actions=services.allowed_actions(actor, referral),
        answer_form=answer_form,
        labels=REFERRAL_STATUS_LABELS,
        recorder=services.consent_recorder(db.session, referral),
    )
    return html, status


@bp.get("/<int:referral_id>")
@role_required(*ROLES)
def show_referral(referral_id: int) -> PageResponse:
    """A referral, with the actions the user may take."""
    return _render_show(current_actor(), referral_id, ReferralAnswerForm())


def _change(referral_id: int, action: str) -> PageResponse:
    actor = current_actor()
    form = ReferralAnswerForm()
    if not form.validate_on_submit():
        return _render_show(actor, referral_id, form, 422)
    try:
        services.change_status(db.session, actor, referral_id, action, form.reason.data or "")
    except Invalid as exc:
        apply_errors(form, exc)
        return _render_show(actor, referral_id, form, exc.status)
    flash(str(MESSAGES[action]), "success")
    return redirect(url_for("referrals.show_referral", referral_id=referral_id))


@bp.post("/<int:referral_id>/accept")
@role_required("operator")
def accept_referral(referral_id: int) -> PageResponse:
    """Accept a pending referral."""
    return _change(referral_id, "accept")


@bp.post("/<int:referral_id>/reject")
@role_required("operator")
def reject_referral(referral_id: int) -> PageResponse:
    """Reject a pending referral, with a reason."""
    return _change(referral_id, "reject")


@bp.post("/<int:referral_id>/complete")
@role_required("operator")
def complete_referral(referral_id: int) -> PageResponse:
    """Complete an accepted referral."""
    return _change(referral_id, "complete")


@bp.post("/<int:referral_id>/revoke")
@role_required("operator")
def revoke_referral(referral_id: int) -> PageResponse:
    """Revoke a pending or accepted referral."""
    return _change(referral_id, "revoke")
