"""Guards for views and API routes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_login import current_user

from carenet.core.errors import Forbidden, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])


def login_required(view: F) -> F:
    """Require a logged-in user (session or bearer token)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            raise Unauthorized(_("Please log in to continue."))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[F], F]:
    """Require a logged-in user with one of ``roles``."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                raise Unauthorized(_("Please log in to continue."))
            if current_user.role not in roles:
                raise Forbidden(_("This page is not available to your role."))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
