"""Ethics reviews, self-assessments and declared conflicts of interest.

Revision ID: 0002_reviews
Revises: 0001_charter_committee
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002_reviews"
down_revision = "0001_charter_committee"
branch_labels = None
depends_on = None

OPEN = "state IN ('submitted', 'in_review', 'changes_requested')"


def upgrade() -> None:
    op.create_table(
        "cdm_review",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("organization_id", sa.Text, index=True),
        sa.Column("dataset_name", sa.Text, nullable=False),
        sa.Column("dataset_title", sa.Text, nullable=False),
        sa.Column("charter_id", sa.Text, sa.ForeignKey("cdm_charter.id"), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("rapporteur_id", sa.Text, index=True),
        sa.Column("self_assessment", JSONB, nullable=False),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('submitted', 'in_review', 'changes_requested', 'opinion_issued', "
            "'withdrawn')",
            name="cdm_review_state",
        ),
    )
    op.create_index(
        "cdm_review_one_open_per_dataset",
        "cdm_review",
        ["package_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
    )
    op.create_table(
        "cdm_self_assessment",
        sa.Column("package_id", sa.Text, primary_key=True),
        sa.Column("charter_id", sa.Text, sa.ForeignKey("cdm_charter.id"), nullable=False),
        sa.Column("answers", JSONB, nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_by", sa.Text),
    )
    op.create_table(
        "cdm_conflict",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("user_id", sa.Text, nullable=False, index=True),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("reason", sa.Text),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "package_id"),
    )


def downgrade() -> None:
    op.drop_table("cdm_conflict")
    op.drop_table("cdm_self_assessment")
    op.drop_index("cdm_review_one_open_per_dataset", table_name="cdm_review")
    op.drop_table("cdm_review")
