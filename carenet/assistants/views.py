"""Pages of the assistants feature: own profile, register, detail and verification."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from carenet.access import policy
from carenet.assistants import display
from carenet.assistants import services as svc
from carenet.assistants.forms import (
    ProfileForm,
    QualificationForm,
    RegisterFilterForm,
    format_languages,
    qualification_choices,
)
from carenet.assistants.models import Assistant
from carenet.auth.decorators import login_required, role_required
from carenet.auth.loaders import current_actor
from carenet.core.db import db
from carenet.core.errors import Invalid

bp = Blueprint("assistants", __name__, url_prefix="/assistants", template_folder="templates")

Page = str | tuple[str, int] | Response


@bp.context_processor
def _helpers() -> dict[str, Any]:
    """Display helpers for this feature's templates."""
    return {
        "availability_text": display.availability_text,
        "availability_hours": display.availability_hours,
        "language_label": display.language_label,
        "qualification_name": display.qualification_name,
        "is_qualification_valid": display.is_qualification_valid,
    }


def _show_errors(form: FlaskForm, exc: Invalid) -> None:
    """Attach a service's per-field problems to the form, and its message to the page."""
    fields = exc.details.get("fields") or {}
    placed = False
    for name, problems in fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(problems)
            placed = True
    if not placed or exc.details.get("suggestions"):
        flash(exc.message, "error")


def _qualification_choices(form: QualificationForm) -> None:
    """Catalogue names in the request's language."""
    form.code.choices = qualification_choices(1 if display.current_language() == "en" else 0)


def _profile_form(assistant: Assistant | None) -> ProfileForm:
    """The profile form, filled from ``assistant`` on first display."""
    if assistant is None or request.method == "POST":
        return ProfileForm()
    form = ProfileForm(
        data={
            "display_name": assistant.display_name,
            "gender": assistant.gender,
            "birth_year": assistant.birth_year,
            "nationality": assistant.nationality,
            "phone": assistant.phone,
            "languages": format_languages(assistant.languages),
            "municipality": assistant.municipality.name,
            "province": assistant.municipality.province,
            "lat": assistant.lat,
            "lon": assistant.lon,
            "travel_radius_km": assistant.travel_radius_km,
            "arrangements": assistant.arrangements,
            "availability": display.availability_text(assistant.availability),
            "available_from": assistant.available_from,
            "years_experience": assistant.years_experience,
            "conditions": [row.condition for row in assistant.conditions],
            "bio": assistant.bio,
        }
    )
    return form


# The register's filters: fields of the filter form and of ``RegisterFilters``.
FILTERS = (
    "municipality",
    "province",
    "status",
    "arrangement",
    "language",
    "qualification",
    "condition",
    "q",
)


def _render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, **context), status


