"""Care requests: what a family needs, when, and from whom."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carenet.core.db import Base, TimestampMixin
from carenet.core.vocab import (
    ARRANGEMENTS,
    CCNL_LEVELS,
    GENDER_PREFERENCES,
    GENDERS,
    REQUEST_STATUSES,
    sql_in,
)
from carenet.families.models import CareRecipient
from carenet.organizations.models import Organization
from matching import contract

SCHEDULE_BYTES = 21

# CCNL lavoro domestico weekly limits (matching.contract, the one source the engine shares),
# enforced by the service and again by the database.
LIVE_IN_FULL_TIME_MAX_HOURS = contract.LIVE_IN_FULL_TIME_MAX_HOURS
LIVE_IN_PART_TIME_MAX_HOURS = contract.LIVE_IN_PART_TIME_MAX_HOURS
HOURLY_MAX_HOURS = contract.HOURLY_MAX_HOURS
NIGHT_MAX_HOURS = contract.NIGHT_MAX_HOURS


class CareRequest(TimestampMixin, Base):
    """A request for care for one recipient."""

    __tablename__ = "care_request"
    __table_args__ = (
        sa.CheckConstraint(f"arrangement IN {sql_in(ARRANGEMENTS)}", name="arrangement"),
        sa.CheckConstraint(f"status IN {sql_in(REQUEST_STATUSES)}", name="status"),
        sa.CheckConstraint(f"ccnl_level IN {sql_in(CCNL_LEVELS)}", name="ccnl_level"),
        sa.CheckConstraint(
            f"gender_preference IN {sql_in(GENDER_PREFERENCES)}", name="gender_preference"
        ),
        sa.CheckConstraint(f"gender IS NULL OR gender IN {sql_in(GENDERS)}", name="gender"),
        sa.CheckConstraint("gender_preference = 'none' OR gender IS NOT NULL", name="gender_given"),
        sa.CheckConstraint("max_distance_km > 0 AND max_distance_km <= 300", name="distance"),
        sa.CheckConstraint("duration_months IS NULL OR duration_months > 0", name="duration"),
        sa.CheckConstraint("budget_eur_month IS NULL OR budget_eur_month >= 0", name="budget"),
        sa.CheckConstraint(
            "weekly_hours > 0 AND ("
            f"(arrangement = 'hourly' AND weekly_hours <= {HOURLY_MAX_HOURS}) OR "
            f"(arrangement = 'night' AND weekly_hours <= {NIGHT_MAX_HOURS}) OR "
            f"(arrangement = 'live_in' AND live_in_part_time AND "
            f"weekly_hours <= {LIVE_IN_PART_TIME_MAX_HOURS}) OR "
            f"(arrangement = 'live_in' AND NOT live_in_part_time AND "
            f"weekly_hours <= {LIVE_IN_FULL_TIME_MAX_HOURS}))",
            name="contract_hours",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_recipient.id", ondelete="CASCADE"), index=True
    )
    arrangement: Mapped[str] = mapped_column(sa.String(10))
    live_in_part_time: Mapped[bool] = mapped_column(default=False)
    schedule: Mapped[bytes] = mapped_column(sa.LargeBinary(SCHEDULE_BYTES))
    weekly_hours: Mapped[int]
    start_date: Mapped[dt.date]
    duration_months: Mapped[int | None]
    gender_preference: Mapped[str] = mapped_column(sa.String(10), default="none")
    gender: Mapped[str | None] = mapped_column(sa.String(1))
    max_distance_km: Mapped[float]
    ccnl_level: Mapped[str] = mapped_column(sa.String(2))
    budget_eur_month: Mapped[int | None]
    has_voucher: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organization.id"), index=True
    )
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    recipient: Mapped[CareRecipient] = relationship()
    organization: Mapped[Organization | None] = relationship()
    qualifications: Mapped[list[RequestQualification]] = relationship(
        cascade="all, delete-orphan", order_by="RequestQualification.qualification_code"
    )
    languages: Mapped[list[RequestLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="RequestLanguage.language"
    )

    def qualification_codes(self, *, required: bool) -> list[str]:
        """Codes of the required (or preferred) qualifications."""
        return [q.qualification_code for q in self.qualifications if q.is_required == required]

    def language_codes(self, *, required: bool) -> list[str]:
        """Codes of the required (or preferred) languages."""
        return [lang.language for lang in self.languages if lang.is_required == required]


class RequestQualification(Base):
    """A qualification a request requires or prefers."""

    __tablename__ = "request_qualification"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_request.id", ondelete="CASCADE"), primary_key=True
    )
    qualification_code: Mapped[str] = mapped_column(
        sa.ForeignKey("qualification.code"), primary_key=True
    )
    is_required: Mapped[bool]


class RequestLanguage(Base):
    """A language a request requires or prefers."""

    __tablename__ = "request_language"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_request.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    is_required: Mapped[bool]
