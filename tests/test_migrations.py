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


@pytest.mark.usefixtures("clean_db")
def test_review_activities_recorded_before_0005_become_package_activities(migrate_db_for):
    migrate_db_for("cdm", "0004_form_of_address", forward=False)
    for old in ("cdm review submitted", "cdm review withdrawn", "changed package"):
        model.Session.execute(
            sa.text(
                "INSERT INTO activity (id, timestamp, activity_type, data)"
                " VALUES (:id, now(), :type, '{}')"
            ),
            {"id": old, "type": old},
        )
    model.Session.commit()

    migrate_db_for("cdm")
    assert _activity_types() == {
        "cdm review submitted": "cdm review submitted package",
        "cdm review withdrawn": "cdm review withdrawn package",
        "changed package": "changed package",
    }

    migrate_db_for("cdm", "0004_form_of_address", forward=False)
    assert _activity_types()["cdm review submitted"] == "cdm review submitted"


def _activity_types() -> dict[str, str]:
    """The type of each activity, by id."""
    model.Session.remove()
    rows = model.Session.execute(sa.text("SELECT id, activity_type FROM activity"))
    return dict(rows.all())
