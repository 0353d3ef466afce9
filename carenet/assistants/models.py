"""The register of family assistants and the qualification catalogue."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carenet.core.db import Base, TimestampMixin, utcnow
from carenet.core.vocab import (
    ASSISTANT_STATUSES,
    DOCUMENT_KINDS,
    GENDERS,
    LANGUAGE_LEVELS,
    sql_in,
)
from carenet.gazetteer.models import Municipality
from matching import contract

SCHEDULE_BYTES = 21  # 168 hourly slots, one bit each


class Qualification(Base):
    """An entry of the qualification catalogue (OSS, OSA, first aid...).

    Whether it makes an assistant trained (CCNL level DS) is a contract rule, not a
    column: ``matching.contract.TRAINED_QUALIFICATIONS``, shared with the engine.
    """

    __tablename__ = "qualification"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name_it: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    #: Issued no more: replaced by a newer qualification (ADEST and OTA by OSS, 2001).
    is_legacy: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    @property
    def is_trained(self) -> bool:
        """Whether it makes an assistant trained (CCNL level DS), by the contract rules."""
        return contract.is_trained([self.code])


def qualification_counts(verified_at: dt.datetime | None, assistant_status: str) -> bool:
    """Whether a declared qualification counts (for matching and placements): once checked,
    by itself, or with the whole profile when an operator verified the assistant."""
    return verified_at is not None or assistant_status == "verified"


class Assistant(TimestampMixin, Base):
    """A family assistant's profile in the register."""

    __tablename__ = "assistant"
    __table_args__ = (
        sa.CheckConstraint(f"status IN {sql_in(ASSISTANT_STATUSES)}", name="status"),
        sa.CheckConstraint(f"gender IN {sql_in(GENDERS)}", name="gender"),
        sa.CheckConstraint("travel_radius_km > 0 AND travel_radius_km <= 300", name="radius"),
        sa.CheckConstraint("years_experience >= 0 AND years_experience <= 70", name="experience"),
        sa.CheckConstraint("birth_year >= 1900", name="birth_year"),
        sa.CheckConstraint("(lat IS NULL) = (lon IS NULL)", name="lat_lon_together"),
        sa.CheckConstraint(
            "accepts_live_in OR accepts_hourly OR accepts_night", name="some_arrangement"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    display_name: Mapped[str] = mapped_column(sa.String(120))
    gender: Mapped[str] = mapped_column(sa.String(1))
    birth_year: Mapped[int]
    nationality: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    municipality_id: Mapped[str] = mapped_column(sa.ForeignKey("municipality.istat"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    travel_radius_km: Mapped[float]
    accepts_live_in: Mapped[bool] = mapped_column(default=False)
    accepts_hourly: Mapped[bool] = mapped_column(default=False)
    accepts_night: Mapped[bool] = mapped_column(default=False)
    availability: Mapped[bytes] = mapped_column(sa.LargeBinary(SCHEDULE_BYTES))
    available_from: Mapped[dt.date]
    years_experience: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending", index=True)
    verified_at: Mapped[dt.datetime | None]
    verified_by_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))
    verified_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")

    municipality: Mapped[Municipality] = relationship()
    languages: Mapped[list[AssistantLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="AssistantLanguage.language"
    )
    qualifications: Mapped[list[AssistantQualification]] = relationship(
        cascade="all, delete-orphan", order_by="AssistantQualification.qualification_code"
    )
    conditions: Mapped[list[AssistantCondition]] = relationship(
        cascade="all, delete-orphan", order_by="AssistantCondition.condition"
    )
    documents: Mapped[list[AssistantDocument]] = relationship(
        cascade="all, delete-orphan", order_by="AssistantDocument.id"
    )

    @property
    def arrangements(self) -> list[str]:
        """The accepted arrangements as codes."""
        flags = (
            ("live_in", self.accepts_live_in),
            ("hourly", self.accepts_hourly),
            ("night", self.accepts_night),
        )
        return [code for code, accepted in flags if accepted]


class AssistantLanguage(Base):
    """A language an assistant speaks, with a CEFR level or "native"."""

    __tablename__ = "assistant_language"
    __table_args__ = (sa.CheckConstraint(f"level IN {sql_in(LANGUAGE_LEVELS)}", name="level"),)

    assistant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistant.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    level: Mapped[str] = mapped_column(sa.String(6))


class AssistantCondition(Base):
    """A condition the assistant has experience with (dementia, Parkinson's...)."""

    __tablename__ = "assistant_condition"

    assistant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistant.id", ondelete="CASCADE"), primary_key=True
    )
    condition: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class AssistantQualification(Base):
    """A qualification an assistant declared; an operator verifies it."""

    __tablename__ = "assistant_qualification"
    __table_args__ = (
        sa.UniqueConstraint("assistant_id", "qualification_code"),
        sa.CheckConstraint("expires_on IS NULL OR expires_on > issued_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assistant_id: Mapped[int] = mapped_column(sa.ForeignKey("assistant.id", ondelete="CASCADE"))
    qualification_code: Mapped[str] = mapped_column(sa.ForeignKey("qualification.code"))
    issued_on: Mapped[dt.date]
    expires_on: Mapped[dt.date | None]
    verified_at: Mapped[dt.datetime | None]
    verified_by_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))
    verified_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    qualification: Mapped[Qualification] = relationship()

    def is_valid_on(self, day: dt.date) -> bool:
        """Whether it was issued by and has not expired on ``day``."""
        return self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)


class AssistantDocument(Base):
    """An identity or residence document; only its kind and expiry are kept."""

    __tablename__ = "assistant_document"
    __table_args__ = (sa.CheckConstraint(f"kind IN {sql_in(DOCUMENT_KINDS)}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assistant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assistant.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(30))
    expires_on: Mapped[dt.date | None]
    verified_at: Mapped[dt.datetime | None]
    verified_by_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"))
