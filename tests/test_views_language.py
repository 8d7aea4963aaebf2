# ruff: noqa: F811  (the opinion fixtures are imported from test_views_opinion)
"""One language per page (issue 18, points 8, 12 and 13): no English string of
CKAN core on a French page, the extension's French right (elision, agreement,
one name for the committee, the charter's drafts, the date hint, « mise en
forme simple »), French texts marked `lang="fr"` on English pages, facet links
named by what they show, error pages in the reader's language with the real
reason."""

from __future__ import annotations

import re

import polib
import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm import core_messages, labels
from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from tests.conftest import seat
from tests.helpers import auth_headers, page, visible_text
from tests.test_views_opinion import draft, held_session, in_review, published  # noqa: F401

NBSP = "\u00a0"
# what a French page showed in English (CKAN core strings without a French translation)
ENGLISH = (
    "Skip to main content",
    "Toggle navigation",
    "Search Datasets",
    "Submit",
    "Profile settings",
    "Licenses",
    "Search datasets by",
    "Filtrer les resultats",
    "Breadcrumb",
    "Navigate to",
    "Account",
    "Forbidden",
    "Not Found",
)
ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "value", "data-bs-title")


def _texts(soup) -> list[str]:
    """Every text a person sees or hears: the page's strings and the
    attributes that name or describe controls."""
    texts = [
        " ".join(s.split())
        for s in soup.find_all(string=True)
        if s.parent.name not in ("script", "style") and s.strip()
    ]
    for tag in soup.find_all(True):
        texts += [" ".join(str(tag[a]).split()) for a in ATTRIBUTES if tag.get(a)]
    return texts


def _english_on(soup) -> list[str]:
    found = [t for t in _texts(soup) for word in ENGLISH if word in t]
    found += [t for t in _texts(soup) if t == "Go"]  # the language selector's button
    return found


def test_ckan_core_messages_are_ckans_own_msgids_and_translated():
    """The msgids provided for CKAN core are CKAN's (else they translate
    nothing), and the French catalogue translates every one of them."""
    from pathlib import Path

    import ckan

    core = polib.pofile(str(Path(ckan.__file__).parent / "i18n/fr/LC_MESSAGES/ckan.po"))
    ours = polib.pofile("ckanext/cdm/i18n/fr/LC_MESSAGES/ckanext-cdm.po")
    for msgid in core_messages.CORE_MESSAGES:
        assert core.find(msgid) is not None, msgid
        entry = ours.find(msgid)
        assert entry is not None, msgid
        assert entry.msgstr, msgid
        assert entry.msgstr != msgid, msgid


def test_french_pages_have_no_english_ckan_string(app, personas, published, dataset):
    year = clock.today().year
    anonymous = [
        "/fr/",
        "/fr/dataset/",
        f"/fr/dataset/{dataset['name']}",
        "/fr/cdm/opinions",
        f"/fr/cdm/opinions/{published['number']}",
        f"/fr/cdm/report/{year}",
        "/fr/cdm/committee",
        "/fr/user/login",
        "/fr/cdm/formatting",
    ]
    steward = [f"/fr/dataset/edit/{dataset['name']}", f"/fr/dataset/{dataset['name']}/ethics"]
    president = ["/fr/cdm/events/new", "/fr/cdm/sessions/new", "/fr/cdm/charter/new"]
    for user, paths in (
        (None, anonymous),
        (personas.steward, steward),
        (personas.president, president),
    ):
        for path in paths:
            response = app.get(path, headers=auth_headers(user) if user else {})
            assert response.status_code == 200, path
            assert _english_on(page(response)) == [], f"{path} as {user}"


def test_the_search_page_speaks_french(app, dataset):
    soup = page(app.get("/fr/dataset/"))
    texts = _texts(soup)
    assert "Aller au contenu principal" in texts
    assert "Filtrer les résultats" in texts
    assert "Licences" in texts
    assert soup.find("button", attrs={"aria-label": "Rechercher"})


# Facets (point 13)


def _name(link) -> str:
    """A link's accessible name from its content (it has no aria-label)."""
    return " ".join(link.get_text().replace(NBSP, " ").split())


