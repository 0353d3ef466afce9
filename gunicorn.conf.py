"""gunicorn's settings for carenet, used by ``make run``, the tests' servers
(``tests/servers.py``) and the benchmarks; gunicorn also reads this file by default when
started from the repository's root.

Command-line options (workers, bind) still win over these.
"""

from __future__ import annotations

import json
import socket

import gunicorn.util

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