@bp.get("/")
@role_required("operator", "admin")
def list_assistants() -> Page:
    """The register of the operator's territory, with filters."""
    form = RegisterFilterForm(request.args)
    if request.args and not form.validate():
        return _render("assistants/list.html", 422, form=form, items=[], total=0, page=1, pages=1)
    page = form.page.data or 1
    filters = svc.RegisterFilters(**{name: getattr(form, name).data or None for name in FILTERS})
    try:
        items, total = svc.list_assistants(db.session, current_actor(), filters, page, 20)
    except Invalid as exc:
        _show_errors(form, exc)
        return _render("assistants/list.html", 422, form=form, items=[], total=0, page=1, pages=1)
    pages = max(1, (total + 19) // 20)
    args = {k: v for k, v in request.args.items() if k != "page"}
    context: dict[str, Any] = {"items": items, "total": total, "page": page, "pages": pages}
    return _render("assistants/list.html", form=form, args=args, **context)


@bp.get("/<int:assistant_id>")
@login_required
def show_assistant(assistant_id: int) -> Page:
    """One profile, with the verification buttons for operators who may verify."""
    actor = current_actor()
    assistant = svc.get_assistant(db.session, actor, assistant_id)
    return _render(
        "assistants/detail.html",
        assistant=assistant,
        can_verify=policy.can_verify(actor, assistant),
        is_own=assistant.user_id == actor.id,
    )


@bp.get("/me")
@role_required("assistant")
def my_profile() -> Page:
    """The logged-in assistant's profile, or the form to create it."""
    assistant = svc.find_own_assistant(db.session, current_actor())
    if assistant is None:
        return redirect(url_for("assistants.edit_profile"))
    return _render("assistants/detail.html", assistant=assistant, can_verify=False, is_own=True)


def _save_profile(assistant: Assistant | None) -> Page:
    """Show the profile form; on submit create or update through the service."""
    form = _profile_form(assistant)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                if assistant is None:
                    saved = svc.create_assistant(db.session, current_actor(), form.to_data())
                else:
                    saved = svc.update_assistant(
                        db.session, current_actor(), assistant.id, form.to_data()
                    )
            except Invalid as exc:
                _show_errors(form, exc)
            else:
                flash(_("Profile saved."), "success")
                if current_actor().role == "assistant":
                    return redirect(url_for("assistants.my_profile"))
                return redirect(url_for("assistants.show_assistant", assistant_id=saved.id))
    return _render("assistants/edit.html", status, form=form, assistant=assistant)


@bp.route("/me/edit", methods=["GET", "POST"], defaults={"assistant_id": None})
@bp.route("/<int:assistant_id>/edit", methods=["GET", "POST"])
@login_required
def edit_profile(assistant_id: int | None) -> Page:
    """Edit a profile: the assistant's own (created on first save), or one of the territory."""
    if assistant_id is None:
        return _save_profile(svc.find_own_assistant(db.session, current_actor()))
    return _save_profile(svc.get_assistant(db.session, current_actor(), assistant_id))


@bp.route("/new", methods=["GET", "POST"])
@role_required("operator", "admin")
def new_assistant() -> Page:
    """Register an assistant who has no account, at a sportello."""
    svc.profiles.require_register_reader(current_actor())
    return _save_profile(None)


@bp.route("/me/qualifications/new", methods=["GET", "POST"], defaults={"assistant_id": None})
@bp.route("/<int:assistant_id>/qualifications/new", methods=["GET", "POST"])
@login_required
def add_qualification(assistant_id: int | None) -> Page:
    """Declare a qualification with its dates."""
    actor = current_actor()
    if assistant_id is None:
        assistant = svc.get_own_assistant(db.session, actor)
    else:
        assistant = svc.get_assistant(db.session, actor, assistant_id)
    form = QualificationForm()
    _qualification_choices(form)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            dates = form.issued_on.data, form.expires_on.data
            try:
                svc.add_qualification(db.session, actor, assistant.id, form.code.data, *dates)
            except Invalid as exc:
                _show_errors(form, exc)
            else:
                flash(_("Qualification added; an operator will verify it."), "success")
                return redirect(_profile_url(assistant))
    return _render("assistants/qualification.html", status, form=form, assistant=assistant)


def _profile_url(assistant: Assistant) -> str:
    """Where a profile is shown to the current user."""
    if assistant.user_id is not None and assistant.user_id == current_actor().id:
        return url_for("assistants.my_profile")
    return url_for("assistants.show_assistant", assistant_id=assistant.id)


@bp.post("/<int:assistant_id>/qualifications/<int:qualification_id>/verify")
@role_required("operator", "admin")
def verify_qualification(assistant_id: int, qualification_id: int) -> Response:
    """Verify one qualification (a button on the detail page)."""
    row = svc.verify_qualification(db.session, current_actor(), assistant_id, qualification_id)
    flash(_("Qualification %(code)s verified.", code=row.qualification_code.upper()), "success")
    return redirect(url_for("assistants.show_assistant", assistant_id=assistant_id))


@bp.post("/<int:assistant_id>/verify")
@role_required("operator", "admin")
def verify_assistant(assistant_id: int) -> Response:
    """Verify the whole profile."""
    svc.verify_assistant(db.session, current_actor(), assistant_id)
    flash(_("Profile verified."), "success")
    return redirect(url_for("assistants.show_assistant", assistant_id=assistant_id))


@bp.post("/<int:assistant_id>/suspend")
@role_required("operator", "admin")
def suspend_assistant(assistant_id: int) -> Response:
    """Suspend the profile."""
    reason = request.form.get("reason", "")[:500]
    svc.suspend_assistant(db.session, current_actor(), assistant_id, reason)
    flash(_("Profile suspended."), "warning")
    return redirect(url_for("assistants.show_assistant", assistant_id=assistant_id))
