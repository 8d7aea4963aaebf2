"""Citizen meetings: the information and training meetings of the committee.

Revision ID: 0007_citizen_meetings
Revises: 0006_sessions_opinions
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_citizen_meetings"
down_revision = "0006_sessions_opinions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cdm_meeting",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("registration_url", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("cancellation_note", sa.Text),
        sa.Column("created_by", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('scheduled', 'cancelled')", name="cdm_meeting_state"),
        sa.CheckConstraint("ends_at > starts_at", name="cdm_meeting_ends_after_start"),
        sa.CheckConstraint(
            "registration_url IS NULL OR registration_url ~ '^https?://'",
            name="cdm_meeting_registration_url",
        ),
    )


def downgrade() -> None:
    op.drop_table("cdm_meeting")
