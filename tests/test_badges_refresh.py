# ruff: noqa: F811  (the catalogue fixture is imported from test_badges_api)
"""``ckan cdm badges refresh`` in batches (issue 19, point 3): a fixed number
of SQL statements and one Solr update per batch whatever the number of
datasets, the document CKAN itself would index, and the incremental run
reindexing a dataset whose badge keeps its code but changes its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan import logic
from ckan.tests import factories, helpers

from ckanext.cdm import badge_facts, badge_index, badge_refresh
from ckanext.cdm.data import read_charter
from ckanext.cdm.model import base as clock
from tests.helpers import sql_statements
from tests.test_badges_api import _search, catalogue  # noqa: F401


@pytest.fixture
def updates(monkeypatch) -> list[list[dict]]:
    """The Solr updates of the refresh (each a list of documents), sent as usual."""
    sent: list[list[dict]] = []
    real = badge_refresh._BatchedConnection.send

    def send(self):
        if self.docs:
            sent.append(list(self.docs))
        real(self)

    monkeypatch.setattr(badge_refresh._BatchedConnection, "send", send)
    return sent


def _refresh_statements(everything: bool) -> int:
    with sql_statements() as statements:
        badge_refresh.refresh(everything=everything)
    return len(statements)


def test_refresh_all_costs_the_same_statements_whatever_the_number_of_datasets(
    personas, catalogue, updates
):
    few = _refresh_statements(everything=True)
    assert [len(docs) for docs in updates] == [3]
    for _ in range(6):
        factories.Dataset(owner_org=personas.organization["id"])
    updates.clear()
    assert _refresh_statements(everything=True) == few
    # one Solr update for the batch, every dataset in it
    assert [len(docs) for docs in updates] == [9]


def test_refresh_all_indexes_the_document_ckan_would_index(personas, catalogue, monkeypatch):
    """From the stored document, through CKAN's indexer: the same document as
    CKAN's full reindex (package_show without cache, both schemas)."""
    pkg = catalogue["compliant"]
    admin = {"user": factories.Sysadmin()["name"]}
    helpers.call_action(
        "package_patch",
        context=admin,
        id=pkg["id"],
        tags=[{"name": "capteurs"}, {"name": "mobilité"}],
        extras=[{"key": "frequence", "value": "quotidienne"}],
        resources=[{"url": "https://example.org/a.csv", "format": "CSV", "name": "A"}],
    )
    helpers.call_action(
        "member_create",
        context=admin,
        id=factories.Group()["id"],
        object=pkg["id"],
        object_type="package",
        capacity="public",
    )
    with badge_refresh._batched_updates() as connection:
        logic.index_update_package({"ignore_auth": True}, pkg["id"], True)
        (full,) = connection.docs
        connection.docs = []
    full_path: list[str] = []
    monkeypatch.setattr(logic, "index_update_package", lambda *args: full_path.append(args[1]))
    sent: list[dict] = []
    monkeypatch.setattr(
        badge_refresh._BatchedConnection, "send", lambda self: sent.extend(self.docs)
    )
    badge_refresh.reindex(badge_facts.badges_for([pkg["id"]]))
    assert full_path == []  # the stored document was current: no full reindex
    (fast,) = sent
    assert fast == full
    assert fast["cdm_badge"] == "compliant"
    assert fast[badge_index.KEY_FIELD] == badge_index.badge_key(
        pkg["id"], badge_facts.badge_of(pkg["id"])
    )


def test_a_dataset_changed_since_it_was_indexed_is_reindexed_the_full_way(catalogue, monkeypatch):
    pkg = catalogue["plain"]
    # the index is behind the database (its stored document is not current)
    from ckan import model

    model.Session.execute(
        model.package_table.update()
        .where(model.package_table.c.id == pkg["id"])
        .values(metadata_modified=dt.datetime(2001, 1, 1))
    )
    full_path: list[str] = []
    real = logic.index_update_package
    monkeypatch.setattr(
        logic,
        "index_update_package",
        lambda context, package_id, defer: full_path.append(package_id)
        or real(context, package_id, defer),
    )
    badge_refresh.reindex(badge_facts.badges_for([pkg["id"], catalogue["compliant"]["id"]]))
    assert full_path == [pkg["id"]]


def test_the_incremental_refresh_reindexes_a_badge_whose_reason_changed(personas, catalogue):
    """Outdated because its charter was superseded, then outdated because of
    its age: the same code, another reason, another explanation."""
    pkg_id = catalogue["compliant"]["id"]
    president = {"user": personas.president}
    helpers.call_action(
        "cdm_charter_create", context=president, **{**read_charter(), "number": "2.0"}
    )
    helpers.call_action("cdm_charter_adopt", context=president, id="2.0", decision_reference="S")
    assert badge_refresh.refresh() == (3, 1)
    (hit,) = _search(fq="cdm_badge:outdated")["results"]
    assert hit["cdm"]["stale_because"] == "charter"
    assert "since superseded" in hit["cdm"]["explanation"]
    later = clock.today() + dt.timedelta(days=366 * 3 + 1)
    with clock.clock_at(dt.datetime.combine(later, dt.time(12), dt.timezone.utc)):
        assert badge_facts.badge_of(pkg_id).code == "outdated"
        assert badge_refresh.refresh() == (3, 1)
        (hit,) = _search(fq="cdm_badge:outdated")["results"]
        assert hit["id"] == pkg_id
        assert hit["cdm"]["stale_because"] == "age"
        assert "since superseded" not in hit["cdm"]["explanation"]
        assert badge_refresh.refresh() == (3, 0)


def test_the_incremental_refresh_leaves_the_right_summaries_alone(catalogue, updates):
    assert badge_refresh.refresh() == (3, 0)
    assert updates == []
