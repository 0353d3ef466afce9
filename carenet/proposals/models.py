"""Proposals: an assistant put forward for a care request, and each side's answer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carenet.core.db import Base, TimestampMixin
from carenet.core.vocab import sql_in

if TYPE_CHECKING:
    from carenet.assistants.models import Assistant
    from carenet.care_requests.models import CareRequest

PROPOSAL_STATUSES = ("draft", "pending", "accepted", "declined", "expired", "withdrawn")
ANSWERS = ("accepted", "declined")


class Proposal(TimestampMixin, Base):
    """One ranked candidate proposed to a family, with the score that ranked it."""

    __tablename__ = "proposal"
    __table_args__ = (
        sa.UniqueConstraint("request_id", "assistant_id"),
        sa.CheckConstraint(f"status IN {sql_in(PROPOSAL_STATUSES)}", name="status"),
        sa.CheckConstraint(
            f"family_answer IS NULL OR family_answer IN {sql_in(ANSWERS)}", name="family_answer"
        ),
        sa.CheckConstraint(
            f"assistant_answer IS NULL OR assistant_answer IN {sql_in(ANSWERS)}",
            name="assistant_answer",
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1", name="score"),
        sa.CheckConstraint("distance_km >= 0", name="distance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_request.id", ondelete="CASCADE"), index=True
    )
    assistant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistant.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))
    proposed_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    score: Mapped[float]
    components: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    distance_km: Mapped[float]
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    family_answer: Mapped[str | None] = mapped_column(sa.String(10))
    family_reason: Mapped[str] = mapped_column(sa.Text, default="")
    family_answered_at: Mapped[dt.datetime | None]
    assistant_answer: Mapped[str | None] = mapped_column(sa.String(10))
    assistant_reason: Mapped[str] = mapped_column(sa.Text, default="")
    assistant_answered_at: Mapped[dt.datetime | None]
    interview_at: Mapped[dt.datetime | None]
    interview_notes: Mapped[str] = mapped_column(sa.Text, default="")
    expires_at: Mapped[dt.datetime | None]
    # Set when the proposal leaves "draft" (a bulk run's output the operator reviewed).
    sent_at: Mapped[dt.datetime | None]
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job.id", ondelete="SET NULL"))

    assistant: Mapped[Assistant] = relationship(lazy="joined", viewonly=True)
    request: Mapped[CareRequest] = relationship(viewonly=True)
