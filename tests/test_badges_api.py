"""The badge in the API and the search index: package_show, cdm_badge_show,
package_search on the real Solr (filter, facet, results with no query each)."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from tests.conftest import submit_dataset
from tests.helpers import sql_statements
from tests.logic.opinions import call, held_session, publish, published


@pytest.fixture
def catalogue(personas, charter, clean_index):
    """One dataset with each of three badges: compliant, under review, not reviewed."""
    compliant, _, opinion = published(personas, charter, title="Capteurs")
    reviewed, _ = submit_dataset(personas.steward, personas.organization, charter)
    plain = factories.Dataset(owner_org=personas.organization["id"])
    return {"compliant": compliant, "reviewed": reviewed, "plain": plain, "opinion": opinion}


def test_package_show_carries_the_badge_and_its_public_summary(catalogue):
    shown = call("package_show", "", id=catalogue["compliant"]["id"])
    number = catalogue["opinion"]["number"]
    assert shown["cdm_badge"] == "compliant"
    cdm = shown["cdm"]
    assert cdm["badge"] == "compliant"
    assert cdm["label"] == "Compliant with the charter"
    assert number in cdm["explanation"]
    assert cdm["opinion"]["number"] == number
    assert cdm["opinion"]["url"] == f"/cdm/opinions/{number}"
    assert cdm["opinion"]["date"] == catalogue["opinion"]["published_at"][:10]
    assert cdm["charter_version"] == "1.0"
    assert cdm["reexamination"] is False
    # public values only
    assert set(cdm) == {
        "badge",
        "label",
        "explanation",
        "opinion",
        "charter_version",
        "reexamination",
        "stale_because",
    }
    assert call("package_show", "", id=catalogue["reviewed"]["id"])["cdm_badge"] == "under_review"
    plain = call("package_show", "", id=catalogue["plain"]["id"])
    assert plain["cdm_badge"] == "not_reviewed"
    assert plain["cdm"]["opinion"] is None


def test_the_summary_speaks_the_language_of_the_request(app, catalogue):
    pkg_id = catalogue["compliant"]["id"]
    shown = app.get(f"/fr/api/action/package_show?id={pkg_id}").json["result"]["cdm"]
    assert shown["label"] == "Conforme à la Charte"
    # the summary stored in the index was written in English: search relabels it
    found = app.get("/fr/api/action/package_search?fq=cdm_badge:compliant").json["result"]
    assert found["results"][0]["cdm"]["label"] == "Conforme à la Charte"
    assert "avis" in found["results"][0]["cdm"]["explanation"]


def test_cdm_badge_show_gives_the_same_summary(catalogue):
    badge = call("cdm_badge_show", "", id=catalogue["compliant"]["name"])
    shown = call("package_show", "", id=catalogue["compliant"]["id"])
    assert badge == {"cdm_badge": "compliant", **shown["cdm"]}
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_badge_show", "", id="no-such-dataset")
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_badge_show", "")
    assert "id" in error.value.error_dict


def test_a_private_datasets_badge_is_hidden_like_the_dataset(personas, charter, clean_index):
    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    with pytest.raises(tk.NotAuthorized):
        call("cdm_badge_show", "", id=private["id"])
    assert call("cdm_badge_show", personas.steward, id=private["id"])["cdm_badge"] == (
        "not_reviewed"
    )


def _search(user: str = "", **params) -> dict:
    return call("package_search", user, **params)


def test_the_index_filters_and_counts_by_badge(catalogue):
    found = _search(fq="cdm_badge:compliant")
    assert [d["id"] for d in found["results"]] == [catalogue["compliant"]["id"]]
    assert {d["id"] for d in _search(fq="cdm_badge:under_review")["results"]} == {
        catalogue["reviewed"]["id"]
    }
    facets = _search(**{"facet.field": '["cdm_badge"]'})["facets"]["cdm_badge"]
    assert facets == {"compliant": 1, "under_review": 1, "not_reviewed": 1}


def test_search_results_carry_the_badge_with_no_query_per_result(personas, charter, catalogue):
    results = {d["id"]: d for d in _search(rows=10)["results"]}
    compliant = results[catalogue["compliant"]["id"]]
    assert compliant["cdm_badge"] == "compliant"
    assert compliant["cdm"]["opinion"]["number"] == catalogue["opinion"]["number"]
    assert compliant["cdm"]["label"] == "Compliant with the charter"

    def queries(rows: int) -> int:
        with sql_statements() as statements:
            found = _search(rows=rows)
        assert len(found["results"]) == rows
        return len(statements)

    assert queries(1) == queries(3)


def test_the_index_follows_a_correction_and_a_new_review(personas, charter, catalogue):
    pkg = catalogue["compliant"]
    opinion = catalogue["opinion"]
    correction = call(
        "cdm_opinion_correct",
        personas.president,
        id=opinion["number"],
        reason="Erreur de verdict.",
        verdict="unfavorable",
    )
    review_id = opinion["review_id"]
    session_id = held_session([review_id], [personas.president, personas.member])
    publish(personas, correction, session_id)
    assert [d["id"] for d in _search(fq="cdm_badge:non_compliant")["results"]] == [pkg["id"]]
    # a new review: the badge stays, with a re-examination in progress
    call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers=_answers(charter))
    call("cdm_review_submit", personas.steward, id=pkg["id"])
    hit = _search(fq="cdm_badge:non_compliant")["results"]
    assert [d["id"] for d in hit] == [pkg["id"]]
    assert hit[0]["cdm"]["reexamination"] is True
    assert "re-examination" in hit[0]["cdm"]["explanation"]


def _answers(charter: dict) -> dict:
    from tests.conftest import complete_answers

    return complete_answers(charter)


def test_an_ethics_field_change_reindexes_the_badge(personas, catalogue):
    pkg = catalogue["compliant"]
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=pkg["id"], purpose="Autre"
    )
    assert [d["id"] for d in _search(fq="cdm_badge:outdated")["results"]] == [pkg["id"]]


def test_badges_refresh_reindexes_the_badges_gone_stale(cli, personas, charter, catalogue):
    from ckan.cli.cli import ckan as ckan_command

    from ckanext.cdm.data import read_charter

    pkg_id = catalogue["compliant"]["id"]
    president = {"user": personas.president}
    helpers.call_action(
        "cdm_charter_create", context=president, **{**read_charter(), "number": "2.0"}
    )
    helpers.call_action("cdm_charter_adopt", context=president, id="2.0", decision_reference="S")
    # the adoption's background job has not run: the index still says compliant
    assert [d["id"] for d in _search(fq="cdm_badge:compliant")["results"]] == [pkg_id]
    result = cli.invoke(ckan_command, ["cdm", "badges", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Badges of 3 datasets checked, 1 reindexed." in result.output
    hit = _search(fq="cdm_badge:outdated")["results"]
    assert [d["id"] for d in hit] == [pkg_id]
    assert hit[0]["cdm"]["stale_because"] == "charter"
    # nothing left to do; --all reindexes everything
    assert (
        "3 datasets checked, 0 reindexed"
        in cli.invoke(ckan_command, ["cdm", "badges", "refresh"]).output
    )
    assert "3 reindexed" in cli.invoke(ckan_command, ["cdm", "badges", "refresh", "--all"]).output


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_adopting_a_charter_version_reindexes_the_opinions_it_supersedes(personas, catalogue):
    from ckan.lib import jobs

    from ckanext.cdm.data import read_charter

    president = {"user": personas.president}
    helpers.call_action(
        "cdm_charter_create", context=president, **{**read_charter(), "number": "2.0"}
    )
    helpers.call_action("job_clear")  # the fixture's e-mails
    helpers.call_action("cdm_charter_adopt", context=president, id="2.0", decision_reference="S")
    assert [job["title"] for job in helpers.call_action("job_list")] == [
        "cdm badges: charter 2.0 adopted"
    ]
    # a large catalogue's refresh outlives CKAN's ckan.jobs.timeout (180 s)
    (queued,) = jobs.get_queue().jobs
    assert queued.timeout == 3600
    jobs.Worker().work(burst=True)
    hit = _search(fq="cdm_badge:outdated")["results"]
    assert [d["id"] for d in hit] == [catalogue["compliant"]["id"]]
    assert hit[0]["cdm"]["stale_because"] == "charter"
    assert _search(fq="cdm_badge:compliant")["results"] == []


def test_refresh_finds_the_opinions_past_their_validity(catalogue):
    import datetime as dt

    from ckanext.cdm import badge_facts, badge_refresh

    later = clock.today() + dt.timedelta(days=366 * 3 + 1)
    # three years on, the opinion of the compliant dataset is found stale, and
    # indexed as it is on that day: nothing is left to do on that day
    assert badge_refresh.refresh(today=later) == (3, 1)
    assert badge_refresh.refresh(today=later) == (3, 0)
    assert _search(fq="cdm_badge:outdated")["results"][0]["cdm"]["stale_because"] == "age"
    # today, it is compliant again
    assert badge_refresh.refresh() == (3, 1)
    assert badge_refresh.refresh() == (3, 0)
    assert badge_facts.badge_of(catalogue["compliant"]["id"], later).stale_because == "age"


def test_the_dataset_page_has_the_committee_opinion_facet(app, catalogue):
    page = app.get("/dataset/").body
    assert "Committee opinion" in page
    assert "Compliant with the charter" in page
    assert "Under review by the committee" in page
    filtered = app.get("/dataset/?cdm_badge=compliant").body
    assert catalogue["compliant"]["title"] in filtered
    assert catalogue["plain"]["title"] not in filtered
    french = app.get("/fr/dataset/").body
    assert "Avis du comité" in french
    assert "Conforme à la Charte" in french


def test_organization_and_group_pages_have_the_facet(app, personas, catalogue):
    page = app.get(f"/organization/{personas.organization['name']}").body
    assert "Committee opinion" in page
    assert "Compliant with the charter" in page
    group = factories.Group()
    assert "Committee opinion" in app.get(f"/group/{group['name']}").body


def test_private_datasets_are_not_counted_by_the_facet(personas, charter, catalogue):
    factories.Dataset(owner_org=personas.organization["id"], private=True)
    facets = _search(**{"facet.field": '["cdm_badge"]'})["facets"]["cdm_badge"]
    assert facets["not_reviewed"] == 1
    steward = _search(personas.steward, include_private=True, **{"facet.field": '["cdm_badge"]'})
    assert steward["facets"]["cdm_badge"]["not_reviewed"] == 2


def test_package_show_keeps_the_indexed_badge_and_reads_no_badge_fact(catalogue):
    """package_show answered from the index relabels the indexed badge (no
    query); it agrees with the search results until the index is refreshed."""
    pkg_id = catalogue["compliant"]["id"]
    with helpers.changed_config("ckanext.cdm.opinion_validity_months", 0):
        # the opinion is stale for the rules, but nothing has reindexed it yet
        with sql_statements() as statements:
            shown = helpers.call_action("package_show", id=pkg_id)
        assert shown["cdm_badge"] == "compliant"
        assert shown["cdm"]["label"] == "Compliant with the charter"
        assert not [s for s in statements if "cdm_opinion" in s or "cdm_review" in s]
        assert helpers.call_action("cdm_badge_show", id=pkg_id)["cdm_badge"] == "outdated"
        from ckanext.cdm import badge_refresh

        badge_refresh.refresh()
        assert helpers.call_action("package_show", id=pkg_id)["cdm_badge"] == "outdated"
        # read from the database (no cache), the badge is computed
        fresh = helpers.call_action("package_show", {"use_cache": False}, id=pkg_id)
        assert fresh["cdm"]["stale_because"] == "age"
