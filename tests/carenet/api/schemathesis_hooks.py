"""Authentication for the operator's schemathesis run (``test_schemathesis.py`` loads this
file into schemathesis' command line with ``hooks = <this file>``).

Every request carries the operator's token, except ``DELETE /api/v1/auth/tokens/current``:
that one revokes the token it is sent with, so each call gets a fresh token of a second
account, issued by logging in. Revoking the run's own token would turn every later
request into a 401, and checks such as unsupported_method, which expect another status,
would fail for a reason that is the harness's, not the API's.
"""

from __future__ import annotations

import os
from typing import Any

import requests
import schemathesis

REVOKE = ("DELETE", "/api/v1/auth/tokens/current")


# No caching (each case asks), and no re-login on a 401: the token is fixed.
@schemathesis.auth(refresh_interval=None, retry_on=[])
class OperatorToken:
    """The operator's bearer token, or a throwaway one for the revoking operation."""

    def get(self, case: Any, context: Any) -> str:
        """The token this case is sent with."""
        if (case.method.upper(), case.path) != REVOKE:
            return os.environ["CARENET_SCHEMATHESIS_TOKEN"]
        response = requests.post(
            os.environ["CARENET_SCHEMATHESIS_URL"] + "/api/v1/auth/tokens",
            json={
                "email": os.environ["CARENET_SCHEMATHESIS_REVOKER_EMAIL"],
                "password": os.environ["CARENET_SCHEMATHESIS_REVOKER_PASSWORD"],
            },
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["token"])

    def set(self, case: Any, data: str, context: Any) -> None:
        """Send it as ``Authorization: Bearer``."""
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
