"""The steward's pages as a steward reads them (issue 8, points 2 to 4): the
committee's request at the top, errors tied to their questions, the next step
as the primary action, progress."""

from __future__ import annotations

import re

from ckan.tests import factories, helpers

from tests.conftest import complete_answers
from tests.helpers import auth_headers, page, visible_text
from tests.test_views_review import form_answers

REQUEST = "Précisez la durée de conservation des images."


def _ask_for_changes(personas, review) -> None:
    helpers.call_action(
        "cdm_review_request_changes",
        context={"user": personas.president},
        id=review["id"],
        message=REQUEST,
    )


def test_refused_submission_ties_each_error_to_its_question(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    # a justification typed without its answer: that answer is refused
    data = form_answers(charter, fairness_2={"status": "", "justification": "Texte tapé, gardé"})
    data |= {"submit": "1", "message": "Note gardée pour le comité"}
    soup = page(
        app.post(
            f"/dataset/{pkg['name']}/ethics/self-assessment",
            data=data,
            headers=auth_headers(personas.steward),
        )
    )

    summary = soup.find(id="error-summary")
    assert summary["tabindex"] == "-1"
    assert summary.has_attr("autofocus")
    assert summary["data-module"] == "cdm-focus"
    link = summary.find("a", href="#answer-fairness_2-yes")
    number = [p["code"] for p in charter["principles"]].index("fairness") + 1
    title = next(p["title"]["en"] for p in charter["principles"] if p["code"] == "fairness")
    assert link.get_text() == f"Principle {number}. {title}: question 2"
    assert "fairness" not in summary.get_text()  # no internal code

    radio = soup.find(id="answer-fairness_2-yes")
    assert radio["aria-invalid"] == "true"
    message = soup.find(id=radio["aria-describedby"])
    assert "Choose an answer" in message.get_text()
    assert soup.find(id="answer-purpose_1-yes").get("aria-invalid") is None

    # every typed value is still there, the note to the committee included
    assert soup.find(id="answer-fairness_2-justification").get_text() == "Texte tapé, gardé"
    assert soup.find(id="field-message").get_text() == "Note gardée pour le comité"
    assert soup.find(id="answer-purpose_1-yes").has_attr("checked")
    assert soup.title.get_text().startswith("Error:")


def test_missing_justification_points_to_the_text_area(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    data = form_answers(charter, purpose_2={"justification": ""}) | {"submit": "1"}
    soup = page(
        app.post(
            f"/dataset/{pkg['name']}/ethics/self-assessment",
            data=data,
            headers=auth_headers(personas.steward),
        )
    )
    assert soup.find(id="error-summary").find("a", href="#answer-purpose_2-justification")
    area = soup.find(id="answer-purpose_2-justification")
    assert area["aria-invalid"] == "true"
    assert area["aria-describedby"] == "answer-purpose_2-justification-error"
    assert "Justify your answer" in soup.find(id=area["aria-describedby"]).get_text()


def test_justification_is_not_a_fifth_answer(app, personas, dataset):
    soup = page(
        app.get(
            f"/dataset/{dataset['name']}/ethics/self-assessment",
            headers=auth_headers(personas.steward),
        )
    )
    group = soup.find(id="answer-purpose_1-yes").find_parent(attrs={"role": "radiogroup"})
    assert len(group.find_all("input", type="radio")) == 4
    assert group.find("textarea") is None
    assert "Justification" not in group.get_text()
    question = group.find_parent("fieldset")
    assert question.find("legend").get_text(strip=True)
    label = question.find("label", attrs={"for": "answer-purpose_1-justification"})
    assert "Justification" in label.get_text()


def test_first_step_is_the_primary_action_with_progress(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    headers = auth_headers(personas.steward)
    soup = page(app.get(f"/dataset/{pkg['name']}/ethics", headers=headers))
    total = sum(len(p["questions"]) for p in charter["principles"])
    fill = soup.find("a", string=re.compile("Fill in the self-assessment"))
    assert "btn-primary" in fill["class"]
    assert soup.find("button", string=re.compile("Submit to the committee")) is None
    assert f"0 of {total} questions answered" in visible_text(soup)

    helpers.call_action(
        "cdm_self_assessment_save",
        context={"user": personas.steward},
        id=pkg["id"],
        answers=complete_answers(charter),
    )
    soup = page(app.get(f"/dataset/{pkg['name']}/ethics", headers=headers))
    submit = soup.find("button", string=re.compile("Submit to the committee"))
    assert "btn-primary" in submit["class"]
    assert "btn-primary" not in soup.find("a", string=re.compile("self-assessment"))["class"]
    assert f"{total} of {total} questions answered" in visible_text(soup)


def test_steward_reads_the_request_at_the_top_of_the_tab_and_the_form(
    app, personas, submitted, dataset
):
    _ask_for_changes(personas, submitted)
    headers = auth_headers(personas.steward)
    for url in (
        f"/dataset/{dataset['name']}/ethics",
        f"/dataset/{dataset['name']}/ethics/self-assessment",
    ):
        soup = page(app.get(url, headers=headers))
        request = soup.find(class_="cdm-request")
        assert REQUEST in request.get_text()
        main = soup.find(attrs={"role": "main"})
        first_form = main.find("form")
        # the request comes before any form and before the history table
        assert request.sourceline < first_form.sourceline
        assert request.sourceline < main.find("table").sourceline if main.find("table") else True
    tab = page(app.get(f"/dataset/{dataset['name']}/ethics", headers=headers))
    resubmit = tab.find("button", string=re.compile("Resubmit to the committee"))
    assert "btn-primary" in resubmit["class"]


def test_public_does_not_see_the_request(app, personas, submitted, dataset):
    _ask_for_changes(personas, submitted)
    soup = page(app.get(f"/dataset/{dataset['name']}/ethics"))
    assert soup.find(class_="cdm-request") is None


def test_my_ethics_reviews_marks_what_waits_for_the_steward(app, personas, submitted, dataset):
    _ask_for_changes(personas, submitted)
    soup = page(app.get("/dashboard/ethics", headers=auth_headers(personas.steward)))
    assert soup.find("h1").get_text(strip=True) == "My ethics reviews"
    row = soup.find("table").find("a", string=dataset["title"]).find_parent("tr")
    assert "Your answer is needed" in row.get_text()


def test_dashboard_notice_of_requests_for_changes_is_for_the_stewards(
    app, personas, submitted, dataset
):
    _ask_for_changes(personas, submitted)
    soup = page(app.get("/dashboard/datasets", headers=auth_headers(personas.steward)))
    notice = soup.find(class_="cdm-notice")
    assert "1 ethics review waits for your changes" in notice.get_text()
    assert notice.find("a", href=f"/dataset/{dataset['name']}/ethics")
    for persona in ("other_steward", "registered"):
        other = page(app.get("/dashboard/datasets", headers=auth_headers(personas.name(persona))))
        assert other.find(class_="cdm-notice") is None


def test_withdrawal_asks_for_confirmation_first(app, personas, submitted, dataset):
    headers = auth_headers(personas.steward)
    tab = page(app.get(f"/dataset/{dataset['name']}/ethics", headers=headers))
    link = tab.find("a", string=re.compile("Withdraw the review"))
    confirm = page(app.get(link["href"], headers=headers))
    assert confirm.find("button", string=re.compile("Yes, withdraw the review"))
    assert helpers.call_action("cdm_review_show", id=submitted["id"])["state"] == "submitted"
    app.post(link["href"], data={"message": "Erreur de saisie"}, headers=headers)
    assert helpers.call_action("cdm_review_show", id=submitted["id"])["state"] == "withdrawn"


def test_only_the_stewards_reach_the_withdrawal_page(app, personas, submitted, dataset):
    url = f"/dataset/{dataset['name']}/ethics/withdraw"
    app.get(url, headers=auth_headers(personas.member), status=403)
    app.post(url, headers=auth_headers(personas.other_steward), status=403)


def test_first_refused_submission_lists_every_error_at_once(app, personas, charter, clean_index):
    """A structural error (a justification without its answer) and the questions
    left blank are all in the first summary, not in two rounds."""
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    blank = {"status": "", "justification": ""}
    data = form_answers(
        charter,
        fairness_2={"status": "", "justification": "Texte tapé"},
        purpose_1=blank,  # two questions left blank
        privacy_1=blank,
    )
    data |= {"submit": "1"}
    soup = page(
        app.post(
            f"/dataset/{pkg['name']}/ethics/self-assessment",
            data=data,
            headers=auth_headers(personas.steward),
        )
    )
    links = {a["href"] for a in soup.find(id="error-summary").find_all("a")}
    assert {"#answer-fairness_2-yes", "#answer-purpose_1-yes", "#answer-privacy_1-yes"} <= links


def test_progress_counts_in_real_french(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    text = visible_text(
        page(app.get(f"/fr/dataset/{pkg['name']}/ethics", headers=auth_headers(personas.steward)))
    )
    assert re.search(r"0 question renseignée sur \d+", text.replace("\xa0", " "))


def test_the_note_field_says_when_it_is_sent(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    soup = page(
        app.get(
            f"/dataset/{pkg['name']}/ethics/self-assessment",
            headers=auth_headers(personas.steward),
        )
    )
    note = soup.find(id="field-message")
    help_text = soup.find(id=note["aria-describedby"]).get_text()
    assert "with the submission" in help_text
