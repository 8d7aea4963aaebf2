"""A committee session walked in Chromium, in French: the president convenes
it with an agenda, ticks the members present, records a proxy, sees the
quorum reached, writes the minutes and closes the session; an anonymous
visitor then reads the minutes from /cdm/sessions. axe-core checks each page
on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import serious_violations
from tests.browser.test_review_walk import flash

MINUTES = "Le Comité a examiné les comptages vélo."


def accessible(page: Page) -> None:
    path = page.url.split("//", 1)[1].split("/", 1)[1]
    violations = serious_violations(page, "/" + path)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def president_convenes(page: Page, agenda_item: str) -> None:
    page.goto("/cdm/sessions")
    expect(page.get_by_role("heading", name="Séances du Comité", level=1)).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Convoquer une séance").click()
    expect(page.get_by_role("heading", name="Convoquer une séance", level=1)).to_be_visible()
    accessible(page)
    page.get_by_label(re.compile("Jour et heure")).fill("2026-03-12T18:00")
    page.get_by_label("Lieu").fill("Salle des commissions")
    page.get_by_label(re.compile("^Titre")).fill("Séance de mars")
    page.get_by_role("checkbox", name=re.compile(agenda_item)).check()
    page.get_by_role("button", name="Convoquer la séance").click()
    flash(page, "Séance enregistrée")  # on a day past: nobody is convened by e-mail
    expect(page.get_by_role("heading", name="Séance de mars", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=agenda_item)).to_be_visible()


def president_runs_it(page: Page, president: str, member: str) -> None:
    expect(page.get_by_text("Quorum non atteint")).to_be_visible()
    accessible(page)
    page.get_by_role("group", name=re.compile("Qui est présent")).get_by_label(president).check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    flash(page, "Présences enregistrées.")
    page.get_by_label("Membre absent qui donne procuration").select_option(label=member)
    page.get_by_label("Membre présent qui la reçoit").select_option(label=president)
    page.get_by_role("button", name="Enregistrer la procuration").click()
    flash(page, "Procuration enregistrée.")
    expect(page.get_by_text(f"{member} a donné procuration à {president}")).to_be_visible()
    quorum = page.locator("#quorum")
    expect(quorum).to_contain_text("Quorum atteint\u00a0:")
    expect(quorum).to_contain_text("2 présents ou représentés, 2 requis")
    page.get_by_role("textbox", name=re.compile("Procès-verbal")).fill(
        f"**Ouverture** à 18 h.\n\n{MINUTES}"
    )
    page.get_by_role("button", name="Enregistrer le procès-verbal").click()
    flash(page, "Procès-verbal enregistré.")
    accessible(page)
    page.get_by_role("link", name="Clore la séance…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clore la séance")
    accessible(page)
    page.get_by_role("button", name="Oui, clore la séance").click()
    flash(page, "Séance close")
    expect(page.locator("dl.cdm-session-facts")).to_contain_text("close")


def visitor_reads_the_minutes(page: Page) -> None:
    page.goto("/cdm/sessions")
    past = page.get_by_role("table", name="Séances passées")
    expect(past).to_contain_text("Séance de mars")
    past.get_by_role("link", name=re.compile("lire le procès-verbal")).first.click()
    expect(page.get_by_role("heading", name="Séance de mars", level=1)).to_be_visible()
    expect(page.locator(".cdm-minutes")).to_contain_text(MINUTES)
    expect(page.locator(".cdm-minutes strong")).to_have_text("Ouverture")
    expect(page.get_by_role("button", name=re.compile("Enregistrer"))).to_have_count(0)
    accessible(page)


def test_a_session_in_french(visit, portal):
    president = portal.people["president"].fullname
    member = portal.people["rapporteur"].fullname
    page = visit("president")
    president_convenes(page, portal.datasets["submitted"]["title"])
    president_runs_it(page, president, member)
    visitor_reads_the_minutes(visit("anonymous"))
