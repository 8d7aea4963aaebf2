"""Edits that do not overwrite each other, as a person meets them: the form
carries the version it was drawn from; saved meanwhile by someone else, the
page says who saved what and when, shows what is saved now, keeps what the
person typed, and a second save (now knowingly) goes through."""

from __future__ import annotations

from ckan import model
from ckan.tests import factories, helpers

from tests.helpers import auth_headers, page, visible_text
from tests.logic.opinions import draft, in_review
from tests.logic.report_data import YEAR


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def named(user: str, fullname: str) -> None:
    model.User.get(user).fullname = fullname
    model.Session.flush()


def version_of(soup) -> str:
    return soup.select_one("input[name=version]")["value"]


def conflict_of(soup) -> str:
    block = soup.find(id="edit-conflict")
    assert block is not None, "no conflict block"
    return block.get_text(" ", strip=True)


def test_the_report_form_keeps_the_typed_text_and_says_who_saved(app, personas, charter):
    named(personas.president, "Claire Aubertin")
    url = f"/cdm/report/{YEAR}/edit"
    member = auth_headers(personas.member)
    form = page(app.get(url, headers=member))
    assert version_of(form) == "0"
    call("cdm_report_update", personas.president, year=YEAR, introduction="Texte de Claire.")

    typed = {"introduction": "Mon texte.", "notable_cases": "", "recommendations": ""}
    soup = page(app.post(url, data={**typed, "version": "0"}, headers=member))
    conflict = conflict_of(soup)
    assert "Changed meanwhile" in conflict
    assert "Claire Aubertin" in conflict
    assert "Introduction" in conflict
    assert "Texte de Claire." in conflict  # what is saved now
    assert soup.find("textarea", attrs={"name": "introduction"}).get_text() == "Mon texte."
    assert soup.find(id="error-summary").find("a")["href"] == "#edit-conflict"
    assert version_of(soup) == "1"  # the form is now drawn from what is saved
    report = call("cdm_report_show", personas.member, year=YEAR)["report"]
    assert report["introduction"] == "Texte de Claire."

    saved = app.post(url, data={**typed, "version": "1"}, headers=member, follow_redirects=False)
    assert saved.status_code == 302
    assert call("cdm_report_show", personas.member, year=YEAR)["report"]["introduction"] == (
        "Mon texte."
    )


def test_the_opinion_form_keeps_the_typed_text_and_says_who_saved(app, personas, charter):
    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    named(personas.president, "Claire Aubertin")
    url = f"/cdm/opinions/draft/{opinion['id']}/edit"
    member = auth_headers(personas.member)
    version = version_of(page(app.get(url, headers=member)))
    call("cdm_opinion_update", personas.president, id=opinion["id"], summary="Synthèse de Claire.")

    typed = {"verdict": "favorable", "summary": "Ma synthèse.", "version": version}
    soup = page(app.post(url, data=typed, headers=member))
    conflict = conflict_of(soup)
    assert "Claire Aubertin" in conflict
    assert "Synthèse de Claire." in conflict
    assert soup.find("textarea", attrs={"name": "summary"}).get_text().strip() == "Ma synthèse."
    assert version_of(soup) == str(int(version) + 1)
    shown = call("cdm_opinion_show", personas.member, id=opinion["id"])
    assert shown["summary"] == "Synthèse de Claire."


def test_the_session_minutes_keep_the_typed_text_and_say_who_saved(app, personas):
    named(personas.sysadmin, "Paul Serrano")
    session = call(
        "cdm_session_create", personas.president, starts_at="2030-03-12T18:00", place="Salle"
    )
    url = f"/cdm/sessions/{session['id']}"
    president = auth_headers(personas.president)
    version = version_of(page(app.get(url, headers=president)))
    call("cdm_session_update", personas.sysadmin, id=session["id"], minutes="Notes de Paul.")

    data = {"minutes": "Mes notes.", "version": version}
    soup = page(app.post(f"{url}/minutes", data=data, headers=president))
    conflict = conflict_of(soup)
    assert "Paul Serrano" in conflict
    assert "Minutes" in conflict
    assert "Notes de Paul." in conflict
    assert soup.find("textarea", attrs={"name": "minutes"}).get_text().strip() == "Mes notes."
    shown = call("cdm_session_show", personas.president, id=session["id"])
    assert shown["minutes"] == "Notes de Paul."


