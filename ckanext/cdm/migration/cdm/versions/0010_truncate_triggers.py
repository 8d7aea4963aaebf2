"""The committee's permanent records refuse ``TRUNCATE``.

The triggers of 0009 run for each row of an ``UPDATE`` or a ``DELETE``; a
``TRUNCATE`` fires no row trigger and emptied the published opinions, the
published annual reports and the audit trail at once. One statement-level
trigger function, ``cdm_refuse_truncate()``, runs ``BEFORE TRUNCATE`` on each
of those tables (and on a table emptied by a ``TRUNCATE … CASCADE`` from
another) and refuses it::

    cdm_opinion        cdm_opinion_no_truncate
    cdm_annual_report  cdm_annual_report_no_truncate
    cdm_audit_event    cdm_audit_event_no_truncate

Emptying them on purpose (the test suite's reset) disables the trigger by
name first: ``ALTER TABLE … DISABLE TRIGGER …_no_truncate``, which only the
tables' owner may do.

Revision ID: 0010_truncate_triggers
Revises: 0009_publish_once_trigger
Create Date: 2026-12-07
"""

from alembic import op

revision = "0010_truncate_triggers"
down_revision = "0009_publish_once_trigger"
branch_labels = None
depends_on = None

TABLES = ("cdm_opinion", "cdm_annual_report", "cdm_audit_event")
FUNCTION = "cdm_refuse_truncate"

REFUSE = """
CREATE OR REPLACE FUNCTION cdm_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'cdm: % is a permanent record and cannot be emptied (TRUNCATE refused)',
            TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def trigger(table: str) -> str:
    return f"{table}_no_truncate"


def upgrade() -> None:
    op.execute(REFUSE)
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger(table)} ON {table}")
        op.execute(
            f"CREATE TRIGGER {trigger(table)} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger(table)} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
