"""The charter as reusable data: every version as JSON and as a printable
page, under the open licence of the config, and the round trip through
``ckan cdm charter load`` on an empty portal."""

from __future__ import annotations

import json

import pytest
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

from tests.helpers import auth_headers, page, visible_text

TEXTS = ("number", "title", "preamble")


def texts(version: dict) -> dict:
    """What a reuser takes: the texts in both languages, principles in order."""
    return {
        **{key: version[key] for key in TEXTS},
        "principles": [
            {key: p[key] for key in ("code", "title", "description", "questions")}
            for p in version["principles"]
        ],
    }


def test_a_version_downloads_as_json_under_the_default_licence(app, charters):
    response = app.get("/cdm/charter/1.0.json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.body)
    assert document["format"] == "ckanext-cdm/charter"
    assert document["licence"] == {
        "title": "Licence Ouverte / Open Licence 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
    assert document["source"] == "http://test.ckan.net/cdm/charter/1.0"
    assert (document["status"], document["adopted_on"]) == ("adopted", "2024-06-20")
    assert document["decision_reference"] == "Séance du 20 juin 2024"
    shown = helpers.call_action("cdm_charter_show", id="1.0")
    assert {key: document[key] for key in (*TEXTS, "principles")} == texts(shown)
    assert set(document["principles"][0]["title"]) == {"fr", "en"}


@pytest.mark.ckan_config("ckanext.cdm.charter_licence_title", "CC BY 4.0")
@pytest.mark.ckan_config(
    "ckanext.cdm.charter_licence_url", "https://creativecommons.org/licenses/by/4.0/"
)
def test_the_licence_comes_from_the_config(app, charters):
    document = json.loads(app.get("/cdm/charter/1.0.json").body)
    assert document["licence"]["title"] == "CC BY 4.0"
    soup = page(app.get("/cdm/charter/1.0/print"))
    licence = soup.find("a", rel="license")
    assert licence.get_text() == "CC BY 4.0"
    assert licence["href"] == "https://creativecommons.org/licenses/by/4.0/"


def test_drafts_are_for_the_committee_and_unknown_versions_404(app, charters):
    app.get("/cdm/charter/1.1.json", status=403)
    app.get("/cdm/charter/1.1/print", status=403)
    member = auth_headers(charters.member)
    assert json.loads(app.get("/cdm/charter/1.1.json", headers=member).body)["status"] == "draft"
    app.get("/cdm/charter/9.9.json", status=404)
    app.get("/cdm/charter/9.9/print", status=404)


def test_the_printable_page_shows_every_question_and_the_licence(app, charters):
    soup = page(app.get("/cdm/charter/1.0/print"))
    text = visible_text(soup)
    article = soup.find("article", class_="cdm-charter-print")
    assert article.find("h1").get_text() == "Metropolitan Data Charter"
    assert "Version 1.0" in text
    assert "adopted on June 20, 2024 (Séance du 20 juin 2024)" in text
    assert soup.find("details") is None  # questions shown, not folded
    shown = helpers.call_action("cdm_charter_show", id="1.0")
    questions = article.select("ol.cdm-questions li")
    assert len(questions) == sum(len(p["questions"]) for p in shown["principles"])
    assert questions[0].get_text() == shown["principles"][0]["questions"][0]["en"]
    assert "Licence: Licence Ouverte / Open Licence 2.0" in text
    assert "Source: http://test.ckan.net/cdm/charter/1.0" in text
    assert any("cdm_print" in link["href"] for link in soup.find_all("link", rel="stylesheet"))


def test_the_printable_page_speaks_french(app, charters):
    text = visible_text(page(app.get("/fr/cdm/charter/1.0/print")))
    assert "Charte métropolitaine de la donnée" in text
    assert "Licence : Licence Ouverte / Open Licence 2.0" in text
    assert "adoptée le 20 juin 2024" in text


def test_the_charter_page_links_to_its_json_and_printable_version(app, charters):
    soup = page(app.get("/cdm/charter"))
    printable = soup.find("a", href="/cdm/charter/1.0/print")
    assert printable.get_text(strip=True) == "Printable version"
    download = soup.find("a", download="charter-1.0.json")
    assert download["href"] == "/cdm/charter/1.0.json"
    assert "Download as JSON" in download.get_text()
    assert soup.find("a", rel="license").get_text() == "Licence Ouverte / Open Licence 2.0"


def test_round_trip_export_then_load_on_an_empty_portal(
    app, charters, cli, ckan_config, tmp_path, reset_db, migrate_db_for
):
    original = helpers.call_action("cdm_charter_show", id="1.0")
    exported = tmp_path / "charter-1.0.json"
    exported.write_text(app.get("/cdm/charter/1.0.json").body, encoding="utf-8")

    reset_db()  # another territory's portal: nothing in it
    migrate_db_for("activity")
    migrate_db_for("cdm")
    assert helpers.call_action("cdm_charter_list") == []

    result = cli.invoke(ckan_command, ["cdm", "charter", "load", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Charter 1.0 loaded as a draft with 9 principles." in result.output
    loaded = helpers.call_action("cdm_charter_show", id="1.0")
    assert loaded["status"] == "draft"
    assert texts(loaded) == texts(original)
    assert loaded["preamble"]["fr"] == original["preamble"]["fr"]
    assert loaded["principles"][3]["questions"] == original["principles"][3]["questions"]


def test_charter_load_refuses_a_file_that_is_not_a_charter(cli, ckan_config, clean_db, tmp_path):
    broken = tmp_path / "charter.json"
    broken.write_text('{"number": "2.0", "principles": [', encoding="utf-8")
    result = cli.invoke(ckan_command, ["cdm", "charter", "load", str(broken)])
    assert result.exit_code != 0
    assert "not a charter file" in result.output
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    result = cli.invoke(ckan_command, ["cdm", "charter", "load", str(listed)])
    assert "not a charter file" in result.output
