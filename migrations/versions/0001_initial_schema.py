"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 06:29:49.880022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The catalogue as it was when this migration was written (frozen, not imported).
QUALIFICATIONS = {
    "oss": ("Operatore socio-sanitario (OSS)", "Social-health worker (OSS)", True),
    "osa": ("Operatore socio-assistenziale (OSA)", "Social-care worker (OSA)", False),
    "assistente_familiare": (
        "Attestato regionale di assistente familiare",
        "Regional family-assistant certificate",
        False,
    ),
    "nurse": ("Infermiere", "Nurse", True),
    "first_aid": ("Primo soccorso", "First aid", False),
    "dementia_care": ("Formazione assistenza demenze", "Dementia-care training", False),
    "driving_licence": ("Patente di guida", "Driving licence", False),
}


def upgrade() -> None:
    op.create_table(
        "municipality",
        sa.Column("istat", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("province_code", sa.String(length=3), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=60), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("istat", name=op.f("pk_municipality")),
    )
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipality_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_municipality_province"), ["province"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_municipality_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('cpi', 'social_services', 'health_authority', 'municipality', 'agency', 'region')",
            name=op.f("ck_organization_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("code", name=op.f("uq_organization_code")),
    )
    op.create_table(
        "qualification",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_it", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("is_trained", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_qualification")),
    )
    op.create_table(
        "organization_territory",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("istat", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["istat"],
            ["municipality.istat"],
            name=op.f("fk_organization_territory_istat_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_territory_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", "istat", name=op.f("pk_organization_territory")),
    )
    with op.batch_alter_table("organization_territory", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_territory_istat"), ["istat"], unique=False
        )

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(role = 'operator') = (organization_id IS NOT NULL)",
            name=op.f("ck_user_account_operator_organization"),
        ),
        sa.CheckConstraint("locale IN ('it', 'en')", name=op.f("ck_user_account_locale")),
        sa.CheckConstraint(
            "role IN ('family', 'assistant', 'operator', 'admin')",
            name=op.f("ck_user_account_role"),
        ),
        sa.CheckConstraint("failed_logins >= 0", name=op.f("ck_user_account_failed_logins")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_user_account_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_table(
        "assistant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("nationality", sa.String(length=2), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("municipality_id", sa.String(length=6), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("travel_radius_km", sa.Double(), nullable=False),
        sa.Column("accepts_live_in", sa.Boolean(), nullable=False),
        sa.Column("accepts_hourly", sa.Boolean(), nullable=False),
        sa.Column("accepts_night", sa.Boolean(), nullable=False),
        sa.Column("availability", sa.LargeBinary(length=21), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=False),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_by_org_id", sa.Integer(), nullable=True),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("gender IN ('f', 'm', 'x')", name=op.f("ck_assistant_gender")),
        sa.CheckConstraint(
            "status IN ('pending', 'verified', 'suspended')", name=op.f("ck_assistant_status")
        ),
        sa.CheckConstraint(
            "(lat IS NULL) = (lon IS NULL)", name=op.f("ck_assistant_lat_lon_together")
        ),
        sa.CheckConstraint(
            "accepts_live_in OR accepts_hourly OR accepts_night",
            name=op.f("ck_assistant_some_arrangement"),
        ),
        sa.CheckConstraint("birth_year >= 1900", name=op.f("ck_assistant_birth_year")),
        sa.CheckConstraint(
            "travel_radius_km > 0 AND travel_radius_km <= 300", name=op.f("ck_assistant_radius")
        ),
        sa.CheckConstraint(
            "years_experience >= 0 AND years_experience <= 70", name=op.f("ck_assistant_experience")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.istat"],
            name=op.f("fk_assistant_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_assistant_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_org_id"],
            ["organization.id"],
            name=op.f("fk_assistant_verified_by_org_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant")),
        sa.UniqueConstraint("user_id", name=op.f("uq_assistant_user_id")),
    )
    with op.batch_alter_table("assistant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assistant_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assistant_status"), ["status"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_event_actor_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_audit_event_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_event_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("municipality_id", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(lat IS NULL) = (lon IS NULL)", name=op.f("ck_household_lat_lon_together")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_household_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.istat"],
            name=op.f("fk_household_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["user_account.id"],
            name=op.f("fk_household_owner_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_household_owner_user_id"), ["owner_user_id"], unique=False
        )

    op.create_table(
        "assistant_condition",
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_assistant_condition_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assistant_id", "condition", name=op.f("pk_assistant_condition")),
    )
    op.create_table(
        "assistant_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_by_org_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('residence_permit', 'identity_card', 'passport')",
            name=op.f("ck_assistant_document_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_assistant_document_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_org_id"],
            ["organization.id"],
            name=op.f("fk_assistant_document_verified_by_org_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_document")),
    )
    with op.batch_alter_table("assistant_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assistant_document_assistant_id"), ["assistant_id"], unique=False
        )

    op.create_table(
        "assistant_language",
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=3), nullable=False),
        sa.Column("level", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native')",
            name=op.f("ck_assistant_language_level"),
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_assistant_language_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assistant_id", "language", name=op.f("pk_assistant_language")),
    )
    op.create_table(
        "assistant_qualification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assistant_id", sa.Integer(), nullable=False),
        sa.Column("qualification_code", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("verified_by_org_id", sa.Integer(), nullable=True),
        sa.Column("verified_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on > issued_on",
            name=op.f("ck_assistant_qualification_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"],
            ["assistant.id"],
            name=op.f("fk_assistant_qualification_assistant_id_assistant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["qualification_code"],
            ["qualification.code"],
            name=op.f("fk_assistant_qualification_qualification_code_qualification"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_org_id"],
            ["organization.id"],
            name=op.f("fk_assistant_qualification_verified_by_org_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_assistant_qualification_verified_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_qualification")),
        sa.UniqueConstraint(
            "assistant_id",
            "qualification_code",
            name=op.f("uq_assistant_qualification_assistant_id_qualification_code"),
        ),
    )
    op.create_table(
        "care_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("age_band", sa.String(length=6), nullable=False),
        sa.Column("self_sufficiency", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "age_band IN ('0-17', '18-64', '65-74', '75-84', '85+')",
            name=op.f("ck_care_recipient_age_band"),
        ),
        sa.CheckConstraint(
            "self_sufficiency IN ('self_sufficient', 'partially', 'non_self_sufficient')",
            name=op.f("ck_care_recipient_self_sufficiency"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_care_recipient_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_recipient")),
    )
    with op.batch_alter_table("care_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_recipient_household_id"), ["household_id"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("assessed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("self_sufficiency", sa.String(length=24), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "self_sufficiency IN ('self_sufficient', 'partially', 'non_self_sufficient')",
            name=op.f("ck_assessment_self_sufficiency"),
        ),
        sa.CheckConstraint("score >= 0 AND score <= 100", name=op.f("ck_assessment_score")),
        sa.ForeignKeyConstraint(
            ["assessed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_assessment_assessed_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_assessment_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["care_recipient.id"],
            name=op.f("fk_assessment_recipient_id_care_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_recipient_id"), ["recipient_id"], unique=False
        )

    op.create_table(
        "care_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("arrangement", sa.String(length=10), nullable=False),
        sa.Column("live_in_part_time", sa.Boolean(), nullable=False),
        sa.Column("schedule", sa.LargeBinary(length=21), nullable=False),
        sa.Column("weekly_hours", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("gender_preference", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("max_distance_km", sa.Double(), nullable=False),
        sa.Column("ccnl_level", sa.String(length=2), nullable=False),
        sa.Column("budget_eur_month", sa.Integer(), nullable=True),
        sa.Column("has_voucher", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "arrangement IN ('live_in', 'hourly', 'night')",
            name=op.f("ck_care_request_arrangement"),
        ),
        sa.CheckConstraint(
            "ccnl_level IN ('BS', 'CS', 'DS')", name=op.f("ck_care_request_ccnl_level")
        ),
        sa.CheckConstraint(
            "gender IS NULL OR gender IN ('f', 'm', 'x')", name=op.f("ck_care_request_gender")
        ),
        sa.CheckConstraint(
            "gender_preference = 'none' OR gender IS NOT NULL",
            name=op.f("ck_care_request_gender_given"),
        ),
        sa.CheckConstraint(
            "gender_preference IN ('none', 'preferred', 'required')",
            name=op.f("ck_care_request_gender_preference"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'matching', 'proposed', 'placed', 'closed', 'cancelled')",
            name=op.f("ck_care_request_status"),
        ),
        sa.CheckConstraint(
            "weekly_hours > 0 AND ((arrangement = 'hourly' AND weekly_hours <= 40) OR (arrangement = 'night' AND weekly_hours <= 40) OR (arrangement = 'live_in' AND live_in_part_time AND weekly_hours <= 30) OR (arrangement = 'live_in' AND NOT live_in_part_time AND weekly_hours <= 54))",
            name=op.f("ck_care_request_contract_hours"),
        ),
        sa.CheckConstraint(
            "budget_eur_month IS NULL OR budget_eur_month >= 0", name=op.f("ck_care_request_budget")
        ),
        sa.CheckConstraint(
            "duration_months IS NULL OR duration_months > 0", name=op.f("ck_care_request_duration")
        ),
        sa.CheckConstraint(
            "max_distance_km > 0 AND max_distance_km <= 300", name=op.f("ck_care_request_distance")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_care_request_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_care_request_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["care_recipient.id"],
            name=op.f("fk_care_request_recipient_id_care_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_request")),
    )
    with op.batch_alter_table("care_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_request_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_care_request_recipient_id"), ["recipient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_care_request_status"), ["status"], unique=False)

    op.create_table(
        "recipient_condition",
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["care_recipient.id"],
            name=op.f("fk_recipient_condition_recipient_id_care_recipient"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recipient_id", "condition", name=op.f("pk_recipient_condition")),
    )
    op.create_table(
        "request_language",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=3), nullable=False),
        sa.Column("is_required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["care_request.id"],
            name=op.f("fk_request_language_request_id_care_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "language", name=op.f("pk_request_language")),
    )
    op.create_table(
        "request_qualification",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("qualification_code", sa.String(length=40), nullable=False),
        sa.Column("is_required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["qualification_code"],
            ["qualification.code"],
            name=op.f("fk_request_qualification_qualification_code_qualification"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["care_request.id"],
            name=op.f("fk_request_qualification_request_id_care_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "request_id", "qualification_code", name=op.f("pk_request_qualification")
        ),
    )

    qualification = sa.table(
        "qualification",
        sa.column("code", sa.String),
        sa.column("name_it", sa.String),
        sa.column("name_en", sa.String),
        sa.column("is_trained", sa.Boolean),
    )
    op.bulk_insert(
        qualification,
        [
            {"code": code, "name_it": it, "name_en": en, "is_trained": trained}
            for code, (it, en, trained) in QUALIFICATIONS.items()
        ],
    )


def downgrade() -> None:
    op.drop_table("request_qualification")
    op.drop_table("request_language")
    op.drop_table("recipient_condition")
    with op.batch_alter_table("care_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_request_status"))
        batch_op.drop_index(batch_op.f("ix_care_request_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_care_request_organization_id"))

    op.drop_table("care_request")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_recipient_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("care_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_recipient_household_id"))

    op.drop_table("care_recipient")
    op.drop_table("assistant_qualification")
    op.drop_table("assistant_language")
    with op.batch_alter_table("assistant_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistant_document_assistant_id"))

    op.drop_table("assistant_document")
    op.drop_table("assistant_condition")
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_household_municipality_id"))

    op.drop_table("household")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_user_id"))

    op.drop_table("audit_event")
    with op.batch_alter_table("assistant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistant_status"))
        batch_op.drop_index(batch_op.f("ix_assistant_municipality_id"))

    op.drop_table("assistant")
    op.drop_table("api_token")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_organization_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("organization_territory", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_territory_istat"))

    op.drop_table("organization_territory")
    op.drop_table("qualification")
    op.drop_table("organization")
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipality_region_code"))
        batch_op.drop_index(batch_op.f("ix_municipality_province"))
        batch_op.drop_index(batch_op.f("ix_municipality_name_key"))

    op.drop_table("municipality")
