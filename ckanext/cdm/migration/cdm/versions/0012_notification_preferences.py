"""The daily digest of notifications: the e-mails held for a committee member
who chose it, until ``ckan cdm notifications digest`` sends them. (The
preferences themselves live in the user's ``plugin_extras``.)

Revision ID: 0012_notification_preferences
Revises: 0011_edit_versions
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_notification_preferences"
down_revision = "0011_edit_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cdm_notification_digest",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column(
            "user_id",
            sa.Text,
            sa.ForeignKey("user.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('agenda', 'submissions', 'opinions', 'changes')",
            name="cdm_notification_digest_kind",
        ),
    )


def downgrade() -> None:
    op.drop_table("cdm_notification_digest")