@pytest.mark.parametrize(
    ("prefix", "datasets"), [("/fr", "jeu de données"), ("", "matching dataset")]
)
def test_every_facet_link_is_named_by_what_it_shows(app, personas, clean_index, prefix, datasets):
    factories.Dataset(
        owner_org=personas.organization["id"],
        tags=[{"name": "mobilité"}],
        license_id="cc-by",
        resources=[{"url": "https://example.org/a.csv", "format": "CSV"}],
    )
    soup = page(app.get(f"{prefix}/dataset/"))
    links = soup.select(".nav-facet a")
    assert len(links) >= 5  # the badge, the organization, the tag, the format, the licence
    for link in links:
        assert not link.has_attr("aria-label")
        shown = " ".join(
            " ".join(span.get_text().split())
            for span in link.find_all("span", class_=["item-label", "item-count"])
        )
        assert _name(link).startswith(shown)
        assert datasets in _name(link)


# The extension's French (point 12)


def test_a_name_after_de_is_elided():
    assert labels.with_names("le mandat de {name}", name="Aminata Diallo") == (
        "le mandat d’Aminata Diallo"
    )
    assert labels.with_names("le mandat de {name}", name="Hélène Roy") == "le mandat d’Hélène Roy"
    assert labels.with_names("le mandat de {name}", name="Claire Aubertin") == (
        "le mandat de Claire Aubertin"
    )
    assert (
        labels.with_names("mandate of {name}", name="Aminata Diallo") == "mandate of Aminata Diallo"
    )
    # only the word before the name: « de la » elsewhere is untouched
    assert labels.with_names("De {a} de la {b}", a="Ève", b="Est") == "D’Ève de la Est"


def test_the_end_of_a_mandate_is_asked_with_elision(app, personas):
    user = factories.User(fullname="Aminata Diallo")["name"]
    seat(personas.sysadmin, user, "business")
    soup = page(app.get("/fr/cdm/committee/manage", headers=auth_headers(personas.sysadmin)))
    labels_ = [label.get_text(strip=True) for label in soup.find_all("label")]
    assert "Motif de la fin du mandat d’Aminata Diallo" in labels_
    assert not any("de Aminata" in text for text in labels_)


@pytest.mark.parametrize(
    ("form_of_address", "expected"),
    [
        ("madame", "{name} est désormais rapporteure de «\u00a0{title}\u00a0»."),
        ("monsieur", "{name} est désormais rapporteur de «\u00a0{title}\u00a0»."),
        (None, "Le rapport sur «\u00a0{title}\u00a0» est désormais confié à {name}."),
    ],
)
def test_the_assignment_agrees_with_the_rapporteurs_form_of_address(
    app, personas, submitted, dataset, form_of_address, expected
):
    member_seat = next(
        s
        for s in helpers.call_action("cdm_member_list", context={"user": personas.sysadmin})
        if s["user_name"] == personas.member
    )
    if form_of_address:
        helpers.call_action(
            "cdm_member_update",
            context={"user": personas.sysadmin},
            id=member_seat["id"],
            form_of_address=form_of_address,
        )
    response = app.post(
        f"/fr/dataset/{dataset['name']}/ethics/assign",
        data={"review_id": submitted["id"], "rapporteur": personas.member},
        headers=auth_headers(personas.president),
    )
    text = visible_text(page(response))
    expected = expected.format(name=member_seat["fullname"], title=dataset["title"])
    assert expected.replace(NBSP, " ") in text


def test_the_committee_has_one_name_on_french_pages(app, personas, dataset):
    name = "Comité métropolitain de la donnée"
    committee = page(app.get("/fr/cdm/committee"))
    assert committee.find("h1").get_text(strip=True) == name
    ethics = visible_text(page(app.get(f"/fr/dataset/{dataset['name']}/ethics")))
    assert f"n’a pas été soumis au {name}" in ethics
    everything = visible_text(page(app.get("/fr/cdm/badges"))) + ethics
    assert "Comité de la donnée" not in everything
    # the e-mails say it the same way
    french = polib.pofile("ckanext/cdm/i18n/fr/LC_MESSAGES/ckanext-cdm.po")
    assert not [e.msgid for e in french if "Comité de la donnée" in e.msgstr]


@pytest.mark.ckan_config("ckanext.cdm.committee_name.fr", "Comité d’éthique des données de Valmont")
@pytest.mark.ckan_config("ckanext.cdm.committee_name.en", "Valmont Data Ethics Committee")
def test_the_committee_is_named_by_the_configuration(app, dataset):
    french = page(app.get("/fr/cdm/committee"))
    assert french.find("h1").get_text(strip=True) == "Comité d’éthique des données de Valmont"
    assert french.find("footer").find("a", string="Comité d’éthique des données de Valmont")
    ethics = visible_text(page(app.get(f"/fr/dataset/{dataset['name']}/ethics")))
    assert "soumis au Comité d’éthique des données de Valmont" in ethics
    english = page(app.get("/en/cdm/committee"))
    assert english.find("h1").get_text(strip=True) == "Valmont Data Ethics Committee"
    assert "Valmont Data Ethics Committee" in app.get("/en/cdm/opinions.atom").body


