"""Referrals of a case from one organization to another, with the family's consent."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from carenet.core.db import Base, TimestampMixin
from carenet.core.vocab import sql_in

REFERRAL_STATUSES = ("pending", "accepted", "rejected", "completed", "revoked")


class Referral(TimestampMixin, Base):
    """A case (household, optionally one request) sent to another organization."""

    __tablename__ = "referral"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {sql_in(REFERRAL_STATUSES)}", name="status"),
        sa.CheckConstraint("consent_given", name="consent_required"),
        sa.CheckConstraint(
            "from_organization_id <> to_organization_id", name="different_organizations"
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR response_reason <> ''", name="rejection_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    to_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    household_id: Mapped[int] = mapped_column(
        sa.ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_request.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    consent_given: Mapped[bool]
    consent_recorded_at: Mapped[dt.datetime]
    consent_recorded_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    response_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
