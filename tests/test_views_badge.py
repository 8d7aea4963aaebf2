# ruff: noqa: F811  (the opinion fixtures are imported from test_views_opinion)
"""The badge on the pages (issue 10, points 4 and 5): the dataset page and the
search results show it in words with an icon and a link to the opinion;
/cdm/badges explains each badge; the embeddable SVG and JSON badge, cached with
an ETag, are not found for a private dataset by those who may not see it.

The pages read ``pkg_dict["cdm"]`` (badge_display.cdm_of)."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm import badge_display, labels
from tests.helpers import auth_headers, page, visible_text
from tests.test_views_opinion import draft, held_session, in_review, published  # noqa: F401

SUMMARY = {
    "badge": "outdated",
    "label": "Opinion to be renewed",
    "explanation": "",
    "opinion": {"number": "2026-004", "date": "2026-03-02", "url": "/cdm/opinions/2026-004"},
    "charter_version": "2026-1",
    "reexamination": True,
}


# Presentation of a summary


def test_presentation_of_a_summary_is_words_an_icon_and_the_opinion(app):
    with app.flask_app.test_request_context("/"):
        badge = badge_display.present(SUMMARY)
        assert badge["label"] == "Opinion to be renewed"
        assert "2026-004" in badge["explanation"]
        assert "past its period of validity" in badge["explanation"]
        assert "A re-examination is in progress." in badge["explanation"]
        assert badge["icon"] == "clock-rotate-left"
        assert badge["opinion_url"] == "/cdm/opinions/2026-004"
        assert badge["reexamination"] is True
        assert badge_display.present(None) is None


def test_every_code_has_words_an_explanation_and_an_icon(app):
    with app.flask_app.test_request_context("/"):
        for code in labels.BADGE_CODES:
            assert labels.badge_label(code) != code
            assert badge_display.meaning(code)
            assert badge_display.how_earned(code)
            assert code in badge_display.ICONS


def test_search_result_snippet_shows_the_badge_of_the_result(app):
    package = {
        "id": "x",
        "name": "capteurs",
        "title": "Capteurs",
        "type": "dataset",
        "cdm": SUMMARY,
    }
    with app.flask_app.test_request_context("/dataset"):
        app.flask_app.preprocess_request()
        html = tk.render_snippet("snippets/package_item.html", {"package": package})
    soup = BeautifulSoup(html, "html.parser")
    badge = soup.find(class_="cdm-badge")
    assert badge["aria-label"] == "Committee opinion: Opinion to be renewed"
    assert "Opinion to be renewed" in badge.get_text()
    assert "Re-examination in progress." in badge.get_text()
    assert badge.find("a", href="/cdm/opinions/2026-004").get_text(strip=True) == "Opinion 2026-004"
    assert badge.find("i", class_="fa-clock-rotate-left")["aria-hidden"] == "true"


# The dataset page and the search results


def test_dataset_page_shows_the_badge_of_a_dataset_never_reviewed(app, dataset):
    soup = page(app.get(f"/dataset/{dataset['name']}"))
    section = soup.find(class_="cdm-dataset-badge")
    text = " ".join(section.get_text(" ").split())
    assert "Not reviewed" in text
    assert "The committee has not examined the dataset." in text
    assert section.find("a", href="/cdm/badges").get_text(strip=True) == "What the badges mean"


def test_dataset_page_links_the_badge_to_the_published_opinion(app, dataset, published):
    soup = page(app.get(f"/dataset/{dataset['name']}"))
    section = soup.find(class_="cdm-dataset-badge")
    assert "Compliant with reservations" in section.get_text()
    link = section.find("a", href=f"/cdm/opinions/{published['number']}")
    assert link.get_text(strip=True) == f"Read opinion {published['number']}"
    assert "Re-examination in progress." not in section.get_text()


def test_dataset_page_speaks_french(app, dataset, published):
    soup = page(app.get(f"/fr/dataset/{dataset['name']}"))
    section = soup.find(class_="cdm-dataset-badge")
    assert "Avis du comité" in section.get_text()
    assert "Conforme avec réserves" in section.get_text()


def test_dataset_page_offers_the_embed_snippets(app, dataset):
    soup = page(app.get(f"/dataset/{dataset['name']}"))
    html = soup.find("textarea", id="cdm-badge-embed-html")
    markdown = soup.find("textarea", id="cdm-badge-embed-markdown")
    assert html.has_attr("readonly")
    assert markdown.has_attr("readonly")
    assert f"/cdm/badge/{dataset['name']}.svg" in html.get_text()
    assert "<img" in html.get_text()
    assert markdown.get_text().startswith("[![Committee opinion](")
    assert soup.find("label", attrs={"for": "cdm-badge-embed-markdown"})


def test_each_search_result_carries_its_badge(app, dataset, published, personas):
    other = factories.Dataset(owner_org=personas.organization["id"], title="Horaires des bus")
    soup = page(app.get("/dataset/"))
    items = {
        item.find("h2").get_text(" ", strip=True): item for item in soup.select(".dataset-item")
    }
    reviewed = next(v for k, v in items.items() if dataset["title"] in k)
    fresh = next(v for k, v in items.items() if other["title"] in k)
    assert "Compliant with reservations" in reviewed.find(class_="cdm-badge").get_text()
    assert reviewed.find("a", href=f"/cdm/opinions/{published['number']}")
    assert "Not reviewed" in fresh.find(class_="cdm-badge").get_text()


# /cdm/badges


@pytest.mark.usefixtures("clean_db")
def test_badges_page_explains_each_badge(app):
    text = visible_text(page(app.get("/cdm/badges")))
    for label in (
        "Compliant with the charter",
        "Compliant with reservations",
        "Not compliant with the charter",
        "Opinion to be renewed",
        "Under review by the committee",
        "Not reviewed by the committee",
    ):
        assert label in text
    assert "How it is earned:" in text
    assert "charter version it applied has been superseded" in text


@pytest.mark.usefixtures("clean_db")
def test_badges_page_speaks_french(app):
    soup = page(app.get("/fr/cdm/badges"))
    assert "Conforme à la Charte" in visible_text(soup)
    assert "Comment il s’obtient\u00a0:" in soup.find("dl").get_text()


# The embeddable badge


def test_svg_badge_names_itself_in_the_portal_language(app, dataset, published):
    response = app.get(f"/cdm/badge/{dataset['name']}.svg")
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    body = response.get_data(as_text=True)
    assert 'role="img"' in body
    assert "<title>Committee opinion: Compliant with reservations</title>" in body
    french = app.get(f"/fr/cdm/badge/{dataset['name']}.svg").get_data(as_text=True)
    assert "<title>Avis du comité\u00a0: Conforme avec réserves</title>" in french


def test_svg_badge_language_is_chosen_with_lang(app, dataset):
    body = app.get(f"/cdm/badge/{dataset['id']}.svg?lang=fr").get_data(as_text=True)
    assert ">Avis du comité</text>" in body
    assert ">Non examiné par le comité</text>" in body
    body = app.get(f"/fr/cdm/badge/{dataset['id']}.svg?lang=en").get_data(as_text=True)
    assert ">Committee opinion</text>" in body
    assert ">Not reviewed by the committee</text>" in body


def test_json_badge_is_the_summary(app, dataset, published):
    response = app.get(f"/cdm/badge/{dataset['name']}.json")
    assert response.headers["Content-Type"].startswith("application/json")
    summary = json.loads(response.get_data(as_text=True))
    assert summary["badge"] == "compliant_with_reservations"
    assert summary["opinion"]["number"] == published["number"]
    assert summary["reexamination"] is False
    assert summary["label"] == "Compliant with reservations"
    french = app.get(f"/cdm/badge/{dataset['name']}.json?lang=fr").get_data(as_text=True)
    assert json.loads(french)["label"] == "Conforme avec réserves"


@pytest.mark.parametrize("suffix", ["svg", "json"])
def test_badge_is_cached_and_a_repeated_request_is_not_modified(app, dataset, suffix):
    url = f"/cdm/badge/{dataset['name']}.{suffix}"
    first = app.get(url)
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    assert len(etag) > 10
    again = app.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=300"
    assert again.get_data() == b""
    other = app.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_etag_changes_with_the_badge(app, dataset, personas):
    url = f"/cdm/badge/{dataset['name']}.svg"
    before = app.get(url).headers["ETag"]
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    response = app.get(url, headers={"If-None-Match": before})
    assert response.status_code == 200
    assert ">Under review by the committee</text>" in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix", ["svg", "json"])
def test_private_dataset_badge_is_not_found_for_those_who_may_not_see_it(
    app, personas, charter, suffix
):
    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    url = f"/cdm/badge/{private['name']}.{suffix}"
    for user in (personas.anonymous, personas.registered, personas.other_steward):
        assert app.get(url, headers=auth_headers(user), status=404).status_code == 404
    seen = app.get(url, headers=auth_headers(personas.steward))
    assert seen.status_code == 200
    assert seen.headers["Cache-Control"] == "private, max-age=300"


@pytest.mark.usefixtures("clean_db")
def test_badge_of_an_unknown_dataset_is_not_found(app):
    app.get("/cdm/badge/no-such-dataset.svg", status=404)


def test_a_new_review_keeps_the_badge_and_says_it_is_reexamined(app, personas, dataset, published):
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    section = page(app.get(f"/dataset/{dataset['name']}")).find(class_="cdm-dataset-badge")
    text = " ".join(section.get_text(" ").split())
    assert "Compliant with reservations" in text
    # said once, in the explanation (not twice: a line above it repeated it)
    assert text.count("re-examination is in progress") == 1
    assert "Re-examination in progress." not in text


def test_private_dataset_page_does_not_offer_an_embed_that_would_not_show(app, personas, charter):
    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    soup = page(app.get(f"/dataset/{private['name']}", headers=auth_headers(personas.steward)))
    assert "Not reviewed" in soup.find(class_="cdm-dataset-badge").get_text()
    assert soup.find("textarea", id="cdm-badge-embed-html") is None


def test_badges_page_is_linked_from_the_badge_and_speaks_of_the_embed(app, dataset):
    soup = page(app.get("/cdm/badges"))
    assert "/cdm/badge/dataset-name.svg" in visible_text(soup)
    assert soup.find("span", class_="cdm-badge-compliant").find("i", attrs={"aria-hidden": "true"})


# What a person saw in Chromium (ux10)


def _name(link) -> str:
    """A link's accessible name as computed from its content (it has no aria-label)."""
    assert not link.has_attr("aria-label")
    return " ".join(link.get_text().replace("\u00a0", " ").split())


