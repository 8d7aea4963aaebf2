"""Sessions (agenda, attendance, proxies, minutes) and opinions.

A trigger makes published opinions permanent: the database refuses a
``DELETE`` of a published opinion and any ``UPDATE`` of one except of its
``permission_labels``. Reviews learn whether they were self-referrals.

Revision ID: 0006_sessions_opinions
Revises: 0005_activity_types
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0006_sessions_opinions"
down_revision = "0005_activity_types"
branch_labels = None
depends_on = None

EMPTY = sa.text("'{}'::text[]")

IMMUTABLE = """
CREATE OR REPLACE FUNCTION cdm_opinion_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state = 'published' THEN
            RAISE EXCEPTION 'cdm: published opinion % cannot be deleted', OLD.number
                USING ERRCODE = 'restrict_violation', CONSTRAINT = 'cdm_opinion_immutable';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state = 'published'
       AND (to_jsonb(NEW) - 'permission_labels')
           IS DISTINCT FROM (to_jsonb(OLD) - 'permission_labels') THEN
        RAISE EXCEPTION 'cdm: published opinion % cannot be changed', OLD.number
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'cdm_opinion_immutable';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def upgrade() -> None:
    op.add_column(
        "cdm_review",
        sa.Column("self_referral", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "cdm_session",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("place", sa.Text),
        sa.Column("written_procedure", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("title", sa.Text),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("minutes", sa.Text),
        sa.Column("created_by", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('convened', 'closed')", name="cdm_session_state"),
        sa.CheckConstraint(
            "written_procedure OR place IS NOT NULL", name="cdm_session_place_or_written"
        ),
    )
    op.create_table(
        "cdm_session_agenda",
        sa.Column(
            "session_id",
            sa.Text,
            sa.ForeignKey("cdm_session.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("review_id", sa.Text, sa.ForeignKey("cdm_review.id"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "cdm_session_attendance",
        sa.Column(
            "session_id",
            sa.Text,
            sa.ForeignKey("cdm_session.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_id", sa.Text, primary_key=True),
    )
    op.create_table(
        "cdm_session_proxy",
        sa.Column(
            "session_id",
            sa.Text,
            sa.ForeignKey("cdm_session.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("giver_id", sa.Text, primary_key=True),
        sa.Column("holder_id", sa.Text, nullable=False),
        sa.CheckConstraint("giver_id <> holder_id", name="cdm_session_proxy_not_self"),
    )
    op.create_index("cdm_session_proxy_holder", "cdm_session_proxy", ["session_id", "holder_id"])
    op.create_table(
        "cdm_opinion",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("review_id", sa.Text, sa.ForeignKey("cdm_review.id"), nullable=False),
        sa.Column("package_id", sa.Text, nullable=False, index=True),
        sa.Column("organization_id", sa.Text, index=True),
        sa.Column("dataset_name", sa.Text, nullable=False),
        sa.Column("dataset_title", sa.Text, nullable=False),
        sa.Column("charter_id", sa.Text, sa.ForeignKey("cdm_charter.id"), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("verdict", sa.Text),
        sa.Column("data", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("number", sa.Text, unique=True),
        sa.Column("year", sa.Integer),
        sa.Column("sequence", sa.Integer),
        sa.Column("session_id", sa.Text, sa.ForeignKey("cdm_session.id")),
        sa.Column("votes_for", sa.Integer),
        sa.Column("votes_against", sa.Integer),
        sa.Column("votes_abstain", sa.Integer),
        sa.Column("votes_not_voting", sa.Integer),
        sa.Column("votes_proxies", sa.Integer),
        sa.Column("recused", ARRAY(sa.Text), nullable=False, server_default=EMPTY),
        sa.Column("supersedes_id", sa.Text, sa.ForeignKey("cdm_opinion.id")),
        sa.Column("correction_reason", sa.Text),
        sa.Column("self_referral", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("dataset_facts", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("permission_labels", ARRAY(sa.Text), nullable=False, server_default=EMPTY),
        sa.Column("created_by", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Text),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("state IN ('draft', 'published')", name="cdm_opinion_state"),
        sa.CheckConstraint(
            "verdict IS NULL OR verdict IN "
            "('favorable', 'favorable_with_reservations', 'unfavorable')",
            name="cdm_opinion_verdict",
        ),
        sa.CheckConstraint(
            "state = 'draft' OR (number IS NOT NULL AND verdict IS NOT NULL "
            "AND session_id IS NOT NULL AND published_at IS NOT NULL)",
            name="cdm_opinion_published_complete",
        ),
        sa.CheckConstraint(
            "supersedes_id IS NULL OR correction_reason IS NOT NULL",
            name="cdm_opinion_correction_reason",
        ),
        sa.UniqueConstraint("year", "sequence", name="cdm_opinion_year_sequence"),
    )
    op.create_index("cdm_opinion_review", "cdm_opinion", ["review_id"])
    op.create_index(
        "cdm_opinion_labels", "cdm_opinion", ["permission_labels"], postgresql_using="gin"
    )
    # one first opinion per review, one draft at a time on a review, one
    # correction of an opinion at a time and one published
    op.create_index(
        "cdm_opinion_one_per_review",
        "cdm_opinion",
        ["review_id"],
        unique=True,
        postgresql_where=sa.text("supersedes_id IS NULL"),
    )
    op.create_index(
        "cdm_opinion_one_correction",
        "cdm_opinion",
        ["supersedes_id"],
        unique=True,
        postgresql_where=sa.text("supersedes_id IS NOT NULL"),
    )
    op.execute(IMMUTABLE)
    op.execute(
        "CREATE TRIGGER cdm_opinion_immutable BEFORE UPDATE OR DELETE ON cdm_opinion "
        "FOR EACH ROW EXECUTE FUNCTION cdm_opinion_immutable()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS cdm_opinion_immutable ON cdm_opinion")
    op.execute("DROP FUNCTION IF EXISTS cdm_opinion_immutable()")
    op.drop_table("cdm_opinion")
    op.drop_table("cdm_session_proxy")
    op.drop_table("cdm_session_attendance")
    op.drop_table("cdm_session_agenda")
    op.drop_table("cdm_session")
    op.drop_column("cdm_review", "self_referral")
