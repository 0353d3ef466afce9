"""Background jobs whose progress operators follow (bulk assignment), and the change log
that keeps every process's matching index fresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from carenet.core.db import Base, TimestampMixin, utcnow
from carenet.core.vocab import sql_in

JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(TimestampMixin, Base):
    """A long task run by the job queue, with its progress and result."""

    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {sql_in(JOB_STATUSES)}", name="status"),
        sa.CheckConstraint("done >= 0 AND (total IS NULL OR done <= total)", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(10), default="queued", index=True)
    total: Mapped[int | None]
    done: Mapped[int] = mapped_column(default=0)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))


class AssistantChange(Base):
    """An assistant whose matching inputs changed, appended in the same transaction.

    Every app server polls this log (by increasing id) before matching and reloads the
    assistants it names, so a change committed anywhere reaches every index.
    """

    __tablename__ = "assistant_change"

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    assistant_id: Mapped[int] = mapped_column(index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
