"""The matching index as a collaborator of the application.

``create_app`` makes one :class:`LiveIndex` per application (``init_matching``) and the
routes pass it to the services. It is built at start, not on a first request: under
gunicorn with ``preload_app`` (``gunicorn.conf.py``) the master builds it before it forks
its workers, which then share its numpy columns' pages copy-on-write instead of each
building and holding its own. ``/readyz`` answers 503 while an index that a server was
to build at start is not built (the build failed, or it is still running), 200 after. An
app that is not built at start (tests, ``flask run``) builds its index on its first use.
"""

from __future__ import annotations

import gc
from typing import Any

import structlog
from flask import Blueprint, Flask, current_app

from carenet.core.db import db
from carenet.matchmaking.live import LiveIndex
from matching import Rules, Weights

log = structlog.get_logger(__name__)

EXTENSION = "carenet.matching"

bp = Blueprint("readiness", __name__)


def init_matching(app: Flask) -> LiveIndex:
    """The application's index (not built yet), with the weights of its configuration,
    and the readiness route that reports it."""
    weights = app.config.get("MATCHING_WEIGHTS") or {}
    live = LiveIndex(rules=Rules(weights=Weights(**weights)))
    app.extensions[EXTENSION] = live
    app.register_blueprint(bp)
    return live


def live_index(app: Flask | None = None) -> LiveIndex:
    """The index of ``app`` (by default the current one), for routes to pass on."""
    return (app or current_app).extensions[EXTENSION]  # type: ignore[no-any-return]


def build_at_start(app: Flask) -> None:
    """Build the index now, in this process, then let go of the database connections
    (a forked worker must not share its parent's) and move everything alive into the
    collector's permanent generation, so that collections in the workers do not write
    to the shared pages."""
    live = live_index(app)
    live.at_start = True
    with app.app_context():
        try:
            live.refresh(db.session)
        except Exception:  # the server still starts: /readyz says 503, a match retries
            log.exception("matching.index_build_failed")
        finally:
            db.session.close()
            for engine in db.engines.values():
                engine.dispose()
    gc.freeze()
    log.info("matching.index_ready", ready=live.ready, assistants=live.stats.size)


@bp.get("/readyz")
def readyz() -> tuple[dict[str, Any], int]:
    """Readiness for the load balancer: 200 once the matching index is built, else 503."""
    live = live_index()
    if not live.ready:
        status = 503 if live.at_start else 200  # otherwise built on the first match
        return {
            "status": "loading" if live.at_start else "ready",
            "matching_index": {"ready": False},
        }, status
    stats = live.stats
    index = {
        "ready": True,
        "assistants": stats.size,
        "builds": stats.builds,
        "last_build_seconds": round(stats.last_build_seconds, 3),
    }
    return {"status": "ready", "matching_index": index}, 200
