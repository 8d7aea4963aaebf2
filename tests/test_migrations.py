"""The cdm alembic chain applies and rolls back on the real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from ckan import model
from ckan.cli.db import current_revision

from ckanext.cdm.model.publish_once import TRIGGER_FUNCTION, PublishOnce
from tests.isolation import truncate

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


# The publish-once trigger (0009): one function for opinions and annual reports

ONE_FUNCTION = TRIGGER_FUNCTION
PUBLISHED_REPORT = (
    "INSERT INTO cdm_annual_report (id, year, state, figures, created, modified, published_at)"
    " VALUES ('r2025', 2025, 'published', '{}', now(), now(), now())"
)


@pytest.mark.usefixtures("clean_db")
def test_one_function_guards_both_published_documents_and_the_downgrade_restores_two(
    migrate_db_for,
):
    assert _trigger_functions() == {
        "cdm_opinion_immutable": ONE_FUNCTION,
        "cdm_annual_report_immutable": ONE_FUNCTION,
        **dict.fromkeys(TRUNCATE_GUARDS.values(), TRUNCATE_FUNCTION),
    }
    assert _cdm_functions() == {ONE_FUNCTION, TRUNCATE_FUNCTION}
    model.Session.execute(sa.text(PUBLISHED_REPORT))
    model.Session.commit()
    assert "published annual report 2025 cannot be changed (UPDATE refused)" in _refusal(
        "UPDATE cdm_annual_report SET introduction = 'Falsifié'"
    )
    assert "published annual report 2025 cannot be changed (DELETE refused)" in _refusal(
        "DELETE FROM cdm_annual_report"
    )

    migrate_db_for("cdm", "0008_annual_reports", forward=False)
    old = {"cdm_opinion_immutable": "0006_sessions_opinions"}
    old["cdm_annual_report_immutable"] = "0008_annual_reports"
    assert _trigger_functions() == {name: name for name in old}
    assert _cdm_functions() == set(old)
    for name, revision in old.items():
        created = ScriptDirectory(str(MIGRATIONS)).get_revision(revision).module.IMMUTABLE
        assert _source(name) == created.split("$$")[1]
    assert "the published annual report of 2025 cannot be changed" in _refusal(
        "UPDATE cdm_annual_report SET introduction = 'Falsifié'"
    )

    migrate_db_for("cdm")
    assert set(_trigger_functions().values()) == {ONE_FUNCTION, TRUNCATE_FUNCTION}
    assert _cdm_functions() == {ONE_FUNCTION, TRUNCATE_FUNCTION}
    truncate("cdm_annual_report")  # its guard disabled: no row trigger fires
    model.Session.commit()


def test_every_document_published_once_is_guarded_by_the_trigger():
    tables = {cls.__tablename__ for cls in PublishOnce.__subclasses__()}
    assert tables == {"cdm_opinion", "cdm_annual_report"}
    query = sa.text(
        "SELECT tgrelid::regclass::text FROM pg_trigger"
        " WHERE tgfoid = CAST(:function AS regproc) AND NOT tgisinternal"
    )
    guarded = model.Session.execute(query, {"function": TRIGGER_FUNCTION}).scalars()
    assert set(guarded) == tables


# The permanent records refuse TRUNCATE (0010)

TRUNCATE_FUNCTION = "cdm_refuse_truncate"
TRUNCATE_GUARDS = {
    table: f"{table}_no_truncate"
    for table in ("cdm_opinion", "cdm_annual_report", "cdm_audit_event")
}


@pytest.mark.parametrize("table", sorted(TRUNCATE_GUARDS))
@pytest.mark.parametrize("statement", ["TRUNCATE {table}", "TRUNCATE cdm_review, {table} CASCADE"])
def test_the_permanent_records_refuse_truncate(table, statement):
    with pytest.raises(sa.exc.DBAPIError) as error:
        model.Session.execute(sa.text(statement.format(table=table)))
    model.Session.rollback()
    assert f"cdm: {table} is a permanent record and cannot be emptied" in str(error.value)
    assert error.value.orig.diag.constraint_name == TRUNCATE_GUARDS[table]


@pytest.mark.usefixtures("clean_db")
def test_the_truncate_guards_go_with_their_migration(migrate_db_for):
    migrate_db_for("cdm", "0009_publish_once_trigger", forward=False)
    assert set(_trigger_functions().values()) == {ONE_FUNCTION}
    assert _cdm_functions() == {ONE_FUNCTION}
    model.Session.execute(sa.text("TRUNCATE cdm_audit_event"))  # unguarded before 0010
    model.Session.rollback()
    migrate_db_for("cdm")
    assert {
        name for name, function in _trigger_functions().items() if function == TRUNCATE_FUNCTION
    } == set(TRUNCATE_GUARDS.values())


def _trigger_functions() -> dict[str, str]:
    """The function each cdm row trigger runs, by trigger name."""
    model.Session.remove()
    rows = model.Session.execute(
        sa.text(
            "SELECT tgname, tgfoid::regproc::text FROM pg_trigger"
            " WHERE tgname LIKE 'cdm\\_%' AND NOT tgisinternal"
        )
    )
    return dict(rows.all())


def _cdm_functions() -> set[str]:
    rows = model.Session.execute(
        sa.text("SELECT proname FROM pg_proc WHERE proname LIKE 'cdm\\_%'")
    )
    return set(rows.scalars())


def _source(function: str) -> str:
    query = sa.text("SELECT prosrc FROM pg_proc WHERE proname = :name")
    return model.Session.execute(query, {"name": function}).scalar_one()


def _refusal(statement: str) -> str:
    """The database's error for ``statement``, rolled back."""
    with pytest.raises(sa.exc.DBAPIError) as error:
        model.Session.execute(sa.text(statement))
    model.Session.rollback()
    return str(error.value)
