"""Self-referral: the president opens a review; the stewards are told and
may answer with their self-assessment."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from ckanext.cdm.model.review import Review
from tests.conftest import complete_answers
from tests.logic.opinions import call, draft, held_session, publish
from tests.test_notifications import email_of, run_jobs, subject


@pytest.fixture
def quiet_dataset(personas, charter, clean_index) -> dict:
    """A public dataset of the steward's organization that nobody submitted."""
    return factories.Dataset(
        owner_org=personas.organization["id"], title="Caméras de la rue de la Liberté"
    )


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_the_president_opens_a_review_and_the_stewards_are_told(personas, quiet_dataset, smtp_sink):
    review = call(
        "cdm_review_open",
        personas.president,
        dataset=quiet_dataset["name"],
        message="Le comité souhaite examiner ce traitement.",
    )
    assert (review["state"], review["self_referral"]) == ("submitted", True)
    assert review["self_assessment"] == {}
    assert review["history"][0]["action"] == "self_referral"
    assert Review.get(review["id"]).permission_labels == ["public"]
    run_jobs()
    [told] = smtp_sink.to(email_of(personas.steward, personas.sysadmin))
    assert "The committee examines" in subject(told)
    assert "Le comité souhaite examiner ce traitement." in told.get_payload(decode=True).decode()
    # a member (not an editor) of the organization is no steward
    assert smtp_sink.to(email_of(personas.conflicted_member, personas.sysadmin)) == []
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_open", personas.president, dataset=quiet_dataset["id"])
    assert "dataset" in error.value.error_dict


def test_the_steward_answers_without_changing_the_state(personas, charter, quiet_dataset):
    review = call("cdm_review_open", personas.president, dataset=quiet_dataset["id"])
    steward_view = call("cdm_review_show", personas.steward, id=review["id"])
    assert "submit_self_assessment" in steward_view["allowed_actions"]
    answers = complete_answers(charter)
    call("cdm_self_assessment_save", personas.steward, id=quiet_dataset["id"], answers=answers)
    answered = call("cdm_review_submit", personas.steward, id=quiet_dataset["id"])
    assert answered["state"] == "submitted"
    assert answered["self_assessment"] == answers
    assert answered["history"][-1]["action"] == "attach_self_assessment"
    # in examination, a new answer is attached again, still without a transition
    call("cdm_review_assign", personas.president, id=review["id"], rapporteur=personas.member)
    again = call("cdm_review_submit", personas.steward, id=quiet_dataset["id"])
    assert again["state"] == "in_review"
    assert [e["action"] for e in again["history"]] == [
        "self_referral",
        "attach_self_assessment",
        "assign",
        "attach_self_assessment",
    ]


def test_a_self_referral_ends_with_a_published_opinion(personas, charter, quiet_dataset):
    review = call("cdm_review_open", personas.president, dataset=quiet_dataset["id"])
    call("cdm_review_assign", personas.president, id=review["id"], rapporteur=personas.member)
    shown = call("cdm_review_show", personas.member, id=review["id"])
    assert "draft_opinion" in shown["allowed_actions"]
    opinion = draft(personas, charter, review)
    assert (
        "draft_opinion"
        not in call("cdm_review_show", personas.member, id=review["id"])["allowed_actions"]
    )
    session_id = held_session([review["id"]], [personas.president, personas.member])
    result = publish(personas, opinion, session_id)
    assert result["self_referral"] is True
    closed = call("cdm_review_show", personas.president, id=review["id"])
    assert "self_referral" in closed["allowed_actions"]  # a new one may be opened
    assert (
        "self_referral"
        not in call("cdm_review_show", personas.member, id=review["id"])["allowed_actions"]
    )


def test_only_the_president_withdraws_a_self_referral(personas, quiet_dataset):
    """The committee's own initiative is not the steward's request: the
    steward is not offered the withdrawal and is refused it."""
    review = call("cdm_review_open", personas.president, dataset=quiet_dataset["id"])
    steward_view = call("cdm_review_show", personas.steward, id=review["id"])
    assert "withdraw" not in steward_view["allowed_actions"]
    with pytest.raises(tk.NotAuthorized):
        call("cdm_review_withdraw", personas.steward, id=review["id"])
    with pytest.raises(tk.NotAuthorized):
        call("cdm_review_withdraw", personas.member, id=review["id"])
    president_view = call("cdm_review_show", personas.president, id=review["id"])
    assert "withdraw" in president_view["allowed_actions"]
    withdrawn = call("cdm_review_withdraw", personas.president, id=review["id"])
    assert withdrawn["state"] == "withdrawn"
