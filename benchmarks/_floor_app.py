"""A floor for the match endpoint: the least work any implementation of it must do.

Served by gunicorn exactly like the real app and the bare one, on the same database, with
the same URLs and token. Each call does only what the issue makes unavoidable, in the
cheapest form this stack offers:

- one SQL round trip to authenticate the bearer token (raw psycopg, no ORM, no pool);
- the engine's top-20 query with every component, on an index built once per worker;
- one SQL round trip to append the audit row in autocommit (a read of a case that uses
  the recipient's health information must leave one, committed before the answer);
- ``json.dumps`` of the ranked list.

It skips work the real endpoint cannot skip, so it bounds the real endpoint's throughput
from above: the request's demand is read once at start-up and never again (no access
check, no re-read of a changed request), the index is never refreshed from the change
log, there are no proposal statuses, no request log and no error handling. If even this
app cannot reach a given share of the bare app's throughput, no implementation of the
endpoint in Python with this engine can, on this machine.

``CARENET_DATABASE_URL`` is the SQLAlchemy URL of the benchmark's database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from typing import Any

import psycopg
import sqlalchemy as sa
from flask import Flask, Response, abort, request

app = Flask(__name__)
_lock = threading.Lock()
_state: dict[str, Any] = {}

TOKEN_SQL = (
    "SELECT u.id, u.organization_id FROM api_token t JOIN user_account u ON u.id = t.user_id"
    " WHERE t.token_hash = %s AND t.revoked_at IS NULL"
    " AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.is_enabled"
)
AUDIT_SQL = (
    "INSERT INTO audit_event (at, actor_user_id, organization_id, action, entity_type,"
    " entity_id, request_id, data) VALUES (now(), %s, %s, 'health.read',"
    " 'care_recipient', %s, NULL, %s)"
)


def _conninfo(url: str) -> dict[str, Any]:
    parsed = sa.make_url(url)
    info: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port or 5432,
        "user": parsed.username,
        "dbname": parsed.database,
    }
    if parsed.password:
        info["password"] = parsed.password
    if "options" in parsed.query:
        info["options"] = parsed.query["options"]
    return info


def _setup() -> dict[str, Any]:
    """Per worker, on first use: the index, the demands, the names, one connection."""
    with _lock:
        if _state:
            return _state
        from sqlalchemy.orm import Session

        from carenet import models  # noqa: F401  (every mapper)
        from carenet.assistants.models import Assistant
        from carenet.care_requests.models import CareRequest
        from carenet.gazetteer.models import Municipality
        from carenet.matchmaking.adapter import demand_for, load_candidates
        from matching import MatchIndex

        url = os.environ["CARENET_DATABASE_URL"]
        engine = sa.create_engine(url)
        with Session(engine) as session:
            index = MatchIndex().fit(load_candidates(session))
            requests = list(session.scalars(sa.select(CareRequest)))
            demands = {r.id: demand_for(session, r) for r in requests}
            recipients = {r.id: r.recipient_id for r in requests}
            names = {
                row.id: row
                for row in session.execute(
                    sa.select(
                        Assistant.id,
                        Assistant.display_name,
                        Municipality.name.label("municipality"),
                        Municipality.province,
                        Municipality.lat,
                        Municipality.lon,
                    ).join(Municipality, Municipality.istat == Assistant.municipality_id)
                )
            }
        engine.dispose()
        _state.update(
            index=index,
            demands=demands,
            recipients=recipients,
            names=names,
            conn=psycopg.connect(**_conninfo(url), autocommit=True),
        )
        return _state


@app.get("/healthz")
def healthz() -> dict[str, Any]:
    """Liveness, as the real app answers it."""
    return {"status": "ok"}


@app.get("/api/v1/care-requests/<int:request_id>/matches")
def matches(request_id: int) -> Response:
    """Authenticate, rank, audit, answer: nothing more."""
    state = _setup()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        abort(401)
    conn = state["conn"]
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    user = conn.execute(TOKEN_SQL, (digest,), prepare=True).fetchone()
    if user is None:
        abort(401)
    demand = state["demands"].get(request_id)
    if demand is None:
        abort(404)
    k = int(request.args.get("k", 20))
    ranked = state["index"].rank(demand, k=k)
    names = state["names"]
    items = []
    for rank, m in enumerate(ranked, start=1):
        row = names[m.id]
        items.append(
            {
                "rank": rank,
                "assistant_id": m.id,
                "display_name": row.display_name,
                "score": m.score,
                "distance_km": m.distance_km,
                "components": dict(m.components),
                "place": {
                    "municipality": row.municipality,
                    "province": row.province,
                    "lat": row.lat,
                    "lon": row.lon,
                },
            }
        )
    data = json.dumps(
        {
            "fields": ["self_sufficiency", "conditions"],
            "via": "match",
            "care_request_id": request_id,
            "returned": len(items),
        }
    )
    recipient = str(state["recipients"][request_id])
    conn.execute(AUDIT_SQL, (user[0], user[1], recipient, data), prepare=True)
    body = {
        "request_id": request_id,
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "items": items,
    }
    return Response(json.dumps(body), mimetype="application/json")
