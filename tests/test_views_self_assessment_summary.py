"""The self-assessment keeps the steward's work (issue 18, point 6): a refused
submission saves every valid answer, says in one short summary what is left
(how many questions, in which principles, a link per principle), each
message beside its question, and a skip link leads to the questionnaire."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm import forms
from tests.helpers import auth_headers, page, visible_text
from tests.test_views_review import form_answers

BLANK = {"status": "", "justification": ""}
KEPT = "Les images sont floutées à la source."


def _one_answer_only(charter: dict, **overrides: dict) -> dict:
    """The form with only the first question answered (``overrides`` besides)."""
    codes = [q["code"] for p in charter["principles"] for q in p["questions"]]
    blanks = dict.fromkeys(codes[1:], BLANK)
    first = {"status": "yes", "justification": KEPT}
    return form_answers(charter, **{**blanks, codes[0]: first, **overrides})


def _post(app, personas, pkg: dict, data: dict, lang: str = ""):
    return page(
        app.post(
            f"{lang}/dataset/{pkg['name']}/ethics/self-assessment",
            data=data,
            headers=auth_headers(personas.steward),
        )
    )


def test_a_refused_submission_saves_every_valid_answer(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    first = charter["principles"][0]["questions"][0]["code"]
    # one answer, and a justification typed without its answer
    data = _one_answer_only(charter, fairness_2={"status": "", "justification": "Sans réponse"})
    soup = _post(app, personas, pkg, data | {"submit": "1"})

    saved = helpers.call_action("cdm_self_assessment_show", id=pkg["id"])["answers"]
    assert saved == {first: {"status": "yes", "justification": KEPT}}
    # the save committed, the submission wrote nothing else: no review
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("cdm_review_show", dataset=pkg["id"])
    summary = soup.find(id="error-summary")
    assert "Your other answers are saved." in summary.get_text()
    # the typed justification stays on the page, with its message beside it
    area = soup.find(id="answer-fairness_2-justification")
    assert area.get_text() == "Sans réponse"
    radio = soup.find(id="answer-fairness_2-yes")
    assert radio["aria-invalid"] == "true"
    message = soup.find(id=radio["aria-describedby"]).get_text()
    assert "Choose an answer to go with your justification" in message


def test_save_without_submitting_keeps_the_valid_answers_too(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    first = charter["principles"][0]["questions"][0]["code"]
    data = _one_answer_only(charter, fairness_2={"status": "", "justification": "Sans réponse"})
    soup = _post(app, personas, pkg, data | {"save": "1"})

    saved = helpers.call_action("cdm_self_assessment_show", id=pkg["id"])["answers"]
    assert list(saved) == [first]
    summary = soup.find(id="error-summary")
    assert summary.find("h2").get_text() == "Some answers cannot be saved"
    # saving asks for no other answer: one link, to the refused one
    assert [a["href"] for a in summary.find_all("a")] == ["#answer-fairness_2-yes"]


def test_the_summary_counts_the_questions_left_by_principle(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    questions = sum(len(p["questions"]) for p in charter["principles"])
    principles = len(charter["principles"])
    soup = _post(app, personas, pkg, _one_answer_only(charter) | {"submit": "1"}, lang="/fr")

    summary = soup.find(id="error-summary")
    text = " ".join(summary.get_text(" ").split())
    assert f"{questions - 1} questions sans réponse, dans les principes 1 à {principles}." in text
    assert "Vos réponses sont enregistrées." in text
    # one link per principle, to its first question left, naming its questions
    links = summary.find_all("a")
    assert len(links) == principles
    first = charter["principles"][0]
    assert links[0]["href"] == f"#answer-{first['questions'][1]['code']}-yes"
    numbers = [str(n) for n in range(2, len(first["questions"]) + 1)]
    assert (
        links[0]
        .get_text()
        .endswith(
            "questions " + ", ".join(numbers[:-1]) + " et " + numbers[-1]
            if len(numbers) > 1
            else "question 2"
        )
    )
    # every question left carries its own message, beside it
    second = charter["principles"][1]["questions"][0]["code"]
    radio = soup.find(id=f"answer-{second}-yes")
    assert radio["aria-invalid"] == "true"
    assert "Choisissez une réponse" in soup.find(id=radio["aria-describedby"]).get_text()
    # the summary is the page's only list of errors: no wall of messages
    assert len(summary.find_all("li")) == principles


def test_missing_justifications_are_counted_apart(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    no_reason = {"status": "yes", "justification": ""}
    last = charter["principles"][-1]
    data = form_answers(charter, **{q["code"]: no_reason for q in last["questions"]})
    soup = _post(app, personas, pkg, data | {"submit": "1"})

    text = " ".join(soup.find(id="error-summary").get_text(" ").split())
    count = len(last["questions"])
    noun = "answers" if count > 1 else "answer"
    number = len(charter["principles"])
    assert f"{count} {noun} without a justification, in principle {number}." in text
    assert "without an answer" not in text


@pytest.mark.parametrize(
    ("numbers", "said"),
    [
        ([3], "3"),
        ([1, 2], "1 and 2"),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], "1 to 9"),
        ([1, 2, 3, 5, 7, 8], "1 to 3, 5, 7 and 8"),
    ],
)
def test_principle_numbers_read_as_a_person_says_them(app, numbers, said):
    with app.flask_app.test_request_context():
        assert forms._numbers(numbers) == said


def test_a_skip_link_leads_to_the_first_question(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    soup = page(
        app.get(
            f"/fr/dataset/{pkg['name']}/ethics/self-assessment",
            headers=auth_headers(personas.steward),
        )
    )
    skip = soup.find("a", string="Aller au questionnaire")
    target = soup.find(id=skip["href"].removeprefix("#"))
    first = charter["principles"][0]["questions"][0]["code"]
    assert target["name"] == "answers__0__status"
    assert target["id"].startswith(f"answer-{first}-")
    # it comes first, with CKAN's link to the content, before any navigation
    links = soup.find_all("a")
    assert links.index(skip) <= 2
    assert "Question 1" in visible_text(soup)
