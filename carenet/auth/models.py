"""Accounts and API tokens."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from carenet.core.db import Base, utcnow
from carenet.core.vocab import LOCALES, ROLES, sql_in

if TYPE_CHECKING:
    from carenet.organizations.models import Organization


def fold_email(value: str) -> str:
    """An e-mail address in the one form accounts are stored and looked up by.

    NFKC, case folding, NFKC again (Unicode's recipe for caseless matching of
    identifiers), so that "\uff46amiglia@X.it", "FAMIGLIA@x.it" and "famiglia@x.it" are
    one address and cannot become two accounts.
    """
    text = unicodedata.normalize("NFKC", (value or "").strip())
    return unicodedata.normalize("NFKC", text.casefold())


class User(Base):
    """A person who logs in: a family member, an assistant, an operator or an admin."""

    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(f"role IN {sql_in(ROLES)}", name="role"),
        sa.CheckConstraint(
            "(role = 'operator') = (organization_id IS NOT NULL)", name="operator_organization"
        ),
        sa.CheckConstraint(f"locale IN {sql_in(LOCALES)}", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    locale: Mapped[str] = mapped_column(sa.String(5), default="it")
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organization.id"), index=True
    )
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # Rotated on logout and password change: sessions carry it, so old ones stop working.
    session_token: Mapped[str] = mapped_column(sa.String(64))
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization | None] = relationship()

    @validates("email")
    def _fold_email(self, _key: str, value: str) -> str:
        """Every writer stores the folded address, whatever path it came by."""
        return fold_email(value)

    # flask-login protocol
    @property
    def is_active(self) -> bool:
        """Whether the account may log in."""
        return self.is_enabled

    @property
    def is_authenticated(self) -> bool:
        """Always true for a loaded account."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Always false for a loaded account."""
        return False

    def get_id(self) -> str:
        """The session identity: the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(Base):
    """A bearer token for an organization's system, acting as one operator account."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class RateLimitWindow(Base):
    """One window of one rate limit: its hits so far and when it ends.

    Rows are written by ``carenet.auth.ratelimit.DatabaseStorage``, Flask-Limiter's storage
    over the application's database, so every worker and server counts the same hits.
    ``expires_at`` is in seconds since the epoch, as the ``limits`` library counts time.
    """

    __tablename__ = "rate_limit"
    __table_args__ = (sa.CheckConstraint("hits >= 0", name="hits"),)

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    hits: Mapped[int]
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
