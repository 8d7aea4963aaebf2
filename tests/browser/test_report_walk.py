"""The annual report walked in Chromium in French: a committee member writes
last year's draft through the form, the president publishes it after the
confirmation page, a visitor reads it from the list of reports, then opens
this year's provisional figures with their charts and prints them. Every
page is checked with axe on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_opinion_walk import accessible
from tests.browser.test_review_walk import flash

INTRODUCTION = "Une année d’installation du comité."


def year_in(link) -> int:
    """The year a link names (« Rédiger le rapport 2026 »): the walk takes the
    years from the pages, which may have seen the year turn since the suite
    started (make test-dates), never from the test's own clock."""
    expect(link).to_be_visible()
    return int(re.search(r"\b(\d{4})$", link.inner_text().strip()).group(1))


def member_writes_the_draft(page: Page) -> int:
    """Last year's report, as the list offers it; returns its year."""
    page.goto("/cdm/committee")
    page.get_by_role("link", name="Rapports annuels d’évaluation").first.click()
    write = page.get_by_role("link", name=re.compile(r"^Rédiger le rapport \d{4}$")).last
    year = year_in(write)
    write.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Brouillon du rapport {year}")
    accessible(page)
    page.get_by_label(re.compile("^Introduction")).fill(f"## Le comité\n\n{INTRODUCTION}")
    page.get_by_label(re.compile("^Cas marquants")).fill("Aucun cas marquant cette année.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    flash(page, "Brouillon enregistré")
    expect(page.locator(".cdm-notice").first).to_contain_text("Brouillon")
    expect(page.get_by_role("heading", name="Le comité", level=3)).to_be_visible()
    expect(page.get_by_role("link", name="Publier le rapport…")).to_have_count(0)
    accessible(page)
    return year


def president_publishes_it(page: Page, year: int) -> None:
    page.goto(f"/cdm/report/{year}")
    page.get_by_role("link", name="Publier le rapport…").click()
    expect(page.get_by_text("La publication est définitive.")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name=f"Publier le rapport {year}").click()
    flash(page, "Le rapport est publié")
    expect(page.locator(".cdm-report-status")).to_contain_text("Publié le")
    expect(page.get_by_role("link", name="Modifier le brouillon")).to_have_count(0)


def visitor_reads_and_prints(page: Page, year: int) -> None:
    page.goto("/")
    links = page.locator(".cdm-home-links")
    links.get_by_role("link", name="Rapports annuels d’évaluation").click()
    accessible(page)
    page.get_by_role("link", name=f"Rapport annuel d’évaluation {year}").click()
    expect(page.get_by_text(INTRODUCTION)).to_be_visible()
    accessible(page)

    page.goto("/cdm/report")
    # this year's, the first (last year's too if the year has turned since)
    provisional = page.get_by_role("link", name=re.compile(r"^Chiffres provisoires de \d{4}$"))
    this_year = year_in(provisional.first)
    assert this_year > year
    provisional.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Rapport annuel d’évaluation {this_year}"
    )
    chart = page.get_by_role("img", name=f"Avis publiés en {this_year}, par sens")
    expect(chart).to_be_visible()
    description = page.locator("#chart-verdicts desc").text_content()
    assert "Favorable\u00a0: " in description
    box = chart.bounding_box()
    assert box["width"] > 200
    assert box["height"] > 50
    table = page.get_by_role("table", name=f"Avis publiés en {this_year}")
    expect(table).to_contain_text("Total")
    # on a phone the chart keeps its labels readable and scrolls sideways
    page.set_viewport_size({"width": 320, "height": 800})
    label = page.locator("#chart-verdicts svg text").first
    assert label.bounding_box()["height"] >= 13
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    print_button = page.get_by_role("button", name="Imprimer ou enregistrer en PDF")
    expect(print_button).to_be_visible()  # shown by its script
    accessible(page)

    page.emulate_media(media="print")
    expect(page.locator(".masthead")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".cdm-report-actions")).to_be_hidden()
    expect(chart).to_be_visible()
    expect(table).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")


def test_the_annual_report_in_french(visit, portal):
    year = member_writes_the_draft(visit("rapporteur"))
    president_publishes_it(visit("president"), year)
    visitor_reads_and_prints(visit("anonymous"), year)
