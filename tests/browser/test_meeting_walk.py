"""Citizen meetings and the charter as reusable data, walked in Chromium in
French: a committee member announces a meeting through the form (a refused
end first), a visitor finds it on the events page with its calendar feed,
then prints the charter and downloads its JSON. Every page is checked with
axe on the way."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.test_opinion_walk import accessible
from tests.browser.test_review_walk import flash

TITLE = "Atelier : lire un avis du Comité"


def member_announces_a_meeting(page: Page) -> None:
    page.goto("/cdm/events")
    page.get_by_role("link", name="Annoncer une réunion").click()
    expect(page.get_by_role("heading", name="Annoncer une réunion", level=1)).to_be_visible()
    accessible(page)
    page.get_by_label(re.compile("^(\\* )?Titre")).fill(TITLE)
    page.get_by_label(re.compile("^(\\* )?Début")).fill("2099-04-01T14:00")
    page.get_by_label(re.compile("^(\\* )?Fin")).fill("2099-04-01T13:00")
    page.get_by_label(re.compile("^(\\* )?Lieu")).fill("Maison des associations du Plateau")
    page.get_by_label(re.compile("^Lien d’inscription")).fill("https://example.org/atelier")
    page.get_by_role("button", name="Annoncer la réunion").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Fin\u00a0: La réunion doit se terminer après avoir commencé.")
    expect(page.get_by_label(re.compile("^(\\* )?Titre"))).to_have_value(TITLE)
    accessible(page)
    page.get_by_label(re.compile("^(\\* )?Fin")).fill("2099-04-01T16:30")
    page.get_by_role("button", name="Annoncer la réunion").click()
    flash(page, "Réunion annoncée")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="S’inscrire à cette réunion")).to_have_attribute(
        "href", "https://example.org/atelier"
    )
    accessible(page)


def visitor_finds_it_and_subscribes(page: Page) -> None:
    page.goto("/")
    page.locator(".cdm-home-links").get_by_role("link", name="Réunions publiques").click()
    expect(page.get_by_role("heading", name="Réunions publiques", level=1)).to_be_visible()
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Prochaines réunions"))
    expect(upcoming).to_contain_text(TITLE)
    expect(upcoming).to_contain_text("1er avril 2099, de 14:00 à 16:30")
    past = page.locator("section", has=page.get_by_role("heading", name="Réunions passées"))
    expect(past).to_contain_text("Quarante participants.")
    feed = page.locator('link[rel="alternate"][type="text/calendar"]')
    href = feed.get_attribute("href")
    body = page.request.get(href).text()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"SUMMARY:{TITLE}" in body.replace("\r\n ", "")


def visitor_prints_and_downloads_the_charter(page: Page) -> None:
    page.goto("/cdm/charter")
    page.get_by_role("link", name="Version imprimable").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charte métropolitaine de la donnée")
    accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".masthead")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".breadcrumb")).to_be_hidden()
    expect(page.locator("ol.cdm-questions li").first).to_be_visible()
    expect(page.locator(".cdm-charter-licence")).to_contain_text(
        "Licence Ouverte / Open Licence 2.0"
    )
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    page.goto("/cdm/charter")
    href = page.get_by_role("link", name="Télécharger en JSON").get_attribute("href")
    document = json.loads(page.request.get(href).text())
    assert document["licence"]["title"] == "Licence Ouverte / Open Licence 2.0"
    assert document["principles"][0]["title"]["en"]


def test_citizen_meetings_and_the_charter_as_data_in_french(visit, portal):
    member_announces_a_meeting(visit("rapporteur"))
    visitor = visit("anonymous")
    visitor_finds_it_and_subscribes(visitor)
    visitor_prints_and_downloads_the_charter(visitor)
