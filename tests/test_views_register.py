"""The register of opinions: the page (search, filters, table, pager, the
« corrected » mark, French and English), its CSV and JSON exports and the Atom
feed; a private dataset's opinion appears in none of them for those who may
not see it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from xml.etree import ElementTree as ET

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from tests.helpers import auth_headers, page, visible_text
from tests.logic.register import SECRET_TITLE, register

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def world(module_base):
    """Built once for the module (tests/isolation.py): the tests only read it."""
    return register(*module_base)


def _rows(soup) -> list[str]:
    table = soup.find("table", class_="cdm-register")
    return (
        [" ".join(tr.get_text(" ").split()) for tr in table.tbody.find_all("tr")] if table else []
    )


def test_the_register_lists_every_visible_opinion_in_french(app, personas, world):
    soup = page(app.get("/fr/cdm/opinions"))
    text = visible_text(soup)
    assert "Registre des avis" in text
    assert "4 avis trouvés" in text
    rows = _rows(soup)
    assert len(rows) == 4
    assert SECRET_TITLE not in text
    # the opinion on the private dataset: its number and date, nothing else
    (secret,) = [r for r in rows if world.secret["number"] in r]
    assert "porte sur un jeu de données non public" in secret
    cameras = next(r for r in rows if world.cameras["number"] in r)
    assert "Vidéoprotection du centre-ville" in cameras
    assert "Défavorable" in cameras
    darcy = next(r for r in rows if r.startswith(f"Avis {world.darcy['number']}"))
    assert "rectifié" in darcy
    assert world.correction["number"] in darcy
    table = soup.find("table", class_="cdm-register")
    assert table.caption.get_text(strip=True) == "Avis publiés"
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    links = [a["href"] for a in table.find_all("a")]
    assert f"/fr/cdm/opinions/{world.cameras['number']}" in links
    assert f"/fr/dataset/{world.cameras_dataset['id']}" in links
    for control in soup.select("form.cdm-register-filters input, form.cdm-register-filters select"):
        assert soup.find("label", attrs={"for": control["id"]}), control["id"]
    feed = soup.find("link", rel="alternate", type="application/atom+xml")
    assert feed["href"] == "/fr/cdm/opinions.atom"


def test_the_register_in_english(app, personas, world):
    text = visible_text(page(app.get("/cdm/opinions")))
    assert "Register of opinions" in text
    assert "4 opinions found." in text
    assert "about a non-public dataset" in text
    assert "Unfavourable" in text
    assert "corrected" in text


def test_search_and_filters_keep_their_values(app, personas, world):
    soup = page(app.get("/cdm/opinions?principle=privacy&assessment=non_compliant"))
    rows = _rows(soup)
    assert len(rows) == 1
    assert world.cameras["number"] in rows[0]
    assert soup.find(id="field-principle").find("option", selected=True)["value"] == "privacy"
    assert soup.find(id="field-assessment").find("option", selected=True)["value"] == (
        "non_compliant"
    )
    soup = page(app.get("/cdm/opinions?q=darcy"))
    assert soup.find(id="field-q")["value"] == "darcy"
    assert len(_rows(soup)) == 2
    org = personas.organization["name"]
    assert len(_rows(page(app.get(f"/cdm/opinions?organization={org}&verdict=favorable")))) == 2
    text = visible_text(page(app.get("/fr/cdm/opinions?q=introuvable")))
    assert "Aucun avis publié ne correspond à ces filtres." in text


def test_a_bad_filter_is_a_400_naming_it(app, personas, world):
    response = app.get("/cdm/opinions?assessment=bad", status=400)
    assert "assessment" in response.body.lower() or "appréciation" in response.body.lower()
    app.get("/cdm/opinions?year=abc", status=400)


@pytest.mark.ckan_config("ckanext.cdm.page_size", 2)
def test_the_register_is_paginated_keeping_the_filters(app, personas, world):
    first = page(app.get("/cdm/opinions"))
    assert len(_rows(first)) == 2
    assert any("page=2" in a["href"] for a in first.select(".pagination a"))
    assert len(_rows(page(app.get("/cdm/opinions?page=2")))) == 2
    filtered = page(app.get("/cdm/opinions?principle=privacy"))
    links = [a["href"] for a in filtered.select(".pagination a") if "page=2" in a["href"]]
    assert links
    assert all("principle=privacy" in href for href in links)
    assert "Previous page" in filtered.select_one(".pagination").get_text(" ") or (
        "Next page" in filtered.select_one(".pagination").get_text(" ")
    )


@pytest.mark.ckan_config("ckanext.cdm.page_size", 2)
def test_a_page_past_the_last_one_says_so_and_links_to_the_last(app, personas, world):
    first = page(app.get("/cdm/opinions"))
    pages = max(
        int(a.get_text(strip=True))
        for a in first.select(".pagination a")
        if a.get_text(strip=True).isdigit()
    )
    past = page(app.get(f"/cdm/opinions?page={pages + 1}"))
    text = visible_text(past)
    assert _rows(past) == []
    assert "There is no such page" in text
    assert "has not published any opinion" not in text
    (last,) = [
        a["href"] for a in past.select("a") if a.get_text(strip=True) == "Go to the last page"
    ]
    assert f"page={pages}" in last
    assert len(_rows(page(app.get(last)))) >= 1


def test_the_steward_sees_the_opinion_on_the_private_dataset(app, personas, world):
    text = visible_text(page(app.get("/cdm/opinions", headers=auth_headers(personas.steward))))
    assert SECRET_TITLE in text
    assert "4 opinions found." in text


# The exports


def test_csv_export(app, personas, world):
    response = app.get("/cdm/opinions.csv?q=darcy")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.body
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert [r["number"] for r in rows] == [world.correction["number"], world.darcy["number"]]
    assert rows[1]["superseded_by"] == world.correction["number"]
    assert rows[1]["verdict_label"] == "Favourable"
    assert rows[1]["url"].endswith(f"/cdm/opinions/{world.darcy['number']}")
    assert "deliberation_notes" not in rows[0]


@pytest.mark.parametrize("user", ["", "registered", "other_steward"])
def test_exports_and_feed_never_carry_the_private_opinion(app, personas, world, user):
    """Its number and date only: none of its title, organization, verdict,
    summary, dataset name or id."""
    headers = auth_headers(getattr(personas, user)) if user else {}
    secret = helpers.call_action("cdm_opinion_show", id=world.secret["id"])
    for path in ("/cdm/opinions.csv", "/cdm/opinions.json", "/cdm/opinions.atom"):
        body = app.get(path, headers=headers).body
        for hidden in _hidden_of(secret):
            assert hidden not in body, (path, hidden)
        assert world.secret["number"] in body
        assert world.cameras["number"] in body
    exported = app.get("/cdm/opinions.csv", headers=headers).body[1:]
    csv_rows = list(csv.DictReader(io.StringIO(exported)))
    (row,) = [r for r in csv_rows if r["number"] == world.secret["number"]]
    assert {k for k, v in row.items() if v} == {"number", "url", "published_at", "withheld"}
    data = json.loads(app.get("/cdm/opinions.json", headers=headers).body)
    (row,) = [r for r in data["results"] if r["number"] == world.secret["number"]]
    assert row["withheld"] is True
    assert {k for k, v in row.items() if v is not None} == {
        "number",
        "url",
        "published_at",
        "withheld",
    }
    feed = ET.fromstring(app.get("/fr/cdm/opinions.atom", headers=headers).body.encode())
    entries = feed.findall(f"{ATOM}entry")
    (entry,) = [e for e in entries if world.secret["number"] in e.find(f"{ATOM}title").text]
    assert entry.find(f"{ATOM}title").text == (
        f"Avis {world.secret['number']}\u00a0: porte sur un jeu de données non public"
    )
    assert entry.find(f"{ATOM}summary").text == "Cet avis porte sur un jeu de données non public."


def _hidden_of(opinion: dict) -> list[str]:
    """What an opinion on a private dataset hides from those who may not see it."""
    return [
        SECRET_TITLE,
        opinion["dataset_name"],
        opinion["package_id"],
        opinion["organization_id"],
        opinion["summary"],
        opinion["id"],
    ]


def test_the_page_of_an_opinion_on_a_private_dataset_gives_its_number_and_date_only(
    app, personas, world
):
    secret = helpers.call_action("cdm_opinion_show", id=world.secret["id"])
    for user in ("", personas.registered, personas.other_steward):
        response = app.get(
            f"/fr/cdm/opinions/{world.secret['number']}",
            headers=auth_headers(user) if user else {},
        )
        body = response.body
        for hidden in [*_hidden_of(secret), "Favorable", personas.organization["title"]]:
            assert hidden not in body, hidden
        text = visible_text(page(response))
        assert f"Avis {world.secret['number']}" in text
        assert "Cet avis porte sur un jeu de données non public." in text
        assert "Publié le" in text
    # by its id, nothing at all
    app.get(f"/cdm/opinions/{world.secret['id']}", status=404)
    # those who may see the dataset read the opinion
    text = visible_text(
        page(
            app.get(
                f"/cdm/opinions/{world.secret['number']}", headers=auth_headers(personas.steward)
            )
        )
    )
    assert SECRET_TITLE in text
    assert "non-public" not in text


def test_a_filter_on_what_a_withheld_opinion_hides_leaves_it_out(app, personas, world):
    """Listed under « favourable » or an organization, its number would tell
    its verdict or its organization."""
    org = personas.organization["name"]
    for query in ("verdict=favorable", f"organization={org}", "q=jeu", "principle=privacy"):
        rows = _rows(page(app.get(f"/cdm/opinions?{query}")))
        assert not any(world.secret["number"] in r for r in rows), query
    year = world.secret["number"][:4]
    rows = _rows(page(app.get(f"/cdm/opinions?year={year}")))
    assert any(world.secret["number"] in r for r in rows)


def test_json_export_has_no_confidential_field_even_for_the_committee(app, personas, world):
    response = app.get(
        "/cdm/opinions.json?verdict=unfavorable", headers=auth_headers(personas.member)
    )
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.body)
    assert data["count"] == 1
    (row,) = data["results"]
    assert row["number"] == world.cameras["number"]
    assert row["dataset_title"] == "Vidéoprotection du centre-ville"
    assert row["organization"] == personas.organization["title"]
    assert row["dataset_url"].endswith(f"/dataset/{world.cameras_dataset['id']}")
    assert "Secret de délibéré" not in response.body
    assert "deliberation_notes" not in row


def test_the_atom_feed_is_valid_atom(app, personas, world):
    response = app.get("/cdm/opinions.atom")
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.body.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    entries = [
        e for e in feed.findall(f"{ATOM}entry") if "non-public" not in e.find(f"{ATOM}title").text
    ]
    assert len(entries) == 3
    newest = entries[0]
    assert world.cameras["number"] in newest.find(f"{ATOM}title").text
    assert (
        newest.find(f"{ATOM}link").get("href").endswith(f"/cdm/opinions/{world.cameras['number']}")
    )
    assert newest.find(f"{ATOM}updated").text.endswith("Z")
    assert "floutées" in newest.find(f"{ATOM}summary").text
    assert all(e.find(f"{ATOM}id") is not None for e in entries)


def test_the_committee_page_links_to_the_register(app, personas, charter):
    soup = page(app.get("/fr/cdm/committee"))
    link = soup.find("a", string="Registre des avis")
    assert link["href"] == "/fr/cdm/opinions"


def test_csv_cells_are_never_spreadsheet_formulas():
    from ckanext.cdm.spreadsheet import inert

    assert inert('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert inert("+33 1 23") == "'+33 1 23"
    assert inert("@SUM(A1)") == "'@SUM(A1)"
    assert inert("Avis favorable") == "Avis favorable"
    assert inert(None) is None


# What a person saw in Chromium (ux10)


def test_the_atom_feed_is_signed_with_the_committee_s_name(app, personas, world):
    """The feed called the committee « comité d’éthique des données », a name
    it has nowhere else: it is the Comité métropolitain de la donnée."""
    feed = ET.fromstring(app.get("/fr/cdm/opinions.atom").body.encode("utf-8"))
    assert feed.find(f"{ATOM}title").text == "Avis du Comité métropolitain de la donnée"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Comité métropolitain de la donnée"
    soup = page(app.get("/fr/cdm/opinions"))
    link = soup.find("link", rel="alternate", type="application/atom+xml")
    assert link["title"] == "Avis du Comité métropolitain de la donnée"


def test_the_register_is_one_column_with_its_filters_side_by_side(app, personas, world):
    """The empty side bar squeezed the table until « Favorable » broke inside
    the word; the register takes the page's width."""
    soup = page(app.get("/cdm/opinions"))
    assert soup.find("aside", class_="secondary") is None
    assert "cdm-wide" in soup.find(class_="wrapper")["class"]
    form = soup.find("form", class_="cdm-register-filters")
    assert form.find(class_="cdm-filter-wide").find("input", id="field-q")
    assert form.find("button", type="submit").find_parent(class_="cdm-filter-wide")


