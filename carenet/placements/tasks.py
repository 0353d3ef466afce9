"""Tasks of the placements feature: the daily end of placements at their planned end."""

from __future__ import annotations

import datetime as dt

import structlog
from flask_babel import force_locale
from huey import crontab

from carenet.core.db import db
from carenet.core.settings import current_settings
from carenet.jobs.queue import huey, periodic_task
from carenet.placements import services

log = structlog.get_logger(__name__)


@periodic_task(crontab(hour="0", minute="17"))
def end_due_placements() -> int:
    """Daily: end the placements whose planned end date has passed, freeing their hours."""
    with (
        huey.lock_task("carenet.end-due-placements"),
        force_locale(current_settings().default_locale),
    ):
        ended = services.end_due_placements(db.session, dt.date.today())
    log.info("placements_ended_at_term", count=ended)
    return ended
