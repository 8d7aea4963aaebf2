"""Charter versions and principles, committee seats, audit trail.

Revision ID: 0001_charter_committee
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_charter_committee"
down_revision = None
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_by", sa.Text),
    ]


def upgrade() -> None:
    op.create_table(
        "cdm_charter",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("number", sa.Text, nullable=False, unique=True),
        sa.Column("title", JSONB, nullable=False),
        sa.Column("preamble", JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("adopted_on", sa.Date),
        sa.Column("superseded_on", sa.Date),
        sa.Column("decision_reference", sa.Text),
        sa.Column("based_on_id", sa.Text, sa.ForeignKey("cdm_charter.id")),
        *_timestamps(),
        sa.CheckConstraint(
            "status IN ('draft', 'adopted', 'superseded')", name="cdm_charter_status"
        ),
    )
    op.create_index(
        "cdm_charter_one_adopted",
        "cdm_charter",
        ["status"],
        unique=True,
        postgresql_where=sa.text("status = 'adopted'"),
    )
    op.create_table(
        "cdm_principle",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column(
            "charter_id",
            sa.Text,
            sa.ForeignKey("cdm_charter.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("title", JSONB, nullable=False),
        sa.Column("description", JSONB, nullable=False),
        sa.Column("questions", JSONB, nullable=False),
        sa.UniqueConstraint("charter_id", "code"),
    )
    op.create_table(
        "cdm_member",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Text, sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("college", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("affiliation", sa.Text),
        sa.Column("mandate_start", sa.Date, nullable=False),
        sa.Column("mandate_end", sa.Date),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("ended_on", sa.Date),
        sa.Column("end_reason", sa.Text),
        *_timestamps(),
        sa.CheckConstraint(
            "college IN ('research', 'civil_society', 'business', 'local_authorities')",
            name="cdm_member_college",
        ),
        sa.CheckConstraint("role IN ('president', 'member')", name="cdm_member_role"),
        sa.CheckConstraint(
            "role <> 'president' OR college <> 'local_authorities'",
            name="cdm_member_president_not_local_authorities",
        ),
        sa.CheckConstraint(
            "mandate_end IS NULL OR mandate_end >= mandate_start", name="cdm_member_mandate"
        ),
    )
    op.create_table(
        "cdm_audit_event",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("object_type", sa.Text, nullable=False),
        sa.Column("object_id", sa.Text, nullable=False, index=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text),
        sa.Column("actor_name", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_state", sa.Text),
        sa.Column("to_state", sa.Text),
        sa.Column("message", sa.Text),
        sa.Column("data", JSONB, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("cdm_audit_event")
    op.drop_table("cdm_member")
    op.drop_table("cdm_principle")
    op.drop_index("cdm_charter_one_adopted", table_name="cdm_charter")
    op.drop_table("cdm_charter")
