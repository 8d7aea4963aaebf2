"""From a review in examination to a published, numbered opinion, walked in
Chromium in French: the rapporteur drafts the opinion through the form of the
opinion schema, the president publishes it with the vote of the session held
yesterday (quorum reached), and anyone reads the permanent page, which prints
without the portal's navigation. Every page is checked with axe on the way."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ckanext.cdm.data import read_charter
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_review_walk import flash

NOTES = "Le collège recherche s’interroge sur la durée de conservation."
RESERVATIONS = "Flouter les plaques des véhicules non verbalisés."


def label(text: str) -> re.Pattern:
    """A control's name: its label, after the mark of a required field."""
    return re.compile(rf"^(\* )?{text}")


def accessible(page: Page) -> None:
    path = re.sub(r"^https?://[^/]+", "", page.url)
    violations = serious_violations(page, path)
    assert not violations, f"{path}:\n" + "\n".join(violations)


def principles() -> list[dict]:
    return read_charter()["principles"]


def rapporteur_drafts_the_opinion(page: Page, dataset: dict) -> None:
    page.goto(f"/dataset/{dataset['name']}/ethics")
    expect(page.get_by_role("heading", name="Examen éthique", level=1)).to_be_visible()
    page.get_by_role("link", name="Rédiger l’avis").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Projet d’avis")
    accessible(page)
    page.get_by_role("group", name=label("Avis")).get_by_role(
        "radio", name="Favorable avec réserves"
    ).check()
    page.get_by_label(label("Synthèse")).fill("Le dispositif est proportionné à son but.")
    for number, principle in enumerate(principles(), start=1):
        group = page.get_by_role("group", name=re.compile(f"^{number}\\. "))
        group.get_by_role("radio", name="Conforme", exact=True).check()
        group.get_by_label(re.compile("Commentaire")).fill(f"Examiné ({principle['code']}).")
    page.get_by_label(label("Réserves")).fill(RESERVATIONS)
    page.get_by_label(label("Notes de délibéré")).fill(NOTES)
    page.get_by_role("button", name="Enregistrer le projet d’avis").click()

    flash(page, "Projet d’avis enregistré.")
    expect(page.get_by_text(RESERVATIONS)).to_be_visible()
    expect(page.get_by_text(NOTES)).to_be_visible()  # the committee reads its notes
    accessible(page)


def president_publishes_with_the_vote(page: Page, dataset: dict, session_id: str) -> str:
    page.goto(f"/dataset/{dataset['name']}/ethics")
    opinions = page.get_by_role("table", name=re.compile("Avis sur"))
    opinions.get_by_role("link", name="Projet d’avis").click()
    page.get_by_role("link", name=re.compile("Publier avec le vote")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Publier l’avis")
    accessible(page)
    page.get_by_role("combobox", name=label("Séance")).select_option(session_id)
    vote = page.get_by_role("group", name="Vote")

    def count(votes_for: str, votes_against: str) -> None:
        for name, value in (
            ("Pour", votes_for),
            ("Contre", votes_against),
            ("Abstention", "0"),
            ("Ne se prononce pas", "0"),
            ("Dont procurations", "0"),
        ):
            vote.get_by_label(label(name)).fill(value)
        page.get_by_role("button", name="Publier l’avis").click()

    # a total that is not the members who could vote: the summary takes the
    # focus, every count is marked, and the summary's link reaches them
    count("3", "0")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    for name in ("Pour", "Contre", "Abstention", "Ne se prononce pas"):
        expect(vote.get_by_label(label(name))).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link", name=re.compile("^Vote")).click()
    expect(vote.get_by_label(label("Pour"))).to_be_focused()

    # a tie is no opinion: the rule is named, the counts stay
    count("1", "1")
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=re.compile("^Pour"))).to_be_visible()
    expect(summary).to_be_focused()
    expect(vote.get_by_label(label("Contre"))).to_have_value("1")
    accessible(page)
    count("2", "0")

    flash(page, re.compile(r"Avis \d{4}-\d{3} publié\."))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Avis \d{4}-\d{3}$"))
    return heading.inner_text().split()[-1]


def anyone_reads_and_prints_the_opinion(page: Page, number: str, dataset: dict) -> None:
    page.goto(f"/cdm/opinions/{number}")
    expect(page.get_by_role("heading", name=f"Avis {number}", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=dataset["title"]).last).to_be_visible()
    expect(page.get_by_text("Favorable avec réserves").first).to_be_visible()
    expect(page.get_by_text(RESERVATIONS)).to_be_visible()
    expect(page.get_by_text(NOTES)).to_have_count(0)  # confidential: the committee only
    # what was voted, in a sentence; the counts below it, in a captioned table
    expect(page.locator(".cdm-vote-sentence")).to_have_text(
        "Avis adopté par 2 voix pour, 0 contre et 0 abstention\u00a0; 0 membre ne se "
        "prononce pas\u00a0; 2 présents ou représentés sur 2 membres en fonction, quorum "
        "atteint (2 requis)."
    )
    vote = page.get_by_role("table", name="Les voix du vote")
    expect(vote).to_be_visible()
    for row in ("Pour 2", "Contre 0", "Abstention 0", "Ne se prononce pas 0"):
        expect(vote.get_by_role("row", name=row)).to_be_visible()
    expect(page.get_by_text("Pour le Comité, le Président, Lucien Berger")).to_be_visible()
    accessible(page)
    # the session's page lists the opinion, a link told apart by more than colour
    # the pattern runs in JavaScript, where \w is ASCII only: French month
    # names carry accents (février, août, décembre), and the 1st is « 1er »
    page.get_by_role("link", name=re.compile(r"^\d{1,2}(?:er)? [a-zà-ÿ]+ \d{4} à")).click()
    expect(page.get_by_role("link", name=f"Avis {number}")).to_be_visible()
    accessible(page)
    page.goto(f"/cdm/opinions/{number}")
    # no sideways scroll at 320 px (RGAA 10.11): the tables become blocks
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.set_viewport_size({"width": 1024, "height": 800})
    page.emulate_media(media="print")
    expect(page.locator(".masthead")).to_be_hidden()
    expect(page.locator(".account-masthead")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".toolbar")).to_be_hidden()
    expect(page.get_by_role("heading", name=f"Avis {number}", level=1)).to_be_visible()
    expect(vote).to_be_visible()
    # the printed links carry no raw address (the permanent one is in the text)
    after = page.get_by_role("link", name=dataset["title"]).last.evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "http" not in after, after


def test_from_a_review_in_examination_to_a_published_opinion(visit, portal):
    dataset = portal.datasets["opinion"]
    rapporteur_drafts_the_opinion(visit("rapporteur"), dataset)
    number = president_publishes_with_the_vote(
        visit("president"), dataset, portal.extra["opinion_session"]
    )
    anyone_reads_and_prints_the_opinion(visit("anonymous"), number, dataset)
