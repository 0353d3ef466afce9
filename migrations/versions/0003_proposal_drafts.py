"""proposal drafts: bulk-assignment output reviewed before it is sent

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 09:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_OLD = "status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')"
_NEW = "status IN ('draft', 'pending', 'accepted', 'declined', 'expired', 'withdrawn')"


def upgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("job_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposal_job_id_job"), "job", ["job_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.drop_constraint(batch_op.f("ck_proposal_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_proposal_status"), _NEW)


def downgrade() -> None:
    # Drafts never reached a family: they are removed rather than guessed into a status.
    op.execute("DELETE FROM proposal WHERE status = 'draft'")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_proposal_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_proposal_status"), _OLD)
        batch_op.drop_constraint(batch_op.f("fk_proposal_job_id_job"), type_="foreignkey")
        batch_op.drop_column("job_id")
        batch_op.drop_column("sent_at")
