"""One trigger function for the publish-once lifecycle of opinions and annual
reports (``model/publish_once.py``).

``cdm_refuse_change_once_published()`` replaces ``cdm_opinion_immutable()``
(0006) and ``cdm_annual_report_immutable()`` (0008): before an ``UPDATE`` or
``DELETE`` of a published row, it refuses the ``DELETE``, and the ``UPDATE``
unless it changes only the columns the table's trigger lets change. Each
table's trigger keeps its name (the ``CONSTRAINT`` of the error) and gives
its arguments: what the row is, the column that names it in the message,
then the columns that may change once published::

    cdm_opinion        ('opinion', 'number', 'permission_labels')
    cdm_annual_report  ('annual report', 'year')

The downgrade restores the two functions of 0006 and 0008 as they were.

Revision ID: 0009_publish_once_trigger
Revises: 0008_annual_reports
Create Date: 2026-12-07
"""

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0009_publish_once_trigger"
down_revision = "0008_annual_reports"
branch_labels = None
depends_on = None


# table → (its trigger, which 0006/0008 made with a function of the same
# name; the revision that did; the arguments of the new function)
TABLES = {
    "cdm_opinion": (
        "cdm_opinion_immutable",
        "0006_sessions_opinions",
        "'opinion', 'number', 'permission_labels'",
    ),
    "cdm_annual_report": (
        "cdm_annual_report_immutable",
        "0008_annual_reports",
        "'annual report', 'year'",
    ),
}


REFUSE = """
CREATE OR REPLACE FUNCTION cdm_refuse_change_once_published() RETURNS trigger AS $$
-- TG_ARGV: what the row is, the column that names it, the columns that may
-- change once published
DECLARE
    free text[] := TG_ARGV[2:TG_NARGS - 1];
BEGIN
    IF OLD.state = 'published' AND (
        TG_OP = 'DELETE'
        OR (to_jsonb(NEW) - free) IS DISTINCT FROM (to_jsonb(OLD) - free)
    ) THEN
        RAISE EXCEPTION 'cdm: published % % cannot be changed (% refused)',
                TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[1], TG_OP
            USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_NAME;
    END IF;
    RETURN COALESCE(NEW, OLD);  -- NEW is null in a DELETE
END;
$$ LANGUAGE plpgsql;
"""


def _trigger(table: str, trigger: str, call: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    op.execute(
        f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {call}"
    )


def earlier_revision(name: str) -> ModuleType:
    """The module of an earlier revision of this chain (for the text of the
    function it created: the downgrade restores it as it was)."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"cdm_revision_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    op.execute(REFUSE)
    for table, (trigger, _, arguments) in TABLES.items():
        _trigger(table, trigger, f"cdm_refuse_change_once_published({arguments})")
        op.execute(f"DROP FUNCTION IF EXISTS {trigger}()")


def downgrade() -> None:
    for table, (trigger, created_by, _) in TABLES.items():
        op.execute(earlier_revision(created_by).IMMUTABLE)
        _trigger(table, trigger, f"{trigger}()")
    op.execute("DROP FUNCTION IF EXISTS cdm_refuse_change_once_published()")
