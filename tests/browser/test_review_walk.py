"""One round of an ethics review, walked in Chromium in French, as each person
sees it: the steward fills in the self-assessment and submits, the president
names a rapporteur from the committee's dashboard, the rapporteur asks for
changes on the dataset's ethics tab, the steward sees the request and
resubmits. Every step is asserted on what the page shows."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ckanext.cdm.data import read_charter

REQUEST = "Indiquez combien de temps les comptages sont conservés."


def flash(page: Page, text: str | re.Pattern) -> None:
    """A flash message of CKAN's (an ``alert`` at the top of the content)."""
    expect(page.locator(".flash-messages, .alert").filter(has_text=text).first).to_be_visible()


def action(page: Page, name: str | re.Pattern):
    """The control that starts a step, whether a link styled as a button or a button."""
    return page.get_by_role("link", name=name).or_(page.get_by_role("button", name=name)).first


def review_state(page: Page):
    """The line "État de l’examen : …" (the tab shows it; the dataset's sidebar may too)."""
    return page.get_by_text(re.compile("État de l.examen")).first


def questions() -> list[str]:
    """The guiding questions of the shipped charter, in French."""
    return [q["fr"] for p in read_charter()["principles"] for q in p["questions"]]


def steward_fills_in_and_submits(page: Page, dataset: dict) -> None:
    page.goto(f"/dataset/{dataset['name']}/ethics")
    expect(page.get_by_role("heading", name="Examen éthique", level=1)).to_be_visible()
    expect(page.get_by_text("n’a pas été soumis au Comité")).to_be_visible()

    action(page, re.compile("Renseigner l.auto-évaluation")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Auto-évaluation")
    for question in questions():
        group = page.get_by_role("group", name=question, exact=False).last
        group.get_by_role("radio", name="Oui").check()
        group.get_by_label(re.compile("Justification")).fill("Délibération du 12 mars 2026.")
    page.get_by_label(re.compile("Note à l.attention du Comité")).fill("Premier envoi.")
    page.get_by_role("button", name="Enregistrer et soumettre au Comité").click()

    flash(page, "Jeu de données soumis au Comité.")
    expect(review_state(page)).to_contain_text("soumis")


def president_names_the_rapporteur(page: Page, dataset: dict, rapporteur: str) -> None:
    page.goto("/cdm/dashboard")
    expect(page.get_by_role("heading", name="Tableau de bord des examens", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=dataset["title"]))
    expect(row.first).to_contain_text("soumis")
    page.get_by_role("checkbox", name=dataset["title"]).check()
    page.get_by_role("combobox", name="Rapporteur").select_option(label=rapporteur)
    page.get_by_role("button", name=re.compile("Prendre en charge")).click()

    # today "Examen pris en charge…"; a message naming the rapporteur will do too
    flash(page, re.compile(f"pris en charge|{rapporteur}"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=dataset["title"]))
    expect(row.first).to_contain_text("en cours d’examen")
    expect(row.first).to_contain_text(rapporteur)


def rapporteur_asks_for_changes(page: Page, dataset: dict, rapporteur: str) -> None:
    page.goto("/cdm/dashboard")
    files = page.get_by_role("table", name="Mes dossiers de rapporteur")
    files.get_by_role("link", name=dataset["title"]).click()

    expect(page.get_by_role("heading", name="Examen éthique", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(f"Rapporteur\u00a0: {rapporteur}")).first).to_be_visible()
    page.get_by_label(re.compile("Questions ou compléments demandés")).fill(REQUEST)
    page.get_by_role("button", name="Demander des compléments").click()

    flash(page, "Compléments demandés au responsable de données.")
    expect(review_state(page)).to_contain_text("compléments")


def steward_sees_the_request_and_resubmits(page: Page, dataset: dict) -> None:
    page.goto("/dashboard/ethics")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=dataset["title"]))
    expect(row.first).to_contain_text("compléments")
    row.first.get_by_role("link", name=dataset["title"]).click()

    expect(page.get_by_role("heading", name="Examen éthique", level=1)).to_be_visible()
    expect(page.get_by_text(REQUEST).first).to_be_visible()
    action(page, re.compile("l.auto-évaluation")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Auto-évaluation")
    expect(page.get_by_text(REQUEST).first).to_be_visible()
    page.get_by_label(re.compile("Note à l.attention du Comité")).fill(
        "Les comptages sont conservés un an."
    )
    # "Enregistrer et soumettre au Comité", or "… et soumettre à nouveau au Comité"
    page.get_by_role("button", name=re.compile("Enregistrer et soumettre")).click()

    flash(page, "Jeu de données soumis au Comité.")
    state = review_state(page)
    expect(state).not_to_contain_text("compléments")
    expect(state).to_contain_text(re.compile("soumis|en cours d’examen"))


def test_a_review_round_in_french(visit, portal):
    dataset = portal.datasets["walk"]
    rapporteur = portal.people["rapporteur"].fullname

    steward_fills_in_and_submits(visit("steward"), dataset)
    president_names_the_rapporteur(visit("president"), dataset, rapporteur)
    rapporteur_asks_for_changes(visit("rapporteur"), dataset, rapporteur)
    steward_sees_the_request_and_resubmits(visit("steward"), dataset)