# Attack on issue 10: what a shared cache may keep, what a bad request says


@pytest.mark.parametrize("path", ["/cdm/opinions.csv", "/cdm/opinions.json", "/cdm/opinions.atom"])
def test_an_export_for_a_signed_in_reader_is_never_stored_by_a_shared_cache(
    app, personas, world, path
):
    # the steward's export lists the opinion on the private dataset: a
    # ``public`` response to a request with an API token (no cookie, so
    # ``Vary: Cookie`` does not help) may be served by a proxy to anyone
    response = app.get(path, headers=auth_headers(personas.steward))
    assert world.secret["number"] in response.body
    control = response.headers["Cache-Control"]
    assert "private" in control
    assert "public" not in control
    anonymous = app.get(path)
    assert "private" not in anonymous.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "Year of publication"),
        ("year=0", "Year of publication"),
        ("verdict=maybe", "Verdict"),
        ("principle=X", "Principle"),
        ("assessment=bad", "Assessed as"),
        ("q=" + "y" * 300, "Words"),
        ("page=1000000", "Page"),
    ],
)
def test_a_refused_filter_is_named_on_the_400_page(app, personas, world, query, field):
    paths = ("/cdm/opinions", "/cdm/opinions.csv", "/cdm/opinions.atom")
    for path in paths[:1] if query.startswith("page=") else paths:  # exports have no pages
        response = app.get(f"{path}?{query}", status=400)
        assert f"{field}:" in visible_text(page(response)), path


