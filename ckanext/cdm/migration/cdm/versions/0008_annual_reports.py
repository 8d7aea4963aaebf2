"""Annual evaluation reports: the committee's text per year, and the frozen
figures of a published report.

One report per year (a unique constraint). A trigger makes a published report
permanent: the database refuses any ``UPDATE`` or ``DELETE`` of it, so that a
later change of the data never alters what the committee published.

Revision ID: 0008_annual_reports
Revises: 0007_citizen_meetings
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008_annual_reports"
down_revision = "0007_citizen_meetings"
branch_labels = None
depends_on = None

IMMUTABLE = """
CREATE OR REPLACE FUNCTION cdm_annual_report_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'published' THEN
        RAISE EXCEPTION 'cdm: the published annual report of % cannot be changed', OLD.year
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'cdm_annual_report_immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def upgrade() -> None:
    op.create_table(
        "cdm_annual_report",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("introduction", sa.Text, nullable=False, server_default=""),
        sa.Column("notable_cases", sa.Text, nullable=False, server_default=""),
        sa.Column("recommendations", sa.Text, nullable=False, server_default=""),
        sa.Column("figures", JSONB),
        sa.Column("created_by", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_by", sa.Text),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Text),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("year", name="cdm_annual_report_one_per_year"),
        sa.CheckConstraint("state IN ('draft', 'published')", name="cdm_annual_report_state"),
        sa.CheckConstraint(
            "state = 'draft' OR (figures IS NOT NULL AND published_at IS NOT NULL)",
            name="cdm_annual_report_published_complete",
        ),
    )
    op.execute(IMMUTABLE)
    op.execute(
        "CREATE TRIGGER cdm_annual_report_immutable BEFORE UPDATE OR DELETE "
        "ON cdm_annual_report FOR EACH ROW EXECUTE FUNCTION cdm_annual_report_immutable()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS cdm_annual_report_immutable ON cdm_annual_report")
    op.execute("DROP FUNCTION IF EXISTS cdm_annual_report_immutable()")
    op.drop_table("cdm_annual_report")
