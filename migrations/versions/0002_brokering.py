"""brokering tables: proposals, placements, referrals, notifications, jobs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 07:17:45.257103
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_change",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_change")),
    )
    with op.batch_alter_table("assistant_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assistant_change_assistant_id"), ["assistant_id"], unique=False
        )

    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_job_status")
        ),
        sa.CheckConstraint(
            "done >= 0 AND (total IS NULL OR done <= total)", name=op.f("ck_job_progress")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_job_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_job_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_status"), ["status"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index("ix_notification_user_unread", ["user_id", "read_at"], unique=False)

    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("distance_km", sa.Double(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("family_answer", sa.String(length=10), nullable=True),
        sa.Column("family_reason", sa.Text(), nullable=False),
        sa.Column("family_answered_at", sa.DateTime(), nullable=True),
        sa.Column("assistant_answer", sa.String(length=10), nullable=True),
        sa.Column("assistant_reason", sa.Text(), nullable=False),
        sa.Column("assistant_answered_at", sa.DateTime(), nullable=True),
        sa.Column("interview_at", sa.DateTime(), nullable=True),
        sa.Column("interview_notes", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "assistant_answer IS NULL OR assistant_answer IN ('accepted', 'declined')",
            name=op.f("ck_proposal_assistant_answer"),
        ),
        sa.CheckConstraint(
            "family_answer IS NULL OR family_answer IN ('accepted', 'declined')",
            name=op.f("ck_proposal_family_answer"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')",
            name=op.f("ck_proposal_status"),
        ),
        sa.CheckConstraint("distance_km >= 0", name=op.f("ck_proposal_distance")),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_proposal_score")),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_proposal_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_proposal_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_proposed_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["care_request.id"],
            name=op.f("fk_proposal_request_id_care_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
        sa.UniqueConstraint(
            "request_id", "assistant_id", name=op.f("uq_proposal_request_id_assistant_id")
        ),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_assistant_id"), ["assistant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proposal_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_status"), ["status"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_organization_id", sa.Integer(), nullable=False),
        sa.Column("to_organization_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("consent_given", sa.Boolean(), nullable=False),
        sa.Column("consent_recorded_at", sa.DateTime(), nullable=False),
        sa.Column("consent_recorded_by_user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("response_reason", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status <> 'rejected' OR response_reason <> ''",
            name=op.f("ck_referral_rejection_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected', 'completed', 'revoked')",
            name=op.f("ck_referral_status"),
        ),
        sa.CheckConstraint("consent_given", name=op.f("ck_referral_consent_required")),
        sa.CheckConstraint(
            "from_organization_id <> to_organization_id",
            name=op.f("ck_referral_different_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["consent_recorded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_referral_consent_recorded_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_referral_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_organization_id"],
            ["organization.id"],
            name=op.f("fk_referral_from_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_referral_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["care_request.id"],
            name=op.f("fk_referral_request_id_care_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_organization_id"],
            ["organization.id"],
            name=op.f("fk_referral_to_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_from_organization_id"), ["from_organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referral_to_organization_id"), ["to_organization_id"], unique=False
        )

    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("arrangement", sa.String(length=10), nullable=False),
        sa.Column("ccnl_level", sa.String(length=2), nullable=False),
        sa.Column("weekly_hours", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.LargeBinary(length=21), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=False),
        sa.Column("family_rating", sa.Integer(), nullable=True),
        sa.Column("family_feedback", sa.Text(), nullable=False),
        sa.Column("assistant_rating", sa.Integer(), nullable=True),
        sa.Column("assistant_feedback", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(status = 'ended') = (ended_at IS NOT NULL)",
            name=op.f("ck_placement_ended_consistently"),
        ),
        sa.CheckConstraint(
            "arrangement IN ('live_in', 'hourly', 'night')", name=op.f("ck_placement_arrangement")
        ),
        sa.CheckConstraint(
            "ccnl_level IN ('BS', 'CS', 'DS')", name=op.f("ck_placement_ccnl_level")
        ),
        sa.CheckConstraint("status IN ('active', 'ended')", name=op.f("ck_placement_status")),
        sa.CheckConstraint(
            "assistant_rating IS NULL OR (assistant_rating >= 1 AND assistant_rating <= 5)",
            name=op.f("ck_placement_assistant_rating"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_placement_dates")
        ),
        sa.CheckConstraint(
            "family_rating IS NULL OR (family_rating >= 1 AND family_rating <= 5)",
            name=op.f("ck_placement_family_rating"),
        ),
        sa.CheckConstraint(
            "weekly_hours > 0 AND weekly_hours <= 54", name=op.f("ck_placement_weekly_hours")
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_placement_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_placement_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_placement_proposal_id_proposal"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["care_request.id"],
            name=op.f("fk_placement_request_id_care_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_assistant_id"), ["assistant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_placement_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_status"), ["status"], unique=False)

    op.create_table(
        "placement_slot",
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("slot >= 0 AND slot < 168", name=op.f("ck_placement_slot_slot")),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_placement_slot_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_placement_slot_placement_id_placement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assistant_id", "slot", name=op.f("pk_placement_slot")),
    )
    with op.batch_alter_table("placement_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_placement_slot_placement_id"), ["placement_id"], unique=False
        )

    with op.batch_alter_table("assistant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("status_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assistant_verified_by_user_id_user_account"),
            "user_account",
            ["verified_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("assistant", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assistant_verified_by_user_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("status_reason")
        batch_op.drop_column("verified_by_user_id")

    with op.batch_alter_table("placement_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_slot_placement_id"))

    op.drop_table("placement_slot")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_status"))
        batch_op.drop_index(batch_op.f("ix_placement_request_id"))
        batch_op.drop_index(batch_op.f("ix_placement_assistant_id"))

    op.drop_table("placement")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_to_organization_id"))
        batch_op.drop_index(batch_op.f("ix_referral_status"))
        batch_op.drop_index(batch_op.f("ix_referral_household_id"))
        batch_op.drop_index(batch_op.f("ix_referral_from_organization_id"))

    op.drop_table("referral")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_status"))
        batch_op.drop_index(batch_op.f("ix_proposal_request_id"))
        batch_op.drop_index(batch_op.f("ix_proposal_assistant_id"))

    op.drop_table("proposal")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_unread")

    op.drop_table("notification")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_status"))

    op.drop_table("job")
    with op.batch_alter_table("assistant_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistant_change_assistant_id"))

    op.drop_table("assistant_change")
