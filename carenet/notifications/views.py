"""Pages of the notifications feature: the list, marking read, the bell's count."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from carenet.auth.decorators import login_required
from carenet.auth.loaders import current_actor
from carenet.core.db import db
from carenet.notifications import presenters, services
from carenet.notifications.mail import init_mail
from carenet.web.helpers import page_count, requested_page

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")

PER_PAGE = 20


@bp.record_once
def _bind_mail(state: BlueprintSetupState) -> None:
    # Registered for every app by create_app, so every app can send e-mail.
    init_mail(cast(Flask, state.app))


@bp.get("")
@login_required
def list_notifications() -> str:
    """My notifications, unread first."""
    actor = current_actor()
    page = requested_page()
    rows, total = services.list_notifications(db.session, actor, page=page, per_page=PER_PAGE)
    return render_template(
        "notifications/list_notifications.html",
        notifications=[presenters.present_notification(n) for n in rows],
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        unread=services.count_unread(db.session, actor),
    )


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    """Mark one read, then open its link (or come back to the list)."""
    notification = services.mark_read(db.session, current_actor(), notification_id)
    target = notification.link if notification.link.startswith("/") else ""
    if target.startswith("//"):
        target = ""
    return redirect(target or url_for("notifications.list_notifications"))


@bp.post("/read-all")
@login_required
def mark_all_read() -> Response:
    """Mark every notification read."""
    services.mark_all_read(db.session, current_actor())
    return redirect(url_for("notifications.list_notifications"))
