"""The cdm alembic chain applies and rolls back on the real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from ckan import model
from ckan.cli.db import current_revision

MIGRATIONS = Path(__file__).parents[1] / "ckanext" / "cdm" / "migration" / "cdm"


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


@pytest.mark.usefixtures("clean_db")
def test_migrations_apply_and_roll_back(migrate_db_for):
    head = head_revision()
    assert head is not None
    assert _revision() == head

    migrate_db_for("cdm", "base", forward=False)
    assert _revision() is None
    assert _cdm_tables() == []

    migrate_db_for("cdm")
    assert _revision() == head
    assert set(_cdm_tables()) >= {"cdm_charter", "cdm_principle", "cdm_member", "cdm_audit_event"}


def _revision() -> str | None:
    """The applied revision of the cdm chain ("0001_x (head)" → "0001_x")."""
    current = current_revision("cdm")
    return current.split()[0] if current and current != "base" else None


def _cdm_tables() -> list[str]:
    names = sa.inspect(model.Session.get_bind()).get_table_names()
    return [name for name in names if name.startswith("cdm_") and name != "cdm_alembic_version"]