def test_the_atom_feed_stays_well_formed_with_control_characters(app):
    from ckanext.cdm.views.register import atom_feed

    opinion = {
        "number": "2026-001",
        "published_at": "2026-03-02T10:00:00",
        "verdict": "favorable",
        "dataset_title": "Capteurs\x0b <b> & ]]> \x01\ufffe",
        "dataset_name": "capteurs",
        "package_id": "x",
        "summary": "Synthèse\x0c avec \x1f des caractères de contrôle.",
    }
    with app.flask_app.test_request_context("/"):
        body = atom_feed([opinion], {})
    feed = ET.fromstring(body)
    title = feed.find(f"{ATOM}entry/{ATOM}title").text
    assert "Capteurs <b> & ]]>" in title
    assert "Synthèse avec des caractères" in " ".join(
        feed.find(f"{ATOM}entry/{ATOM}summary").text.split()
    )


def test_the_register_as_csv_for_excel(app, personas, world):
    """Beside the CSV, « CSV pour Excel »: semicolons between cells, UTF-8 with
    a byte order mark, the same rows and filters."""
    soup = page(app.get("/fr/cdm/opinions?q=darcy"))
    exports = soup.find("ul", class_="cdm-register-exports")
    link = exports.find("a", string="Télécharger cette liste en CSV pour Excel")
    assert link["href"] == "/fr/cdm/opinions-excel.csv?q=darcy"
    assert exports.find("a", href="/fr/cdm/opinions.csv?q=darcy")
    response = app.get("/cdm/opinions-excel.csv?q=darcy")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="avis-cdm-excel.csv"' in response.headers["Content-Disposition"]
    body = response.body
    assert body.startswith("\ufeffnumber;url;published_at;verdict;")
    rows = list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))
    plain = list(csv.DictReader(io.StringIO(app.get("/cdm/opinions.csv?q=darcy").body[1:])))
    assert [row["number"] for row in rows] == [row["number"] for row in plain]
    assert rows[1]["summary"] == "Capteurs conformes à 100 % de la Charte."
    # dates as French Excel reads them, in the portal's time zone, and VRAI/FAUX
    with app.flask_app.test_request_context():
        for excel, row in zip(rows, plain, strict=True):
            moment = dt.datetime.fromisoformat(row["published_at"])
            local = moment.astimezone(tk.h.get_display_timezone())
            assert excel["published_at"] == local.strftime("%d/%m/%Y %H:%M")
            assert excel["withheld"] == {"True": "VRAI", "False": "FAUX"}[row["withheld"]]
            assert {k: v for k, v in excel.items() if k not in ("published_at", "withheld")} == {
                k: v for k, v in row.items() if k not in ("published_at", "withheld")
            }
