"""Opaque bearer tokens: only their SHA-256 is stored; each worker caches what it read
of a valid token for a few seconds (``TokenCache``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TOKEN_PREFIX = "cn_"


def new_token() -> str:
    """A fresh random token, shown once to its owner."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


#: Seconds a worker trusts what it read of a token. A change made through this process
#: (revocation, a disabled account) empties the cache at once; one made elsewhere (another
#: worker or server, or SQL) takes effect within this many seconds.
CACHE_SECONDS = 5.0
#: A token's ``last_used_at`` is written at most this often.
USE_RESOLUTION_S = 60.0


@dataclass(frozen=True)
class CachedToken:
    """What a worker remembers of a valid token: the user is a detached copy that no
    session holds (each request merges it into its own)."""

    token_id: int
    user: Any
    expires_at: dt.datetime | None
    fetched_at: float


@dataclass
class TokenCache:
    """Valid tokens by digest, for ``seconds``; and when each token's use was last
    recorded by this worker."""

    seconds: float = CACHE_SECONDS
    clock: Callable[[], float] = time.monotonic
    _entries: dict[str, CachedToken] = field(default_factory=dict)
    _stamped: dict[str, dt.datetime] = field(default_factory=dict)

    def get(self, digest: str) -> CachedToken | None:
        """The token read at most ``seconds`` ago, or None."""
        entry = self._entries.get(digest)
        if entry is not None and self.clock() - entry.fetched_at > self.seconds:
            del self._entries[digest]
            return None
        return entry

    def put(self, digest: str, token_id: int, user: Any, expires_at: dt.datetime | None) -> None:
        """Remember a valid token and its (detached) user."""
        self._entries[digest] = CachedToken(token_id, user, expires_at, self.clock())

    def clear(self) -> None:
        """Forget every token (something they depend on changed)."""
        self._entries.clear()

    def use_is_due(self, digest: str, last_used_at: dt.datetime | None, now: dt.datetime) -> bool:
        """Whether to record this use: the last recorded one is ``USE_RESOLUTION_S`` old."""
        last = max(filter(None, (last_used_at, self._stamped.get(digest))), default=None)
        if last is not None and (now - last).total_seconds() <= USE_RESOLUTION_S:
            return False
        self._stamped[digest] = now
        return True


#: This worker's cache.
CACHE = TokenCache()
