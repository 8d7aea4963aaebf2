"""The steward's and the president's forms, walked in Chromium in French
(issue 18, points 6 and 7): a skip link takes the keyboard to the first
question; a refused submission keeps the answer typed and focuses one short
summary; the quorum line follows the attendance boxes while they are ticked,
and comes back when they are as saved."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ckanext.cdm.data import read_charter
from tests.browser.test_opinion_walk import accessible

JUSTIFICATION = "Les comptages sont agrégés à l’heure."


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_keyboard_reaches_question_one_and_keeps_the_answer(visit, portal):
    page = visit("steward")
    page.goto(f"/dataset/{portal.datasets['fresh']['name']}/ethics/self-assessment")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Auto-évaluation")
    skip = page.get_by_role("link", name="Aller au questionnaire")
    for _ in range(3):  # CKAN's « skip to the content » link, then this one
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Aller au questionnaire":
            break
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    first = page.get_by_role("group", name=re.compile("^Question 1")).first
    expect(first.get_by_role("radio", name="Oui")).to_be_focused()

    # one question answered, then « submit »: the answer is saved, the
    # summary says what is left in one sentence and takes the focus
    page.keyboard.press("Space")
    first.get_by_label(re.compile("Justification")).fill(JUSTIFICATION)
    page.get_by_role("button", name="Enregistrer et soumettre au Comité").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    left = re.compile(r"\d+ questions sans réponse, dans les principes 1 à 9\.")
    expect(summary).to_contain_text(left)
    expect(summary).to_contain_text("Vos réponses sont enregistrées.")
    expect(summary.get_by_role("link")).to_have_count(9)  # one per principle
    # a principle's link puts the focus on its first question left
    summary.get_by_role("link").nth(1).click()
    second = read_charter()["principles"][1]["questions"][0]["code"]
    assert focused_id(page).startswith(f"answer-{second}-"), focused_id(page)
    accessible(page)

    page.reload()
    first = page.get_by_role("group", name=re.compile("^Question 1")).first
    expect(first.get_by_role("radio", name="Oui")).to_be_checked()
    expect(first.get_by_label(re.compile("Justification"))).to_have_value(JUSTIFICATION)


def test_the_quorum_follows_the_attendance_ticked(visit, portal):
    page = visit("president")
    page.goto(f"/cdm/sessions/{portal.extra['opinion_session']}")
    quorum = page.locator("#quorum")
    expect(quorum).to_contain_text("Quorum atteint\u00a0:")
    attendance = page.get_by_role("group", name=re.compile("Qui est présent"))
    rapporteur = attendance.get_by_label(portal.people["rapporteur"].fullname)

    rapporteur.uncheck()  # not saved: the line says what saving would give
    expect(quorum).to_contain_text("Quorum non atteint\u00a0:")
    expect(quorum).to_contain_text("1 présent ou représenté, 2 requis")
    expect(quorum).to_contain_text("pas encore enregistré")
    accessible(page)

    rapporteur.check()  # as saved again
    expect(quorum).to_contain_text("Quorum atteint\u00a0: 2 présents ou représentés")
    expect(quorum).not_to_contain_text("pas encore enregistré")
