"""Flask extensions, created unbound and bound in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from carenet.core.db import db

babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()

__all__ = ["babel", "csrf", "db", "login_manager"]
