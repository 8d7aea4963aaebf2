"""Datasets go through the real Solr core: created through the API, found by search."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_dataset_created_through_the_api_is_found_by_package_search():
    org = factories.Organization()
    factories.Dataset(name="comptages-velos", title="Comptages vélos", owner_org=org["id"])
    factories.Dataset(name="arbres-remarquables", title="Arbres remarquables", owner_org=org["id"])

    result = helpers.call_action("package_search", q="vélos")

    assert result["count"] == 1
    assert result["results"][0]["name"] == "comptages-velos"


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_search_facets_count_datasets_by_organization():
    mobility = factories.Organization(name="mobilite")
    energy = factories.Organization(name="energie")
    for _ in range(2):
        factories.Dataset(owner_org=mobility["id"])
    factories.Dataset(owner_org=energy["id"])

    result = helpers.call_action("package_search", **{"facet.field": '["organization"]'})

    counts = {
        item["name"]: item["count"] for item in result["search_facets"]["organization"]["items"]
    }
    assert counts == {"mobilite": 2, "energie": 1}
