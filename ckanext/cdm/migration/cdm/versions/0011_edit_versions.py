"""Edits that do not overwrite each other: a ``version`` on the rows several
people edit at once (``model/versioned.py``): opinions, annual reports,
sessions, self-assessments.

Existing rows start at version 1. Adding a column with a default rewrites no
row through ``UPDATE``: the publish-once trigger of 0009 does not fire, and a
published opinion or report keeps the version it gets here for ever (the
trigger refuses any later change of it, its version included).

Revision ID: 0011_edit_versions
Revises: 0010_truncate_triggers
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_edit_versions"
down_revision = "0010_truncate_triggers"
branch_labels = None
depends_on = None

TABLES = ("cdm_opinion", "cdm_annual_report", "cdm_session", "cdm_self_assessment")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "version")
