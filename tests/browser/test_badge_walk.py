"""What an anonymous visitor does with the committee's badges, in Chromium, in
French (issue 10): sees the badges on the search page and on a dataset page,
filters the catalogue by the facet « Avis du comité », learns what each badge
means, opens the register of opinions, filters it and opens an opinion, and
embeds a badge that loads in another page. One step in English."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_opinion_walk import accessible


def badge(scope, label: str):
    """The badge of that label in ``scope``, found by its accessible name."""
    return scope.get_by_role("group", name=f"Avis du comité\u00a0: {label}")


def facet(page: Page, title: str = "Avis du comité"):
    return page.locator("section.module").filter(has=page.get_by_role("heading", name=title))


def no_sideways_scroll(page: Page) -> None:
    """At 320 px, the page reflows (WCAG 1.4.10): no horizontal scrolling."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    page.set_viewport_size(size)


def test_visitor_reads_and_embeds_a_badge(visit, portal):
    dataset = portal.datasets["submitted"]
    page = visit("anonymous")

    page.goto(f"/dataset/?q=name:{dataset['name']}")
    result = page.locator(".dataset-item").filter(has_text=dataset["title"])
    expect(badge(result, "En cours d’examen par le comité")).to_be_visible()

    page.goto(f"/dataset/{dataset['name']}")
    sidebar = page.locator(".cdm-dataset-badge")
    expect(sidebar).to_contain_text("Le comité examine le jeu de données.")
    sidebar.get_by_text("Intégrer ce badge").click()
    markdown = sidebar.get_by_label("Markdown")
    expect(markdown).to_be_visible()
    accessible(page)
    svg_url = re.search(r"\((http[^)]+\.svg(?:\?lang=\w+)?)\)", markdown.input_value()).group(1)

    sidebar.get_by_role("link", name="Ce que signifient les badges").click()
    expect(page.get_by_role("heading", name="Les badges du comité", level=1)).to_be_visible()
    for code, label in (
        ("compliant", "Conforme à la Charte"),
        ("outdated", "Avis à renouveler"),
        ("not_reviewed", "Non examiné par le comité"),
    ):
        expect(page.locator(f"#badge-{code}")).to_have_text(label)
    no_sideways_scroll(page)

    response = page.goto(svg_url)
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    expect(page.locator("svg title")).to_have_text(
        "Avis du comité\u00a0: En cours d’examen par le comité"
    )


def test_visitor_filters_the_catalogue_by_the_badge_facet(visit, portal):
    compliant = portal.datasets["compliant"]
    page = visit("anonymous")
    page.goto("/dataset/")
    everything = page.locator(".search-form h1, .search-form h2").first.inner_text()
    # every result carries a badge, in words
    expect(page.locator(".dataset-item")).to_have_count(2)
    for item in page.locator(".dataset-item").all():
        expect(item.locator(".cdm-badge .cdm-badge-label")).not_to_be_empty()

    item = facet(page).get_by_role("link", name=re.compile("Conforme à la Charte"))
    expect(item).to_be_visible()
    count = int(item.locator(".item-count").inner_text())
    assert count >= 1
    item.click()

    expect(page).to_have_url(re.compile(r"[?&]cdm_badge=compliant"))
    found = "jeu de données trouvé" if count == 1 else "jeux de données trouvés"
    expect(page.locator(".search-form")).to_contain_text(f"{count} {found}")
    assert page.locator(".search-form h1, .search-form h2").first.inner_text() != everything
    results = page.locator(".dataset-item")
    expect(results).to_have_count(min(count, 2))  # two results a page in the suite
    for result in results.all():
        expect(badge(result, "Conforme à la Charte")).to_be_visible()
    expect(results.filter(has_text=compliant["title"])).to_have_count(1)
    expect(page.get_by_text(portal.datasets["submitted"]["title"])).to_have_count(0)
    # the facet item is active and removes the filter
    active = facet(page).locator("li.active")
    expect(active).to_contain_text("Conforme à la Charte")
    accessible(page)
    active.get_by_role("link").click()
    expect(page).not_to_have_url(re.compile("cdm_badge="))


