"""former comuni: a ceased comune's row points to the comune that took it over

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.add_column(sa.Column("successor_istat", sa.String(length=6), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_municipality_successor_istat_municipality"),
            "municipality",
            ["successor_istat"],
            ["istat"],
        )


def downgrade() -> None:
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_municipality_successor_istat_municipality"), type_="foreignkey"
        )
        batch_op.drop_column("successor_istat")
