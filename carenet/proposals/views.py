"""Pages of the proposals feature: my proposals with their answer forms, one proposal,
the proposals of a request for its brokers (interview, send, withdraw)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from carenet.auth.decorators import role_required
from carenet.auth.loaders import current_actor
from carenet.auth.models import User
from carenet.care_requests import services as care_requests
from carenet.core.db import db
from carenet.core.errors import CarenetError, Invalid, NotFound
from carenet.core.forms import apply_errors
from carenet.core.settings import current_settings
from carenet.proposals import answers, presenters, services
from carenet.proposals.forms import ActionForm, AnswerForm, InterviewForm, ProposeForm
from carenet.proposals.models import PROPOSAL_STATUSES, Proposal
from carenet.proposals.reasons import DECLINE_REASONS, SIDE_LABELS, STATUS_LABELS
from carenet.web.helpers import page_count, requested_page

bp = Blueprint("proposals", __name__, template_folder="templates")

PageResponse = Response | str | tuple[str, int]
PER_PAGE = 20
ROLES = ("family", "assistant", "operator", "admin")
BROKER_ROLES = ("operator", "admin")
# Interview times are typed in Italian time.
LOCAL = ZoneInfo("Europe/Rome")


def _status_arg() -> str | None:
    status = request.args.get("status") or None
    return status if status in PROPOSAL_STATUSES else None


@bp.get("/proposals")
@role_required(*ROLES)
def list_proposals() -> PageResponse:
    """My proposals (families, assistants), or the proposals of an operator's cases."""
    actor = current_actor()
    status = _status_arg()
    page = requested_page()
    rows, total = services.list_proposals(
        db.session, actor, status=status, page=page, per_page=PER_PAGE
    )
    return render_template(
        "proposals/list_proposals.html",
        proposals=[_item(actor, p) for p in rows],
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        args={"status": status} if status else {},
        status=status,
        statuses=STATUS_LABELS,
        endpoint="proposals.list_proposals",
        care_request=None,
    )


def _item(actor: User, proposal: Proposal) -> dict[str, object]:
    # The pages never show the score components: nothing health-derived is read here.
    shown = presenters.present_proposal(db.session, actor, proposal, audit=False)
    shown["answer_forms"] = {
        side: AnswerForm(formdata=None, prefix=side)
        for side in answers.answerable_sides(db.session, actor, proposal)
    }
    return shown


@bp.get("/care-requests/<int:request_id>/proposals")
@role_required(*ROLES)
def request_proposals(request_id: int) -> PageResponse:
    """The proposals of one request, with their statuses (drafts for brokers)."""
    actor = current_actor()
    care_request = care_requests.get_request(db.session, actor, request_id)
    status = _status_arg()
    page = requested_page()
    rows, total = services.list_proposals(
        db.session, actor, request_id=request_id, status=status, page=page, per_page=PER_PAGE
    )
    return render_template(
        "proposals/list_proposals.html",
        proposals=[_item(actor, p) for p in rows],
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        args={"status": status, "request_id": request_id} if status else {"request_id": request_id},
        status=status,
        statuses=STATUS_LABELS,
        endpoint="proposals.request_proposals",
        care_request=care_request,
    )


@bp.post("/care-requests/<int:request_id>/proposals")
@role_required(*BROKER_ROLES)
def propose(request_id: int) -> PageResponse:
    """Propose the checked assistants (from the match page)."""
    actor = current_actor()
    care_request = care_requests.get_request(db.session, actor, request_id)
    services.require_broker_of_request(actor, care_request)
    form = ProposeForm()
    if not form.validate_on_submit():
        raise Invalid(_("The form has expired: please send it again."))
    made = services.create_proposals(
        db.session,
        actor,
        care_request,
        form.assistant_ids.data or [],
        ttl=current_settings().proposal_ttl,
    )
    flash(
        _("%(n)d proposals sent; the family and the assistants have been told.", n=len(made)),
        "success",
    )
    return redirect(url_for("proposals.request_proposals", request_id=request_id))


