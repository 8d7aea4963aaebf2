"""Indexes of the register of opinions (``cdm_opinion_list``):

- ``cdm_opinion_register_order``: its order, exactly
  (``published_at DESC NULLS FIRST, created DESC, id``), so that a page is
  read from the index instead of sorting every opinion; with ``state`` and
  ``permission_labels`` included, so that the list's count (published, and
  visible to the reader) is an index-only scan;
- trigram indexes (``pg_trgm``, GIN) on the three texts its words are
  searched in with ``ILIKE '%…%'``: the dataset's title, the number and the
  summary (``data ->> 'summary'``, the expression the query uses). A
  trigram index answers the same ``ILIKE`` as before (any part of a word,
  case ignored, ``%`` and ``_`` taken literally): the search finds what it
  found. ``pg_trgm`` is a trusted extension: the database's owner creates
  it, no superuser needed.

Revision ID: 0013_register_indexes
Revises: 0012_notification_preferences
Create Date: 2026-12-08
"""

from alembic import op

revision = "0013_register_indexes"
down_revision = "0012_notification_preferences"
branch_labels = None
depends_on = None

TRIGRAM_INDEXES = {
    "cdm_opinion_title_trgm": "dataset_title",
    "cdm_opinion_number_trgm": "number",
    "cdm_opinion_summary_trgm": "(data ->> 'summary')",
}


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX cdm_opinion_register_order ON cdm_opinion "
        "(published_at DESC NULLS FIRST, created DESC, id) INCLUDE (state, permission_labels)"
    )
    for name, expression in TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON cdm_opinion USING gin ({expression} gin_trgm_ops)")


def downgrade() -> None:
    for name in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.execute("DROP INDEX cdm_opinion_register_order")
    # pg_trgm stays: another schema object may use it
