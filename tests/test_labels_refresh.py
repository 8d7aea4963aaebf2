"""``ckan cdm labels refresh`` reindexes the reviewed datasets in batches, as
the badges' refresh does (issue 19): one Solr update for the batch, and the
index follows the labels (a committee member finds the private datasets
under review again)."""

from __future__ import annotations

from ckan.lib import search
from ckan.tests import helpers

from ckanext.cdm import badge_refresh, index
from tests.conftest import submit_dataset


def _found_by(user: str) -> set[str]:
    result = helpers.call_action(
        "package_search",
        context={"user": user, "ignore_auth": False},
        include_private=True,
        rows=100,
    )
    return {d["id"] for d in result["results"]}


def test_labels_refresh_reindexes_the_reviewed_datasets_in_one_update(
    personas, charter, clean_index, monkeypatch
):
    first, _ = submit_dataset(personas.steward, personas.organization, charter, private=True)
    second, _ = submit_dataset(personas.steward, personas.organization, charter, private=True)
    # the index lost one of them (as if written before an upgrade)
    search.index_for("Package").delete_package({"id": first["id"]})
    search.commit()
    assert _found_by(personas.member) == {second["id"]}
    sent: list[list[str]] = []
    real = badge_refresh._BatchedConnection.send

    def send(self):
        sent.append(sorted(doc["id"] for doc in self.docs))
        real(self)

    monkeypatch.setattr(badge_refresh._BatchedConnection, "send", send)
    assert index.refresh_all() == 2
    assert sent == [sorted([first["id"], second["id"]])]
    assert _found_by(personas.member) == {first["id"], second["id"]}
    assert _found_by(personas.registered) == set()