def test_a_new_draft_of_the_charter_is_said_in_french(app, personas, charter):
    soup = page(app.get("/fr/cdm/charter/new", headers=auth_headers(personas.president)))
    assert soup.find("h1").get_text(strip=True) == "Nouveau projet de version de la Charte"
    assert "version projet" not in visible_text(soup)


@pytest.mark.parametrize("path", ["/fr/cdm/sessions/new", "/fr/cdm/events/new"])
def test_the_date_hint_describes_the_browsers_date_field(app, personas, path):
    """A French Chromium shows « jj/mm/aaaa --:-- »: the hint no longer gives
    an ISO example the field never shows."""
    soup = page(app.get(path, headers=auth_headers(personas.president)))
    field = soup.find(id="field-starts-at")
    assert field["type"] == "datetime-local"
    hint = soup.find(id="field-starts-at-help").get_text(" ", strip=True)
    assert "2026-03-12" not in hint
    assert hint.startswith("Choisissez le jour, puis l’heure, à l’heure locale du portail (")
    assert f"par exemple le 12{NBSP}mars 2026 à 18{NBSP}h{NBSP}00." in hint


def test_long_texts_say_simple_formatting_with_a_help_link(app, personas):
    soup = page(app.get("/fr/cdm/events/new", headers=auth_headers(personas.president)))
    label = soup.find("label", attrs={"for": "field-description"}).get_text(" ", strip=True)
    assert label == "Description (mise en forme simple)"
    help_ = soup.find(id="field-description-help")
    link = help_.find("a")
    assert link["href"] == "/fr/cdm/formatting"
    assert link.get_text(" ", strip=True).startswith(f"Mise en forme simple{NBSP}: mode d’emploi")
    assert "markdown" not in visible_text(soup).lower()

    formatting = page(app.get("/fr/cdm/formatting"))
    assert formatting.find("h1").get_text(strip=True) == "Mise en forme simple"
    rows = formatting.find("table").find("tbody").find_all("tr")
    shown = {row.th.get_text(strip=True): row.find_all("td")[1] for row in rows}
    assert [li.get_text() for li in shown["Une liste"].find_all("li")] == [
        "premier point",
        "second point",
    ]
    assert shown["Des mots importants"].find("strong").get_text() == "anonymisées"


def test_the_dataset_form_says_simple_formatting_in_french(app, personas, dataset):
    """CKAN's markdown text area said "You can use Markdown formatting here"
    with an English quick reference."""
    soup = page(
        app.get(f"/fr/dataset/edit/{dataset['name']}", headers=auth_headers(personas.steward))
    )
    info = soup.find(id="field-notes").find_next("span", class_="editor-info-block")
    text = info.get_text(" ", strip=True)
    assert text.startswith("Vous pouvez utiliser ici une mise en forme simple.")
    assert info.find("a")["href"] == "/fr/cdm/formatting"
    assert "Markdown" not in str(info)


def test_the_opinion_form_links_the_formatting_help(app, personas, in_review, dataset):
    soup = page(
        app.get(
            f"/fr/dataset/{dataset['name']}/ethics/opinion/new",
            headers=auth_headers(personas.member),
        )
    )
    help_ = soup.find(id="field-summary-help")
    assert help_.get_text(" ", strip=True).startswith("L’avis du comité en quelques paragraphes.")
    assert help_.find("a", href="/fr/cdm/formatting")


# French texts on English pages


@pytest.mark.ckan_config("ckanext.cdm.content_language", "fr")
def test_english_pages_mark_french_texts(app, personas, published):
    soup = page(app.get(f"/en/cdm/opinions/{published['number']}"))
    assert soup.find("html")["lang"] == "en"
    summary = soup.find(id="opinion-summary").find_next_sibling("div")
    assert summary["lang"] == "fr"
    assert "Le jeu de données respecte la Charte" in summary.get_text()
    title = soup.find(class_="cdm-opinion-facts").find("a", string=published["dataset_title"])
    assert title["lang"] == "fr"
    comments = soup.select(".cdm-assessments-table td[lang=fr]")
    assert comments  # the assessments' comments are French
    assert not soup.select(".cdm-assessments-table th[lang]")  # the charter has English titles
    # the French page does not mark them
    french = page(app.get(f"/fr/cdm/opinions/{published['number']}"))
    assert not french.select("#content [lang]")