def test_badge_facet_shows_whole_labels_and_names_its_links_in_words(app, dataset, published):
    """CKAN cut the facet's labels at 22 characters (« En cours d’examen... »)
    and named each link "Search datasets by cdm_badge: …"."""
    soup = page(app.get("/dataset/"))
    facet = soup.find("ul", class_="cdm-badge-facet")
    links = {a.find(class_="item-label").get_text(strip=True): a for a in facet.find_all("a")}
    assert "Compliant with reservations" in links
    link = links["Compliant with reservations"]
    assert _name(link) == "Compliant with reservations 1 matching dataset"
    assert "cdm_badge=compliant_with_reservations" in link["href"]
    # the other facets too: no link named "Search datasets by …"
    assert not soup.find("a", attrs={"aria-label": lambda v: v and "Search datasets by" in v})


def test_active_badge_facet_says_it_removes_the_filter(app, dataset, published):
    soup = page(app.get("/dataset/?cdm_badge=compliant_with_reservations"))
    active = soup.find("ul", class_="cdm-badge-facet").find("li", class_="active").a
    assert active["aria-current"] == "true"
    assert _name(active) == (
        "Compliant with reservations 1 matching dataset, active filter: select to remove it"
    )
    assert "cdm_badge" not in active["href"]


def test_badge_facet_speaks_french_with_a_plural(app, dataset, published, personas):
    factories.Dataset(owner_org=personas.organization["id"])
    factories.Dataset(owner_org=personas.organization["id"])
    soup = page(app.get("/fr/dataset/"))
    facet = soup.find("ul", class_="cdm-badge-facet")
    names = [_name(a) for a in facet.find_all("a")]
    assert "Non examiné par le comité 2 jeux de données correspondants" in names
    assert "Conforme avec réserves 1 jeu de données correspondant" in names
    nav = facet.find_parent("nav")
    assert nav["aria-label"] == "Filtrer par\u00a0: Avis du comité"


