"""legacy qualifications ADEST and OTA; "trained" read from matching.contract

The catalogue gains ADEST and OTA, the qualifications the OSS profile replaced in 2001,
marked ``is_legacy``. Which qualifications count as trained (CCNL level DS) is a contract
rule, defined once in ``matching.contract.TRAINED_QUALIFICATIONS``; the catalogue's own
``is_trained`` column, a second definition that disagreed with the engine's, is dropped.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The rows as they were when this migration was written (frozen, not imported).
LEGACY = {
    "adest": (
        "Assistente domiciliare e dei servizi tutelari (ADEST, qualifica sostituita dall'OSS "
        "nel 2001)",
        "Home-care and protective-services assistant (ADEST, legacy: replaced by OSS in 2001)",
    ),
    "ota": (
        "Operatore tecnico addetto all'assistenza (OTA, qualifica sostituita dall'OSS nel 2001)",
        "Care technical operator (OTA, legacy: replaced by OSS in 2001)",
    ),
}
# What 0001 seeded as trained, restored on the way down.
TRAINED_BEFORE = ("oss", "nurse")


def upgrade() -> None:
    with op.batch_alter_table("qualification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_legacy", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_column("is_trained")
    qualification = sa.table(
        "qualification",
        sa.column("code", sa.String),
        sa.column("name_it", sa.String),
        sa.column("name_en", sa.String),
        sa.column("is_legacy", sa.Boolean),
    )
    op.bulk_insert(
        qualification,
        [
            {"code": code, "name_it": it, "name_en": en, "is_legacy": True}
            for code, (it, en) in LEGACY.items()
        ],
    )


def downgrade() -> None:
    # Declarations and requests naming a legacy code go with it: the older catalogue
    # cannot name them.
    codes = sa.bindparam("codes", list(LEGACY), expanding=True)
    for table in ("assistant_qualification", "request_qualification"):
        op.execute(
            sa.text(f"DELETE FROM {table} WHERE qualification_code IN :codes").bindparams(codes)
        )
    op.execute(sa.text("DELETE FROM qualification WHERE code IN :codes").bindparams(codes))
    with op.batch_alter_table("qualification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_trained", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_column("is_legacy")
    trained = sa.bindparam("trained", list(TRAINED_BEFORE), expanding=True)
    op.execute(
        sa.text("UPDATE qualification SET is_trained = TRUE WHERE code IN :trained").bindparams(
            trained
        )
    )
    with op.batch_alter_table("qualification", schema=None) as batch_op:
        batch_op.alter_column("is_trained", server_default=None)
