"""gunicorn's settings for carenet, used by ``make run``, the tests' servers
(``tests/servers.py``) and the benchmarks; gunicorn also reads this file by default when
started from the repository's root.

Command-line options (workers, bind) still win over these.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import gunicorn.util

# The app is loaded, and its matching index built, in the master before it forks the
# workers: they start ready and share the index's pages copy-on-write, so memory does not
# grow with the number of workers (issue 12). ``when_ready`` runs after the preload and
# before the first fork.
preload_app = True
# A worker rebuilds its whole index inside a request after a bulk load asks for it
# (``freshness.mark_all``): seconds at 1,000,000 assistants, more on a loaded machine.
# gunicorn's default of 30 s could kill that request's worker mid-build.
timeout = 120


def when_ready(server: Any) -> None:
    """Build the matching index in the master, once, before the workers are forked."""
    if not server.cfg.preload_app:
        return  # each worker builds its own on its first match
    from carenet.matchmaking.index import EXTENSION, build_at_start

    app = server.app.wsgi()
    if EXTENSION not in getattr(app, "extensions", {}):
        return  # not carenet: the benchmarks' bare and floor apps are served with this file
    build_at_start(app)


# Request lines up to gunicorn's maximum (8190 bytes, as much as one header may hold)
# reach the app, which answers them in its own JSON (404, 422...). Only longer ones get
# gunicorn's 414, rendered as JSON below.
limit_request_line = 8190

# gunicorn answers some requests itself, before the app sees them: a request line or
# headers too long (414, 431) or unreadable (400). Its page is HTML; clients of the API
# expect carenet's error shape, documented in the OpenAPI document, so it is rendered as
# that JSON instead. gunicorn has no hook for this: the function that writes the page is
# replaced (tests/carenet/core/test_gunicorn_conf.py holds its signature and output).
_CODES = {
    400: "bad_request",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    500: "server_error",
    501: "not_implemented",
}


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Write gunicorn's own error answer as ``{"error", "message", "details"}``."""
    body = json.dumps(
        {"error": _CODES.get(status_int, "error"), "message": mesg or reason, "details": {}}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "\r\n"
    )
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + body)


gunicorn.util.write_error = write_json_error