@pytest.mark.usefixtures("clean_db")
def test_badges_page_is_one_column_without_an_empty_side_bar(app):
    soup = page(app.get("/cdm/badges"))
    assert soup.find("aside", class_="secondary") is None
    assert "cdm-wide" in soup.find(class_="wrapper")["class"]
    assert soup.find(class_="page-header") is None


def test_long_badge_labels_wrap_instead_of_overflowing():
    """« En cours d’examen par le comité » overflowed the side bar and a 320 px
    screen: Bootstrap's .badge is nowrap, the badge's label may wrap."""
    from pathlib import Path

    import ckanext.cdm

    css = (Path(ckanext.cdm.__file__).parent / "assets/css/badge.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith(".cdm-badge-label {"))
    assert "white-space: normal" in rule


def test_embed_snippet_keeps_the_language_of_the_page_and_shows_a_preview(app, dataset):
    """Copied from the English page, the badge was French on the other site
    (the portal's default language): the snippet names the page's language."""
    english = page(app.get(f"/dataset/{dataset['name']}"))
    html = english.find("textarea", id="cdm-badge-embed-html").get_text()
    assert f"/cdm/badge/{dataset['name']}.svg?lang=en" in html
    preview = english.find("img", class_="cdm-badge-preview")
    assert preview["src"].endswith(f"/cdm/badge/{dataset['name']}.svg?lang=en")
    assert preview["alt"] == ""
    french = page(app.get(f"/fr/dataset/{dataset['name']}"))
    markdown = french.find("textarea", id="cdm-badge-embed-markdown").get_text()
    assert markdown.startswith("[![Avis du comité](")
    assert f"/cdm/badge/{dataset['name']}.svg?lang=fr)" in markdown
    assert "Il s’affiche ainsi\u00a0:" in french.find("details").get_text()
    # the address in the snippet answers with the badge in that language
    image = app.get(f"/cdm/badge/{dataset['name']}.svg?lang=en").get_data(as_text=True)
    assert "Committee opinion" in image


def test_a_stale_opinion_says_so_on_its_page(app, personas, dataset, published):
    """The badge « Opinion to be renewed » links to the opinion, whose page
    showed a plain favourable verdict: it says that it is out of date, and why."""
    url = f"/cdm/opinions/{published['number']}"
    assert page(app.get(url)).find(class_="cdm-stale") is None
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=dataset["id"], purpose="Autre"
    )
    notice = page(app.get(url)).find(class_="cdm-stale")
    text = " ".join(notice.get_text(" ").split())
    assert "This opinion is out of date for the dataset." in text
    assert published["number"] in text
    assert notice.find("a", href="/cdm/badges#badge-outdated")
    french = page(app.get(f"/fr{url}")).find(class_="cdm-stale").get_text()
    assert "Cet avis n’est plus à jour pour le jeu de données." in french


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize("ref", ["a%00b", "%00", "x" * 300])
def test_badge_of_a_reference_no_dataset_can_have_is_not_found(app, ref):
    # a NUL byte reached PostgreSQL through package_show: a 500
    for suffix in ("svg", "json"):
        response = app.get(f"/cdm/badge/{ref}.{suffix}", status=404)
        assert "Dataset not found" in response.body


def test_a_badge_that_sets_a_cookie_is_never_public(app):
    # a request with only the remember-me cookie logs the user in again:
    # the badge goes out with the new session cookie, which a shared cache
    # must not keep for others (seen on the demo under gunicorn)
    from ckanext.cdm.views.badge import _BadgeResponse

    environ = {"REQUEST_METHOD": "GET", "SERVER_NAME": "x", "SERVER_PORT": "80"}
    plain = _BadgeResponse("<svg/>", mimetype="image/svg+xml")
    assert plain.get_wsgi_headers(environ)["Cache-Control"] == "public, max-age=300"
    with_cookie = _BadgeResponse("<svg/>", mimetype="image/svg+xml")
    with_cookie.set_cookie("ckan", "session")
    assert with_cookie.get_wsgi_headers(environ)["Cache-Control"] == "private, max-age=300"
