"""Households, the people they care for, and needs assessments.

A recipient's self-sufficiency, conditions and assessments are special-category health
data: only the access layer decides who reads them, and every read is audited.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carenet.core.db import Base, TimestampMixin, utcnow
from carenet.core.vocab import AGE_BANDS, SELF_SUFFICIENCY, sql_in
from carenet.gazetteer.models import Municipality


class Household(TimestampMixin, Base):
    """A family: where care is needed and who to contact."""

    __tablename__ = "household"
    __table_args__ = (sa.CheckConstraint("(lat IS NULL) = (lon IS NULL)", name="lat_lon_together"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    contact_name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    municipality_id: Mapped[str] = mapped_column(sa.ForeignKey("municipality.istat"), index=True)
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    created_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    municipality: Mapped[Municipality] = relationship()
    recipients: Mapped[list[CareRecipient]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="CareRecipient.id"
    )


class CareRecipient(TimestampMixin, Base):
    """The person who needs care."""

    __tablename__ = "care_recipient"
    __table_args__ = (
        sa.CheckConstraint(f"age_band IN {sql_in(AGE_BANDS)}", name="age_band"),
        sa.CheckConstraint(
            f"self_sufficiency IN {sql_in(SELF_SUFFICIENCY)}", name="self_sufficiency"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        sa.ForeignKey("household.id", ondelete="CASCADE"), index=True
    )
    first_name: Mapped[str] = mapped_column(sa.String(100))
    age_band: Mapped[str] = mapped_column(sa.String(6))
    self_sufficiency: Mapped[str] = mapped_column(sa.String(24))

    household: Mapped[Household] = relationship(back_populates="recipients")
    conditions: Mapped[list[RecipientCondition]] = relationship(
        cascade="all, delete-orphan", order_by="RecipientCondition.condition"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        cascade="all, delete-orphan", order_by="Assessment.assessed_on"
    )


class RecipientCondition(Base):
    """A condition of the person cared for (health data)."""

    __tablename__ = "recipient_condition"

    recipient_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_recipient.id", ondelete="CASCADE"), primary_key=True
    )
    condition: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class Assessment(Base):
    """A needs assessment by an ASL or an Ente gestore (health data)."""

    __tablename__ = "assessment"
    __table_args__ = (
        sa.CheckConstraint("score >= 0 AND score <= 100", name="score"),
        sa.CheckConstraint(
            f"self_sufficiency IN {sql_in(SELF_SUFFICIENCY)}", name="self_sufficiency"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        sa.ForeignKey("care_recipient.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    assessed_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    assessed_on: Mapped[dt.date]
    self_sufficiency: Mapped[str] = mapped_column(sa.String(24))
    score: Mapped[int]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
