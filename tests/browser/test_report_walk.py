"""The annual report walked in Chromium in French: a committee member writes
last year's draft through the form, the president publishes it after the
confirmation page, a visitor reads it from the list of reports, then opens
this year's provisional figures with their charts and prints them. Every
page is checked with axe on the way."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from tests.browser.test_opinion_walk import accessible
from tests.browser.test_review_walk import flash

THIS_YEAR = dt.date.today().year
LAST_YEAR = THIS_YEAR - 1
INTRODUCTION = "Une année d’installation du comité."


def member_writes_the_draft(page: Page) -> None:
    page.goto("/cdm/committee")
    page.get_by_role("link", name="Rapports annuels d’évaluation").first.click()
    page.get_by_role("link", name=f"Rédiger le rapport {LAST_YEAR}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Brouillon du rapport {LAST_YEAR}")
    accessible(page)
    page.get_by_label(re.compile("^Introduction")).fill(f"## Le comité\n\n{INTRODUCTION}")
    page.get_by_label(re.compile("^Cas marquants")).fill("Aucun cas marquant cette année.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    flash(page, "Brouillon enregistré")
    expect(page.locator(".cdm-notice").first).to_contain_text("Brouillon")
    expect(page.get_by_role("heading", name="Le comité", level=3)).to_be_visible()
    expect(page.get_by_role("link", name="Publier le rapport…")).to_have_count(0)
    accessible(page)


def president_publishes_it(page: Page) -> None:
    page.goto(f"/cdm/report/{LAST_YEAR}")
    page.get_by_role("link", name="Publier le rapport…").click()
    expect(page.get_by_text("La publication est définitive.")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name=f"Publier le rapport {LAST_YEAR}").click()
    flash(page, "Le rapport est publié")
    expect(page.locator(".cdm-report-status")).to_contain_text("Publié le")
    expect(page.get_by_role("link", name="Modifier le brouillon")).to_have_count(0)


def visitor_reads_and_prints(page: Page) -> None:
    page.goto("/")
    links = page.locator(".cdm-home-links")
    links.get_by_role("link", name="Rapports annuels d’évaluation").click()
    accessible(page)
    page.get_by_role("link", name=f"Rapport annuel d’évaluation {LAST_YEAR}").click()
    expect(page.get_by_text(INTRODUCTION)).to_be_visible()
    accessible(page)

    page.goto("/cdm/report")
    page.get_by_role("link", name=f"Chiffres provisoires de {THIS_YEAR}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Rapport annuel d’évaluation {THIS_YEAR}"
    )
    chart = page.get_by_role("img", name=f"Avis publiés en {THIS_YEAR}, par sens")
    expect(chart).to_be_visible()
    description = page.locator("#chart-verdicts desc").text_content()
    assert "Favorable\u00a0: " in description
    box = chart.bounding_box()
    assert box["width"] > 200
    assert box["height"] > 50
    table = page.get_by_role("table", name=f"Avis publiés en {THIS_YEAR}")
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
    member_writes_the_draft(visit("rapporteur"))
    president_publishes_it(visit("president"))
    visitor_reads_and_prints(visit("anonymous"))