@pytest.mark.ckan_config("ckanext.cdm.content_language", "fr")
def test_dataset_titles_in_the_register_and_search_results_are_marked_french(
    app, personas, published
):
    register = page(app.get("/en/cdm/opinions"))
    link = register.find("a", string=published["dataset_title"])
    assert link["lang"] == "fr"
    search = page(app.get("/en/dataset/"))
    heading = search.find("h2", class_="dataset-heading")
    assert heading.find("span", lang="fr").find("a")
    assert not page(app.get("/fr/dataset/")).select("#content [lang]")
    dataset_page = page(app.get(f"/en/dataset/{published['package_id']}"))
    assert dataset_page.find("h1").find("span", lang="fr")
    assert not page(app.get(f"/fr/dataset/{published['package_id']}")).select("h1 [lang]")


@pytest.mark.ckan_config("ckanext.cdm.content_language", "fr")
def test_a_charter_text_without_english_is_marked_french(app, personas):
    with app.flask_app.test_request_context("/en/", environ_base={"CKAN_LANG": "en"}):
        assert str(tk.h.cdm_lang_attr({"fr": "Équité", "en": ""})) == ' lang="fr"'
        assert str(tk.h.cdm_lang_attr({"fr": "Équité", "en": "Fairness"})) == ""
        assert str(tk.h.cdm_lang_attr("Texte")) == ' lang="fr"'
    with app.flask_app.test_request_context("/fr/", environ_base={"CKAN_LANG": "fr"}):
        assert str(tk.h.cdm_lang_attr("Texte")) == ""


# Reasons and error pages (point 8)


def test_the_president_is_told_the_year_is_not_over(app, personas, charter):
    year = clock.today().year
    helpers.call_action(
        "cdm_report_update", context={"user": personas.member}, year=year, introduction="Bilan."
    )
    response = app.get(f"/fr/cdm/report/{year}/publish", headers=auth_headers(personas.president))
    assert response.request.path == f"/fr/cdm/report/{year}"  # the draft, with the reason
    soup = page(response)
    assert "Accès refusé" not in visible_text(soup)
    first_day = f"1er janvier {year + 1}"  # visible_text: non-breaking spaces read as spaces
    reason = f"Le rapport de {year} pourra être publié une fois l’année écoulée, à partir du "
    reason += f"{first_day}."
    assert reason in visible_text(soup)
    assert "Seule la présidence" not in visible_text(soup)
    # a member is told who publishes
    member = page(
        app.get(f"/fr/cdm/report/{year}/publish", headers=auth_headers(personas.member), status=403)
    )
    assert "publie le rapport" in visible_text(member)
    # the action says the same
    shown = helpers.call_action("cdm_report_show", context={"user": personas.president}, year=year)
    reason = "The report of {} can be published once the year is over, from {}-01-01."
    assert shown["refused_actions"] == {"publish": reason.format(year, year + 1)}


def test_french_error_pages_have_no_english_heading(app, personas):
    not_found = page(app.get("/fr/cdm/opinions/1999-999", status=404))
    assert re.fullmatch(r"404 Page introuvable", not_found.find("h1").get_text(strip=True))
    bare = page(app.get("/fr/cdm/nowhere", status=404))
    assert bare.find("h1").get_text(strip=True) == "404 Page introuvable"
    assert "Il n’y a pas de page à cette adresse." in visible_text(bare)
    forbidden = page(
        app.get("/fr/cdm/dashboard", headers=auth_headers(personas.steward), status=403)
    )
    assert forbidden.find("h1").get_text(strip=True) == "403 Accès refusé"
    missing_dataset = page(app.get("/fr/dataset/aucun-jeu-de-donnees", status=404))
    assert "Jeu de données introuvable, ou vous n’avez pas le droit de le voir" in visible_text(
        missing_dataset
    )
    for soup in (not_found, bare, forbidden, missing_dataset):
        assert _english_on(soup) == []
    english = page(app.get("/en/cdm/nowhere", status=404))
    assert english.find("h1").get_text(strip=True) == "404 Page not found"
