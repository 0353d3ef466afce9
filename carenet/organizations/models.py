"""Organizations of the network and their territories."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from carenet.core.db import Base, utcnow
from carenet.core.vocab import ORGANIZATION_KINDS, sql_in
from carenet.gazetteer.models import Municipality

organization_territory = sa.Table(
    "organization_territory",
    Base.metadata,
    sa.Column(
        "organization_id",
        sa.ForeignKey("organization.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("istat", sa.ForeignKey("municipality.istat"), primary_key=True, index=True),
)


class Organization(Base):
    """A CPI, Ente gestore, ASL, Comune, accredited agency or the Region."""

    __tablename__ = "organization"
    __table_args__ = (sa.CheckConstraint(f"kind IN {sql_in(ORGANIZATION_KINDS)}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    territory: Mapped[list[Municipality]] = relationship(
        secondary=organization_territory, order_by=Municipality.istat
    )

    def __repr__(self) -> str:
        return f"<Organization {self.code} {self.kind}>"
