"""The charter pages: /cdm/charter, /cdm/charter/<number>, drafts and adoption."""

from __future__ import annotations

from ckan.tests import helpers

from tests.helpers import auth_headers


def test_public_reads_the_adopted_charter_and_its_principles(app, charters):
    body = app.get("/cdm/charter").body
    assert "Metropolitan Data Charter" in body
    assert "Purpose and public interest" in body
    assert "Séance du 20 juin 2024" in body
    assert "Version 1.1" not in body  # drafts are not listed for the public


def test_charter_page_is_french_by_default_language_switch(app, charters):
    body = app.get("/fr/cdm/charter").body
    assert "Charte métropolitaine de la donnée" in body
    assert "Finalité et intérêt général" in body


def test_charter_page_without_any_adopted_version(app, clean_db):
    body = app.get("/cdm/charter").body
    assert "has not adopted a charter yet" in body


def test_draft_page_is_for_the_committee_only(app, charters):
    assert app.get("/cdm/charter/1.1", status=403)
    body = app.get("/cdm/charter/1.1", headers=auth_headers(charters.member)).body
    assert "This is a draft" in body
    assert app.get("/cdm/charter/1.1", headers=auth_headers(charters.steward), status=403)


def test_unknown_version_is_a_404(app, charters):
    app.get("/cdm/charter/7.7", status=404)


def test_president_edits_a_draft_through_the_form(app, charters):
    headers = auth_headers(charters.president)
    form = app.get("/cdm/charter/1.1/edit", headers=headers)
    assert 'name="principles__0__questions-fr"' in form.body

    version = helpers.call_action("cdm_charter_show", id="1.1")
    data = {
        "number": "1.1",
        "title-fr": "Charte révisée",
        "title-en": "Revised charter",
        "preamble-fr": "Préambule",
        "preamble-en": "Preamble",
    }
    for i, principle in enumerate(version["principles"][:2]):
        prefix = f"principles__{i}__"
        data[prefix + "code"] = principle["code"]
        for lang in ("fr", "en"):
            data[f"{prefix}title-{lang}"] = principle["title"][lang]
            data[f"{prefix}description-{lang}"] = principle["description"][lang]
            lines = [q[lang] for q in principle["questions"]] + [f"Nouvelle question {lang}"]
            data[f"{prefix}questions-{lang}"] = "\n".join(lines)
    app.post("/cdm/charter/1.1/edit", data=data, headers=headers)

    saved = helpers.call_action("cdm_charter_show", id="1.1")
    assert saved["title"] == {"fr": "Charte révisée", "en": "Revised charter"}
    assert [p["code"] for p in saved["principles"]] == ["purpose", "privacy"]
    purpose = saved["principles"][0]
    assert purpose["questions"][-1] == {
        "code": "purpose_4",
        "fr": "Nouvelle question fr",
        "en": "Nouvelle question en",
    }
    assert purpose["questions"][0]["code"] == "purpose_1"


def test_edit_form_shows_errors_and_keeps_the_draft(app, charters):
    headers = auth_headers(charters.president)
    response = app.post(
        "/cdm/charter/1.1/edit",
        data={"number": "1.1", "title-fr": "", "title-en": ""},
        headers=headers,
    )
    assert "Missing text in" in response.body
    assert helpers.call_action("cdm_charter_show", id="1.1")["title"]["fr"]


def test_president_adopts_a_draft_from_its_page(app, charters):
    headers = auth_headers(charters.president)
    app.post(
        "/cdm/charter/1.1/adopt",
        data={"decision_reference": "Séance du 3 mars 2026"},
        headers=headers,
    )
    assert helpers.call_action("cdm_charter_show")["number"] == "1.1"
    assert helpers.call_action("cdm_charter_show", id="1.0")["status"] == "superseded"


def test_member_cannot_adopt_or_edit(app, charters):
    headers = auth_headers(charters.member)
    app.post(
        "/cdm/charter/1.1/adopt", data={"decision_reference": "X"}, headers=headers, status=403
    )
    app.get("/cdm/charter/1.1/edit", headers=headers, status=403)
    app.get("/cdm/charter/new", headers=headers, status=403)


def test_president_creates_a_new_draft(app, charters):
    headers = auth_headers(charters.president)
    app.post("/cdm/charter/new", data={"number": "2.0", "copy_from": "1.0"}, headers=headers)
    assert helpers.call_action("cdm_charter_show", id="2.0")["status"] == "draft"


def test_header_links_to_the_charter_and_the_committee(app, clean_db):
    body = app.get("/dataset/").body
    assert 'href="/cdm/charter"' in body
    assert 'href="/cdm/committee"' in body


def test_edit_page_of_an_adopted_version_sends_to_a_new_draft(app, charters):
    response = app.get(
        "/cdm/charter/1.0/edit", headers=auth_headers(charters.president), follow_redirects=False
    )
    assert response.status_code == 302
    assert "/cdm/charter/new" in response.headers["Location"]


def test_first_draft_starts_from_the_shipped_charter(app, personas):
    headers = auth_headers(personas.president)
    assert (
        "The default charter shipped with ckanext-cdm"
        in app.get("/cdm/charter/new", headers=headers).body
    )
    app.post("/cdm/charter/new", data={"number": "1.0", "copy_from": "default"}, headers=headers)
    created = helpers.call_action("cdm_charter_show", id="1.0")
    assert created["status"] == "draft"
    assert len(created["principles"]) == 9
