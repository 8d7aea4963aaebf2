"""`ckan cdm demo` loads the fictional catalogue through the API, once."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.cdm.demo.loader import load_demo, read_catalogue

DELIBERATION_NAMES = ("Rebsamen", "Hoareau", "Bayard", "Martin-Gendre", "Chevalier", "Hameau")


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_demo_loads_a_realistic_catalogue_and_is_idempotent():
    first = load_demo()
    assert first.created["organizations"] >= 6
    assert first.created["datasets"] >= 40

    search = helpers.call_action(
        "package_search", include_private=False, rows=0, **{"facet.field": '["organization"]'}
    )
    assert search["count"] >= 40
    assert len(search["search_facets"]["organization"]["items"]) >= 6

    seats = helpers.call_action("cdm_member_list")
    assert len(seats) == 26
    assert [s["role"] for s in seats].count("president") == 1
    by_college = {
        c: sum(s["college"] == c for s in seats)
        for c in ("research", "civil_society", "business", "local_authorities")
    }
    assert by_college == {"research": 7, "civil_society": 8, "business": 6, "local_authorities": 5}

    sysadmin = next(name for name, _, role in first.logins if role == "sysadmin")
    charters = helpers.call_action("cdm_charter_list", context={"user": sysadmin})
    versions = {c["number"]: c["status"] for c in charters}
    assert versions == {"1.0": "adopted", "1.1": "draft"}
    adopted = helpers.call_action("cdm_charter_show", id="1.0")["preamble"]
    assert "projet par défaut" not in adopted["fr"]
    assert "default draft" not in adopted["en"]

    second = load_demo()
    assert second.created == {}
    assert helpers.call_action("package_search", rows=0)["count"] == search["count"]
    assert len(helpers.call_action("cdm_member_list")) == 26


def test_demo_stewards_cover_several_organizations():
    catalogue = read_catalogue()
    stewards = [u for u in catalogue["users"] if u.get("memberships")]
    assert any(len(u["memberships"]) >= 2 for u in stewards)
    assert len({m["organization"] for u in stewards for m in u["memberships"]}) >= 3


def test_demo_uses_fictional_names_only():
    text = str(read_catalogue())
    for name in DELIBERATION_NAMES:
        assert name.lower() not in text.lower()
    assert "dijon" not in text.lower()
