"""The municipalities table, filled from the gazetteer shipped with the package."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from carenet.core.db import Base


class Municipality(Base):
    """An Italian comune, keyed by its ISTAT code.

    A comune that ceased (merged into another, incorporated) keeps its row, so that
    records made before still point somewhere: its point stays where its people live,
    and ``successor_istat`` names the comune it is now part of.
    """

    __tablename__ = "municipality"

    istat: Mapped[str] = mapped_column(sa.String(6), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    name_key: Mapped[str] = mapped_column(sa.String(100), index=True)
    province_code: Mapped[str] = mapped_column(sa.String(3))
    province: Mapped[str] = mapped_column(sa.String(2), index=True)
    region_code: Mapped[str] = mapped_column(sa.String(2), index=True)
    region: Mapped[str] = mapped_column(sa.String(60))
    lat: Mapped[float]
    lon: Mapped[float]
    successor_istat: Mapped[str | None] = mapped_column(
        sa.String(6), sa.ForeignKey("municipality.istat"), default=None
    )

    @property
    def is_ceased(self) -> bool:
        """Whether the comune has ceased (its successor is another comune)."""
        return self.successor_istat is not None

    def __repr__(self) -> str:
        return f"<Municipality {self.istat} {self.name} ({self.province})>"