def test_the_self_assessment_keeps_the_typed_answers_and_says_who_saved(app, personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    named(personas.sysadmin, "Paul Serrano")
    url = f"/dataset/{pkg['name']}/ethics/self-assessment"
    steward = auth_headers(personas.steward)
    assert version_of(page(app.get(url, headers=steward))) == "0"
    question = charter["principles"][0]["questions"][0]["code"]
    theirs = {question: {"status": "no", "justification": "Réponse de Paul."}}
    call("cdm_self_assessment_save", personas.sysadmin, id=pkg["id"], answers=theirs)

    data = {
        "answers__0__code": question,
        "answers__0__status": "yes",
        "answers__0__justification": "Ma justification.",
        "version": "0",
    }
    soup = page(app.post(url, data=data, headers=steward))
    conflict = conflict_of(soup)
    assert "Paul Serrano" in conflict
    assert charter["principles"][0]["title"]["en"] in conflict
    assert "Ma justification." in visible_text(soup)
    assert version_of(soup) == "1"
    shown = call("cdm_self_assessment_show", personas.steward, id=pkg["id"])
    assert shown["answers"] == theirs
    # what is saved now is shown beside the form where it differs
    assert "Principle 1, question 1" in conflict
    assert "Réponse de Paul." in conflict


def test_a_question_left_blank_is_not_wiped_by_saving_again(app, personas, charter):
    """The second person's form was drawn before the first saved question 1:
    it shows question 1 as saved meanwhile, and saving it again keeps it."""
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    url = f"/dataset/{pkg['name']}/ethics/self-assessment"
    steward = auth_headers(personas.steward)
    first, second = (q["code"] for q in charter["principles"][0]["questions"][:2])
    theirs = {first: {"status": "yes", "justification": "Réponse A à la question 1."}}
    call("cdm_self_assessment_save", personas.sysadmin, id=pkg["id"], answers=theirs)
    data = {
        "answers__0__code": first,
        "answers__0__status": "",
        "answers__0__justification": "",
        "answers__1__code": second,
        "answers__1__status": "no",
        "answers__1__justification": "Réponse B à la question 2.",
        "version": "0",
    }
    soup = page(app.post(url, data=data, headers=steward))
    assert conflict_of(soup)
    form = soup.find("form", id="cdm-form") or soup
    assert form.find("textarea", string="Réponse A à la question 1.")  # not blanked
    assert form.find("textarea", string="Réponse B à la question 2.")  # kept
    again = {**data, "version": version_of(soup)}
    again["answers__0__status"] = "yes"
    again["answers__0__justification"] = "Réponse A à la question 1."
    app.post(url, data=again, headers=steward)
    shown = call("cdm_self_assessment_show", personas.steward, id=pkg["id"])["answers"]
    assert shown[first]["justification"] == "Réponse A à la question 1."
    assert shown[second]["justification"] == "Réponse B à la question 2."


def test_the_conflict_reads_in_french_on_a_french_page(app, personas, charter):
    named(personas.president, "Claire Aubertin")
    call("cdm_report_update", personas.president, year=YEAR, recommendations="Publier plus.")
    data = {"introduction": "", "notable_cases": "", "recommendations": "Mes idées.", "version": 0}
    soup = page(
        app.post(f"/fr/cdm/report/{YEAR}/edit", data=data, headers=auth_headers(personas.member))
    )
    conflict = conflict_of(soup)
    assert conflict.startswith("Modifié entre-temps Quelqu’un d’autre a enregistré")
    # who, when (in French words) and what: « Claire Aubertin, 7 décembre 2026 à 14:32 : … »
    line = soup.find(id="edit-conflict").find("li").get_text()
    assert line.startswith("Claire Aubertin, ")
    assert line.endswith("\u00a0: Recommandations")
    assert " à " in line
    assert soup.find(id="error-summary").find("a").get_text().startswith("Quelqu’un d’autre")