def _render(
    proposal: Proposal,
    answer_forms: dict[str, AnswerForm] | None = None,
    interview_form: InterviewForm | None = None,
) -> str:
    actor = current_actor()
    shown = presenters.present_proposal(db.session, actor, proposal, audit=False)
    forms = dict(answer_forms or {})
    for side in answers.answerable_sides(db.session, actor, proposal):
        forms.setdefault(side, AnswerForm(formdata=None, prefix=side))
    broker = services.is_broker(db.session, actor, proposal)
    if interview_form is None and broker and proposal.status in ("pending", "accepted"):
        local = (
            proposal.interview_at.astimezone(LOCAL).replace(tzinfo=None)
            if (proposal.interview_at)
            else None
        )
        interview_form = InterviewForm(
            formdata=None, interview_at=local, notes=proposal.interview_notes
        )
    return render_template(
        "proposals/show_proposal.html",
        proposal=proposal,
        shown=shown,
        answer_forms=forms,
        interview_form=interview_form,
        action_form=ActionForm(formdata=None),
        broker=broker,
        statuses=STATUS_LABELS,
        sides=SIDE_LABELS,
        reasons=DECLINE_REASONS,
        local=LOCAL,
    )


@bp.get("/proposals/<int:proposal_id>")
@role_required(*ROLES)
def show_proposal(proposal_id: int) -> PageResponse:
    """One proposal: score, answers, interview, contacts once both accepted."""
    return _render(services.get_proposal(db.session, current_actor(), proposal_id))


def _answering_side(actor: User, proposal: Proposal) -> str:
    """The side of the posted answer, which ``actor`` must be able to give."""
    side = request.form.get("side", "")
    if side not in SIDE_LABELS:
        raise NotFound(_("Choose whose answer this is."))
    answers.require_may_answer(db.session, actor, proposal, side)
    return side


@bp.post("/proposals/<int:proposal_id>/answer")
@role_required(*ROLES)
def answer(proposal_id: int) -> PageResponse:
    """Accept or decline for one side."""
    actor = current_actor()
    proposal = services.get_proposal(db.session, actor, proposal_id)
    side = _answering_side(actor, proposal)
    form = AnswerForm(prefix=side)
    if not form.validate_on_submit():
        return _render(proposal, answer_forms={side: form}), 422
    reason = form.reason_code.data or None, form.reason_text.data or ""
    try:
        answers.answer(db.session, actor, proposal, side, form.answer.data or "", *reason)
    except CarenetError as exc:
        if exc.status != 422:
            raise
        apply_errors(form, exc)
        return _render(proposal, answer_forms={side: form}), 422
    if proposal.status == "accepted":
        flash(_("Both sides accepted: the contacts are now shown."), "success")
    else:
        flash(_("Your answer has been saved."), "success")
    return redirect(url_for("proposals.show_proposal", proposal_id=proposal_id))


@bp.post("/proposals/<int:proposal_id>/interview")
@role_required(*BROKER_ROLES)
def record_interview(proposal_id: int) -> PageResponse:
    """Record the interview (brokers)."""
    actor = current_actor()
    proposal = services.get_proposal(db.session, actor, proposal_id, for_="broker")
    form = InterviewForm()
    if not form.validate_on_submit():
        return _render(proposal, interview_form=form), 422
    at: dt.datetime = form.interview_at.data  # type: ignore[assignment]
    try:
        answers.record_interview(
            db.session, actor, proposal, at.replace(tzinfo=LOCAL), form.notes.data or ""
        )
    except CarenetError as exc:
        if exc.status != 422:
            raise
        apply_errors(form, exc)
        return _render(proposal, interview_form=form), 422
    flash(_("The interview has been recorded."), "success")
    return redirect(url_for("proposals.show_proposal", proposal_id=proposal_id))


def _action_form() -> None:
    if not ActionForm().validate_on_submit():
        raise Invalid(_("The form has expired: please send it again."))


@bp.post("/proposals/<int:proposal_id>/send")
@role_required(*BROKER_ROLES)
def send(proposal_id: int) -> PageResponse:
    """Send a draft (brokers)."""
    actor = current_actor()
    proposal = services.get_proposal(db.session, actor, proposal_id, for_="broker")
    _action_form()
    services.send_proposals(db.session, actor, [proposal.id], ttl=current_settings().proposal_ttl)
    flash(_("The proposal has been sent."), "success")
    return redirect(url_for("proposals.show_proposal", proposal_id=proposal_id))


@bp.post("/proposals/<int:proposal_id>/withdraw")
@role_required(*BROKER_ROLES)
def withdraw(proposal_id: int) -> PageResponse:
    """Withdraw a pending proposal or discard a draft (brokers)."""
    actor = current_actor()
    proposal = services.get_proposal(db.session, actor, proposal_id, for_="broker")
    _action_form()
    services.withdraw(db.session, actor, proposal)
    flash(_("The proposal has been withdrawn."), "success")
    return redirect(url_for("proposals.show_proposal", proposal_id=proposal_id))
