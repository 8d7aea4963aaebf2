"""What a badge costs (docs/performance.md, make bench): search results are
translated once per page, not once per result; the badge's queries are built
once, and still follow the configured ethics fields."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.cdm import badge_display, badge_facts, badge_index, labels


def _result(code: str, number: str | None = None, **cdm) -> dict:
    opinion = {"number": number, "date": "2026-03-02", "url": "/"} if number else None
    return {"name": f"d-{number}", "cdm": {"badge": code, "opinion": opinion, **cdm}}


def _page(size: int) -> dict:
    kinds = [
        _result("compliant", "2026-{:03d}"),
        _result("outdated", "2023-{:03d}", stale_because="charter", charter_version="1.0"),
        _result("compliant_with_reservations", "2025-{:03d}", reexamination=True),
        _result("not_reviewed"),
    ]
    results = []
    for n in range(size):
        result = kinds[n % len(kinds)]
        cdm = dict(result["cdm"])
        if cdm["opinion"]:
            cdm["opinion"] = {**cdm["opinion"], "number": cdm["opinion"]["number"].format(n)}
        results.append({"name": f"d-{n}", "cdm": cdm})
    return {"results": results, "search_facets": {}}


def _translations_of(page: dict, monkeypatch) -> int:
    calls = []
    translate = tk._

    def counting(*args, **kwargs):
        calls.append(args)
        return translate(*args, **kwargs)

    monkeypatch.setattr(tk, "_", counting)
    badge_display._PROCESS_WORDS.clear()  # the words the process keeps: none yet
    badge_index.localize_results(page)
    monkeypatch.setattr(tk, "_", translate)
    return len(calls)


@pytest.fixture
def api_request(test_request_context):
    """A request of the action API: the searches whose results the plugin
    puts in words (a page's templates put each badge in words themselves)."""
    with test_request_context("/api/3/action/package_search"):
        yield


@pytest.mark.usefixtures("api_request")
def test_a_search_translates_each_sentence_once_whatever_its_size(monkeypatch):
    small = _translations_of(_page(8), monkeypatch)
    large = _translations_of(_page(100), monkeypatch)
    assert small == large
    # four labels, four explanations and the re-examination note at most
    assert 4 <= large <= 9


@pytest.mark.usefixtures("api_request")
def test_the_next_search_finds_the_words_the_process_kept(monkeypatch):
    """The words of a summary in a language do not change while the process
    runs: the API's next search (the next page of a harvest) translates nothing."""
    _translations_of(_page(8), monkeypatch)
    calls = []
    translate = tk._
    monkeypatch.setattr(tk, "_", lambda *a, **k: calls.append(a) or translate(*a, **k))
    page = _page(8)
    badge_index.localize_results(page)
    assert calls == []
    assert page["results"][4]["cdm"]["label"] == labels.badge_label("compliant")


@pytest.mark.usefixtures("api_request")
def test_each_result_gets_its_own_explanation_as_if_translated_alone():
    page = _page(8)
    alone = [badge_display.localized(dict(r["cdm"])) for r in page["results"]]
    badge_index.localize_results(page)
    assert [r["cdm"] for r in page["results"]] == alone
    compliant, outdated, reexamined, plain = (r["cdm"] for r in page["results"][4:])
    assert compliant["label"] == labels.badge_label("compliant")
    assert "2026-004" in compliant["explanation"]
    assert "2023-005" in outdated["explanation"]
    assert "1.0" in outdated["explanation"]
    assert reexamined["explanation"].endswith(labels.reexamination_note())
    assert "2025-006" in reexamined["explanation"]
    assert plain["explanation"] == labels.badge_explanation("not_reviewed")


def test_the_badge_queries_follow_the_configured_ethics_fields(
    personas, charter, ckan_config, monkeypatch
):
    from tests.logic.opinions import published

    pkg, _, _ = published(personas, charter)
    assert "personal_data" in badge_facts.facts_for([pkg["id"]])[pkg["id"]].current_facts
    monkeypatch.setitem(ckan_config, "ckanext.cdm.ethics_fields", "purpose")
    assert list(badge_facts.facts_for([pkg["id"]])[pkg["id"]].current_facts) == ["purpose"]


def test_the_badges_of_a_search_page_are_translated_once_for_the_page(app, monkeypatch):
    from ckanext.cdm.helpers import cdm_badge

    def translations(size: int) -> tuple[int, list]:
        calls = []
        translate = tk._
        monkeypatch.setattr(tk, "_", lambda *a, **k: calls.append(a) or translate(*a, **k))
        badge_display._PROCESS_WORDS.clear()  # the words the process keeps: none yet
        with app.flask_app.test_request_context("/dataset/"):
            shown = [cdm_badge(result) for result in _page(size)["results"]]
        monkeypatch.setattr(tk, "_", translate)
        return len(calls), shown

    small, _ = translations(8)
    large, shown = translations(40)
    assert small == large
    compliant = shown[4]
    assert compliant["name"] == f"Committee opinion: {compliant['label']}"
    assert compliant["name_prefix"] == "Committee opinion: "
    assert "2026-004" in compliant["explanation"]


def test_a_page_leaves_the_words_to_its_templates(test_request_context):
    """A page's search leaves the results' summaries as indexed: its
    templates put each badge in words as they show it (``present``)."""
    page = _page(4)
    indexed = [dict(r["cdm"]) for r in page["results"]]
    with test_request_context("/dataset/"):
        badge_index.localize_results(page)
        assert [r["cdm"] for r in page["results"]] == indexed
        shown = badge_display.present(page["results"][0]["cdm"])
        assert shown["label"] == labels.badge_label("compliant")
        assert "2026-000" in shown["explanation"]
