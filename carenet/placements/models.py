"""Placements, and the busy hours that make double-booking impossible in the database."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from carenet.core.db import Base, TimestampMixin
from carenet.core.vocab import ARRANGEMENTS, CCNL_LEVELS, sql_in

PLACEMENT_STATUSES = ("active", "ended")
SCHEDULE_BYTES = 21
HOURS_PER_WEEK = 168


class Placement(TimestampMixin, Base):
    """An assistant working for a family: from a request, with its contract terms."""

    __tablename__ = "placement"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {sql_in(PLACEMENT_STATUSES)}", name="status"),
        sa.CheckConstraint(f"ccnl_level IN {sql_in(CCNL_LEVELS)}", name="ccnl_level"),
        sa.CheckConstraint(f"arrangement IN {sql_in(ARRANGEMENTS)}", name="arrangement"),
        sa.CheckConstraint("weekly_hours > 0 AND weekly_hours <= 54", name="weekly_hours"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        sa.CheckConstraint(
            "(status = 'ended') = (ended_at IS NOT NULL)", name="ended_consistently"
        ),
        sa.CheckConstraint(
            "family_rating IS NULL OR (family_rating >= 1 AND family_rating <= 5)",
            name="family_rating",
        ),
        sa.CheckConstraint(
            "assistant_rating IS NULL OR (assistant_rating >= 1 AND assistant_rating <= 5)",
            name="assistant_rating",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_request.id", ondelete="CASCADE"), index=True
    )
    assistant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistant.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL")
    )
    arrangement: Mapped[str] = mapped_column(sa.String(10))
    ccnl_level: Mapped[str] = mapped_column(sa.String(2))
    weekly_hours: Mapped[int]
    schedule: Mapped[bytes] = mapped_column(sa.LargeBinary(SCHEDULE_BYTES))
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(sa.String(10), default="active", index=True)
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str] = mapped_column(sa.Text, default="")
    family_rating: Mapped[int | None]
    family_feedback: Mapped[str] = mapped_column(sa.Text, default="")
    assistant_rating: Mapped[int | None]
    assistant_feedback: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )


class PlacementSlot(Base):
    """One hour of the week an assistant is taken by an active placement.

    The primary key (assistant, hour) is the database's guarantee against double-booking
    on every backend: a second active placement in an overlapping hour cannot be inserted.
    A live-in placement takes all 168 hours. Rows are deleted when the placement ends.
    """

    __tablename__ = "placement_slot"
    __table_args__ = (sa.CheckConstraint(f"slot >= 0 AND slot < {HOURS_PER_WEEK}", name="slot"),)

    assistant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistant.id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True, autoincrement=False)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
