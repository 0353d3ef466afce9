"""The baseline of the HTTP benchmark: a bare Flask app with one small JSON route.

Served by gunicorn exactly like the real app (``gunicorn benchmarks._bare_app:app``), so
the difference between the two is what carenet does per request: auth, access, the
database, the index query, serialisation, the audit row and the request log.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

app = Flask(__name__)


@app.get("/healthz")
def healthz() -> dict[str, Any]:
    """Liveness, as the real app answers it."""
    return {"status": "ok"}


@app.get("/api/v1/ping/<int:item_id>")
def ping(item_id: int) -> dict[str, Any]:
    """A small JSON document that depends on the URL."""
    return {"id": item_id, "status": "ok", "items": [1, 2, 3]}
