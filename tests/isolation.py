"""How the suite keeps its tests apart (docs/development.md, « How tests are isolated »).

Most tests are **transactional**: they run inside a transaction of one
connection, rolled back after the test. The code's own commits only release
SAVEPOINTs (SQLAlchemy's ``join_transaction_mode="create_savepoint"``), so a
test sees everything it wrote and the next test sees none of it. They start
from the **base**: the migrated schema and the personas of the auth matrices,
committed once and rebuilt only after a committing test has emptied the
database.

**Committing** tests commit for real: the ones marked ``committing`` (threads
with sessions of their own, building an app, the WSGI module), and any test
that asks for ``clean_db``, ``reset_db``, ``migrate_db_for`` or ``cli`` (the
demo's tests do). The database is emptied before each of them, as CKAN's
``clean_db`` does; the base is rebuilt before the next transactional test.
The suite runs the transactional tests first, then the committing ones, then
the browser suite, whose served portal keeps its own data.

A test with a ``ckan_config`` mark stays transactional: the plugins are
loaded again with its configuration, and its app built, before its
transaction starts.

The plugins of ``test.ini`` are loaded and the Flask app built once per run
(again only after a test that changed the configuration); each test gets its
own test client.

The search index: the suite commits to Solr with soft commits (visible at
once, not written to disk). Every dataset a test indexes is deleted from Solr
after the test, so the index is empty when a test starts; ``clean_index``
only empties it if something was left there.

A module builds its read-only « world » once with ``module_transaction``: a
transaction open for the whole module, each of its tests in a SAVEPOINT.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from ckan import model, plugins
from ckan.lib import search
from ckan.lib.search import index as search_index
from ckan.tests import helpers as ckan_helpers

MIGRATED_PLUGINS = ("activity", "cdm")
COMMITTING_FIXTURES = frozenset({"clean_db", "reset_db", "migrate_db_for", "cli"})
SAVEPOINT_STATEMENTS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


def is_committing(item: pytest.Item) -> bool:
    """Whether ``item`` commits for real (see the module's docstring)."""
    if item.get_closest_marker("committing"):
        return True
    return bool(COMMITTING_FIXTURES & set(getattr(item, "fixturenames", ())))


@dataclass
class State:
    """What the run knows of the database, the index, the plugins and the app."""

    base: object | None = None  # the personas once committed; None: to rebuild
    migrated: tuple = ()  # the plugins' migration versions the run applied
    app: object | None = None  # the shared wsgi app; None: to (re)build
    connection: sa.engine.Connection | None = None
    transactions: list = field(default_factory=list)
    indexed: set[str] = field(default_factory=set)
    world_indexed: set[str] = field(default_factory=set)  # by a module's world
    charter: dict | None = None  # adopted in a module's world
    index_dirty: bool = True  # unknown at the start of the run


STATE = State()


# -- the search index -------------------------------------------------------


def soft_commits() -> None:
    """The suite's writes to Solr become visible with soft commits, not hard
    ones (no fsync: ~7 ms instead of 60–140 ms a dataset on the 2-core
    machine). Searches see the same thing; only durability, which a test
    core does not need, is given up. The portal and the demo keep CKAN's
    hard commits."""
    import pysolr

    if getattr(pysolr.Solr.add, "_cdm_soft", False):
        return
    add, delete, commit = pysolr.Solr.add, pysolr.Solr.delete, pysolr.Solr.commit

    def soft_add(self, *args, commit=None, softCommit=False, **kwargs):
        return add(self, *args, commit=False, softCommit=bool(commit or softCommit), **kwargs)

    def soft_delete(self, *args, commit=None, softCommit=False, **kwargs):
        return delete(self, *args, commit=False, softCommit=bool(commit or softCommit), **kwargs)

    def soft_commit(self, *args, softCommit=True, **kwargs):
        return commit(self, *args, softCommit=True, **kwargs)

    soft_add._cdm_soft = True
    pysolr.Solr.add, pysolr.Solr.delete, pysolr.Solr.commit = soft_add, soft_delete, soft_commit


def record_indexing() -> None:
    """Remember the id of every dataset sent to Solr, to delete it after the test."""
    original = search_index.PackageSearchIndex.index_package
    if getattr(original, "_cdm_recording", False):
        return

    def index_package(self, pkg_dict, *args, **kwargs):
        if pkg_dict and pkg_dict.get("id"):
            STATE.indexed.add(pkg_dict["id"])
        return original(self, pkg_dict, *args, **kwargs)

    index_package._cdm_recording = True
    search_index.PackageSearchIndex.index_package = index_package


def clear_indexed() -> None:
    """After a test: delete from Solr what it indexed (everything, if unknown),
    and index again, as the database has them, the datasets of the module's
    world that it changed."""
    if STATE.index_dirty:
        search.clear_all()
        STATE.world_indexed.clear()
    else:
        restore = STATE.indexed & STATE.world_indexed if STATE.transactions else set()
        gone = STATE.indexed - restore
        if gone:
            ids = " OR ".join(f'"{i}"' for i in sorted(gone))
            search.make_connection().delete(q=f"id:({ids})", commit=False, softCommit=True)
        for package_id in sorted(restore):
            search.rebuild(package_id)
    STATE.indexed.clear()
    STATE.index_dirty = False


def keep_world_indexed() -> None:
    """Before a test: what a module's world indexed stays until the module ends."""
    STATE.world_indexed |= STATE.indexed
    STATE.indexed.clear()


# -- the database -----------------------------------------------------------


def _bind(connection) -> None:
    model.Session.remove()
    model.Session.configure(bind=connection, join_transaction_mode="create_savepoint")


def _unbind() -> None:
    model.Session.remove()
    model.Session.configure(bind=model.meta.engine, join_transaction_mode="conditional_savepoint")


def push_transaction() -> None:
    """Open a transaction (or a SAVEPOINT inside the open one) and bind the session to it."""
    keep_world_indexed()
    # first: closing the session rolls back its own SAVEPOINT, and with it any
    # SAVEPOINT opened after that one
    model.Session.remove()
    if STATE.connection is None:
        STATE.connection = model.meta.engine.connect()
        STATE.transactions.append(STATE.connection.begin())
    else:
        STATE.transactions.append(STATE.connection.begin_nested())
    _bind(STATE.connection)


def pop_transaction() -> None:
    """Roll back the innermost transaction; close the connection after the last."""
    model.Session.remove()
    transaction = STATE.transactions.pop()
    try:
        if transaction.is_active:
            transaction.rollback()
    except Exception:
        # a broken connection: give it up, and every transaction on it
        STATE.transactions.clear()
        STATE.connection.invalidate()
        raise
    finally:
        if not STATE.transactions:
            _close()
        # the report's cached figures may count what was just rolled back
        forget_figures()
    if STATE.transactions:
        _bind(STATE.connection)


def forget_figures() -> None:
    """The report's cached figures out of date (ckanext/cdm/figures_cache.py):
    they may count rows a rollback or an emptied database took away."""
    from ckanext.cdm import figures_cache

    figures_cache.forget()


def _close() -> None:
    if STATE.connection is not None:
        STATE.connection.close()
        STATE.connection = None
    _unbind()


def empty_database() -> None:
    """What CKAN's clean_db does, with the plugins' tables: every row deleted
    (published opinions and reports by :func:`truncate`: a row trigger refuses
    their DELETE), the migrations applied once per run."""
    from ckan.cli.db import _run_migrations

    assert not STATE.transactions, "a module transaction is open: a committing test inside it?"
    model.Session.remove()
    for table in ("cdm_opinion", "cdm_annual_report"):
        truncate(table)
    model.Session.commit()
    ckan_helpers.reset_db()
    forget_figures()
    if _versions() != STATE.migrated:  # first run, or tables dropped or migrated by a test
        for plugin in MIGRATED_PLUGINS:
            _run_migrations(plugin)
        STATE.migrated = _versions()
    STATE.base = None


def truncate(table: str) -> None:
    """Empty a table of the committee's permanent records, if it exists: its
    ``BEFORE TRUNCATE`` trigger (migration 0010) disabled for the statement,
    in the session's transaction (the caller commits)."""
    if not model.Session.execute(sa.text(f"SELECT to_regclass('{table}')")).scalar():
        return
    guard = model.Session.execute(
        sa.text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) AND tgname = :g"
        ),
        {"t": table, "g": f"{table}_no_truncate"},
    ).scalar()
    if guard:
        model.Session.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER {guard}"))
    model.Session.execute(sa.text(f"TRUNCATE {table}"))
    if guard:
        model.Session.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER {guard}"))


