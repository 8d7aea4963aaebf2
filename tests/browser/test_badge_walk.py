"""An anonymous visitor, in French, sees the badge of a dataset on the search
page and on the dataset page, learns what it means on /cdm/badges, copies the
embed code and opens the SVG badge it points to."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_opinion_walk import accessible


def test_visitor_reads_and_embeds_a_badge(visit, portal):
    dataset = portal.datasets["submitted"]
    page = visit("anonymous")

    page.goto(f"/dataset/?q=name:{dataset['name']}")
    result = page.locator(".dataset-item").filter(has_text=dataset["title"])
    expect(
        result.get_by_role("group", name="Avis du comité\u00a0: En cours d’examen par le comité")
    ).to_be_visible()

    page.goto(f"/dataset/{dataset['name']}")
    badge = page.locator(".cdm-dataset-badge")
    expect(badge).to_contain_text("Le comité examine le jeu de données.")
    badge.get_by_text("Intégrer ce badge").click()
    markdown = badge.get_by_label("Markdown")
    expect(markdown).to_be_visible()
    accessible(page)
    svg_url = re.search(r"\((http[^)]+\.svg)\)", markdown.input_value()).group(1)

    badge.get_by_role("link", name="Ce que signifient les badges").click()
    expect(page.get_by_role("heading", name="Les badges du comité", level=1)).to_be_visible()

    response = page.goto(svg_url)
    assert response.status == 200
    assert response.headers["cache-control"] == "public, max-age=300"
    expect(page.locator("svg title")).to_have_text(
        "Avis du comité\u00a0: En cours d’examen par le comité"
    )
