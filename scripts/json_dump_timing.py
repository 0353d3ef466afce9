"""Time two ways of writing the JSON of a register page (20 assistants).

    carenet init && carenet demo load --if-empty          # any database with 20 profiles
    git show 18c34aa:carenet/assistants/schemas.py > /tmp/prev_schemas.py
    python scripts/json_dump_timing.py /tmp/prev_schemas.py

Ways: the presenter's dicts alone (what a route that bypasses the schema sends, like the
match endpoint); the presenter's dicts dumped by the response schema (what flask-smorest
does with every other route); and, given the schemas.py of commit 18c34aa, ORM rows
dumped by schemas whose ``pre_dump`` hooks built the dicts (the assistants feature's way
until then). Prints the best of 15 rounds of 20 dumps, in CPU milliseconds per page.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import timeit
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from carenet import create_app
from carenet.assistants import presenters, schemas
from carenet.assistants.models import Assistant
from carenet.assistants.services.register import profile_options
from carenet.core.db import db

CPU = time.process_time  # this process's CPU time: steadier than wall time on a busy machine


def _previous_schemas(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("previous_schemas", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(previous: str | None) -> None:
    app = create_app()
    with app.test_request_context("/api/v1/assistants"):
        stmt = sa.select(Assistant).options(*profile_options()).order_by(Assistant.id).limit(20)
        rows = list(db.session.scalars(stmt))
        schema = schemas.AssistantSchema(many=True)
        ways: dict[str, Callable[[], Any]] = {
            "presenter dicts alone": lambda: [presenters.present_assistant(a) for a in rows],
            "presenter dicts dumped by the response schema": lambda: schema.dump(
                [presenters.present_assistant(a) for a in rows]
            ),
        }
        if previous:
            old = _previous_schemas(previous).AssistantSchema(many=True)
            ways["ORM rows dumped through pre_dump hooks"] = lambda: old.dump(rows)
            same = json.dumps(old.dump(rows), default=str) == json.dumps(
                ways["presenter dicts dumped by the response schema"](), default=str
            )
            print(f"the same JSON both ways: {same}")
        best = {name: float("inf") for name in ways}
        for _round in range(15):  # interleaved, so a busy machine slows every way alike
            for name, fn in ways.items():
                best[name] = min(best[name], timeit.timeit(fn, number=20, timer=CPU) / 20)
        for name, seconds in best.items():
            print(f"{seconds * 1000:7.2f} ms per page of {len(rows)}  {name}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