def _versions() -> tuple:
    """The migration version of each plugin in the database (None: no table)."""
    versions = []
    for plugin in MIGRATED_PLUGINS:
        table = f"{plugin}_alembic_version"
        if model.Session.execute(sa.text(f"SELECT to_regclass('{table}')")).scalar() is None:
            versions.append(None)
        else:
            versions.append(
                model.Session.execute(sa.text(f"SELECT max(version_num) FROM {table}")).scalar()
            )
    model.Session.commit()
    return tuple(versions)


@contextmanager
def module_transaction() -> Iterator[None]:
    """For a module-scoped fixture: what it builds lives in a transaction that
    stays open for the whole module, each test in a SAVEPOINT of it."""
    push_transaction()
    try:
        yield
    finally:
        pop_transaction()
        STATE.indexed |= STATE.world_indexed
        STATE.world_indexed.clear()
        clear_indexed()


# -- plugins and app --------------------------------------------------------


def shared_app():
    """The app of test.ini, built once (and after a test that changed the configuration)."""
    if STATE.app is None:
        STATE.app = ckan_helpers._get_test_app().app
    return STATE.app


def plugins_changed() -> None:
    """The plugins were loaded with another configuration: rebuild before the next test."""
    STATE.app = None


def ensure_standard_plugins() -> None:
    shared_app()
    if not plugins.plugin_loaded("cdm"):
        plugins_changed()
        shared_app()