def test_visitor_opens_the_register_filters_it_and_reads_an_opinion(visit, portal):
    numbers = portal.extra["opinions"]
    page = visit("anonymous")
    page.goto("/cdm/opinions")
    expect(page.get_by_role("heading", name="Registre des avis", level=1)).to_be_visible()
    status = page.locator(".cdm-register-count")
    expect(status).to_have_text(re.compile(r"^\d+ avis trouvés\.$"))
    table = page.get_by_role("table", name=re.compile("^Avis publiés"))
    expect(table).to_be_visible()

    page.get_by_label("Sens de l’avis").select_option(label="Défavorable")
    filters = page.get_by_role("search", name="Rechercher dans les avis")
    filters.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"[?&]verdict=unfavorable"))
    expect(status).to_have_text("1 avis trouvé.")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    refused = portal.datasets["refused"]
    expect(rows).to_contain_text(refused["title"])
    expect(rows).to_contain_text("Défavorable")
    expect(page.get_by_role("link", name="Effacer les filtres")).to_be_visible()
    accessible(page)
    no_sideways_scroll(page)

    rows.get_by_role("link", name=f"Avis {numbers['refused']}").click()
    expect(page.get_by_role("heading", name=f"Avis {numbers['refused']}", level=1)).to_be_visible()
    expect(page.get_by_text("Défavorable").first).to_be_visible()
    page.get_by_role("link", name=refused["title"]).last.click()
    expect(page.get_by_role("heading", name=refused["title"], level=1)).to_be_visible()
    expect(badge(page.locator(".cdm-dataset-badge"), "Non conforme à la Charte")).to_be_visible()


def test_visitor_embeds_a_working_svg_badge(visit, portal):
    compliant = portal.datasets["compliant"]
    page = visit("anonymous")
    page.goto(f"/dataset/{compliant['name']}")
    sidebar = page.locator(".cdm-dataset-badge")
    expect(badge(sidebar, "Conforme à la Charte")).to_be_visible()
    number = portal.extra["opinions"]["compliant"]
    expect(sidebar.get_by_role("link", name=f"Lire l’avis {number}")).to_be_visible()
    sidebar.get_by_text("Intégrer ce badge").click()
    no_sideways_scroll(page)
    snippet = sidebar.get_by_label("HTML").input_value()
    assert f"/dataset/{compliant['name']}" in snippet

    # another site's page, with the snippet pasted into it
    page.set_content(f"<!doctype html><html lang='fr'><body><p>{snippet}</p></body></html>")
    image = page.get_by_role("img", name="Avis du comité")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('img').complete")
    assert image.evaluate("img => img.naturalWidth") > 0
    link = page.get_by_role("link", name="Avis du comité")
    assert link.get_attribute("href") == portal(f"/dataset/{compliant['name']}")


def test_visitor_filters_by_the_facet_in_english(visit, portal):
    page = visit("anonymous")
    page.goto("/en/dataset/")
    item = facet(page, "Committee opinion").get_by_role(
        "link", name=re.compile("Compliant with reservations")
    )
    item.click()
    expect(page).to_have_url(re.compile(r"/en/dataset/\?.*cdm_badge=compliant_with_reservations"))
    result = page.locator(".dataset-item").filter(has_text=portal.datasets["reserved"]["title"])
    expect(
        result.get_by_role("group", name="Committee opinion: Compliant with reservations")
    ).to_be_visible()
    result.get_by_role("link", name=portal.datasets["reserved"]["title"]).click()
    sidebar = page.locator(".cdm-dataset-badge")
    sidebar.get_by_role("link", name="What the badges mean").click()
    expect(page.get_by_role("heading", name="The badges of the committee", level=1)).to_be_visible()
    expect(page.locator("#badge-outdated")).to_contain_text("Opinion to be renewed")
