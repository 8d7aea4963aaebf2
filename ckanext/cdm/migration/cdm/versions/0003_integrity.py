"""Integrity under concurrency: the committee's composition rules in the
database, and each review's visibility and submitters stored with it.

- ``cdm_member``: exclusion constraints (``btree_gist``) on the period a seat
  is held, ``[mandate_start, LEAST(ended_on, mandate_end + 1))``: one seat per
  user at a time, one president at a time.
- ``cdm_review``: ``permission_labels`` (the dataset's CKAN permission labels,
  as ckanext/activity stores them on activities), ``last_submitted_by`` and
  ``submitters`` (who submitted each round).

Revision ID: 0003_integrity
Revises: 0002_reviews
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0003_integrity"
down_revision = "0002_reviews"
branch_labels = None
depends_on = None

PERIOD = "daterange(mandate_start, LEAST(ended_on, mandate_end + 1), '[)')"
COMMITTEE_LABEL = "cdm-committee"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        "ALTER TABLE cdm_member ADD CONSTRAINT cdm_member_one_seat_per_user "
        f"EXCLUDE USING gist (user_id WITH =, ({PERIOD}) WITH &&)"
    )
    op.execute(
        "ALTER TABLE cdm_member ADD CONSTRAINT cdm_member_one_president "
        f"EXCLUDE USING gist (role WITH =, ({PERIOD}) WITH &&) WHERE (role = 'president')"
    )
    op.add_column(
        "cdm_review",
        sa.Column(
            "permission_labels",
            ARRAY(sa.Text),
            nullable=False,
            server_default=sa.text("'{}'::text[]"),
        ),
    )
    op.add_column("cdm_review", sa.Column("last_submitted_by", sa.Text))
    op.add_column(
        "cdm_review",
        sa.Column(
            "submitters", ARRAY(sa.Text), nullable=False, server_default=sa.text("'{}'::text[]")
        ),
    )
    # Existing rows: CKAN's default labels of the dataset, and the committee's
    # label while a review is open or an opinion issued (ckan cdm labels refresh
    # recomputes them with every IPermissionLabels plugin of the portal).
    op.execute(
        f"""
        UPDATE cdm_review r SET
          last_submitted_by = r.submitted_by,
          submitters = ARRAY[r.submitted_by],
          permission_labels = CASE
            WHEN p.id IS NULL THEN ARRAY['public']
            WHEN p.state = 'active' AND NOT p.private THEN ARRAY['public']
            WHEN p.owner_org IS NOT NULL THEN ARRAY['member-' || p.owner_org]
            ELSE ARRAY['creator-' || p.creator_user_id]
          END || CASE
            WHEN EXISTS (
              SELECT 1 FROM cdm_review o WHERE o.package_id = r.package_id
              AND o.state IN ('submitted', 'in_review', 'changes_requested', 'opinion_issued')
            ) THEN ARRAY['{COMMITTEE_LABEL}'] ELSE ARRAY[]::text[]
          END
        FROM cdm_review r2 LEFT JOIN package p ON p.id = r2.package_id
        WHERE r2.id = r.id
        """
    )
    op.alter_column("cdm_review", "last_submitted_by", nullable=False)
    op.create_index(
        "cdm_review_permission_labels",
        "cdm_review",
        ["permission_labels"],
        postgresql_using="gin",
    )
    op.create_index("cdm_review_submitters", "cdm_review", ["submitters"], postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("cdm_review_submitters", table_name="cdm_review")
    op.drop_index("cdm_review_permission_labels", table_name="cdm_review")
    op.drop_column("cdm_review", "submitters")
    op.drop_column("cdm_review", "last_submitted_by")
    op.drop_column("cdm_review", "permission_labels")
    op.execute("ALTER TABLE cdm_member DROP CONSTRAINT cdm_member_one_president")
    op.execute("ALTER TABLE cdm_member DROP CONSTRAINT cdm_member_one_seat_per_user")
