"""The review's rounds: who gets the file back after a request for changes,
a rapporteur who steps down, several stewards on one dataset."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from tests.test_notifications import email_of, run_jobs, subject


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


@pytest.fixture
def examined(personas, submitted):
    """The submitted review, assigned to the member, sent back to the steward."""
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)
    call("cdm_review_request_changes", personas.member, id=submitted["id"], message="Précisez.")
    return submitted


def test_resubmission_goes_back_to_the_rapporteur_in_office(personas, examined, dataset):
    review = call("cdm_review_submit", personas.steward, id=dataset["id"])
    assert review["state"] == "in_review"
    assert review["rapporteur_id"] == helpers.call_action("user_show", id=personas.member)["id"]
    assert [e["action"] for e in review["history"]][-1] == "resubmit"
    assert review["history"][-1]["to_state"] == "in_review"


def test_resubmission_without_a_rapporteur_goes_back_to_triage(personas, submitted, dataset):
    call("cdm_review_request_changes", personas.president, id=submitted["id"], message="Et ?")
    review = call("cdm_review_submit", personas.steward, id=dataset["id"])
    assert review["state"] == "submitted"
    assert review["rapporteur_id"] is None


def test_rapporteur_whose_mandate_ended_is_not_given_the_file_back(personas, examined, dataset):
    seat = next(
        s for s in call("cdm_member_list", personas.sysadmin) if s["user_name"] == personas.member
    )
    call("cdm_member_delete", personas.sysadmin, id=seat["id"])
    review = call("cdm_review_submit", personas.steward, id=dataset["id"])
    assert review["state"] == "submitted"
    assert review["rapporteur_id"] is None


def test_rapporteur_declaring_a_conflict_steps_down(personas, submitted, dataset):
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)
    result = call("cdm_conflict_declare", personas.member, id=dataset["id"], reason="Ancien poste")
    assert result["unassigned_reviews"] == [submitted["id"]]
    review = call("cdm_review_show", personas.president, id=submitted["id"])
    assert review["state"] == "submitted"
    assert review["rapporteur_id"] is None
    assert review["history"][-1]["action"] == "unassign"
    assert "assign" in review["allowed_actions"]
    # and the member can no longer be named
    member_view = call("cdm_review_show", personas.member, id=submitted["id"])
    assert "assign" not in member_view["allowed_actions"]
    assert "declare_conflict" not in member_view["allowed_actions"]


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_president_and_rapporteur_are_told(personas, examined, dataset, smtp_sink):
    run_jobs()
    smtp_sink.messages.clear()
    call("cdm_review_submit", personas.steward, id=dataset["id"])
    run_jobs()
    member = email_of(personas.member, personas.sysadmin)
    president = email_of(personas.president, personas.sysadmin)
    assert [subject(m) for m in smtp_sink.to(member)] == [
        f"[Metropolitan Data Committee] The steward answered: “{dataset['title']}”"
    ]
    assert smtp_sink.to(president) == []  # the file went back to its rapporteur only
    smtp_sink.messages.clear()
    call("cdm_conflict_declare", personas.member, id=dataset["id"])
    run_jobs()
    told = smtp_sink.to(president)
    assert [subject(m) for m in told] == [
        f"[Metropolitan Data Committee] A rapporteur stepped down: “{dataset['title']}”"
    ]


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_a_second_steward_who_resubmits_follows_the_review(personas, examined, dataset, smtp_sink):
    second = factories.User()["name"]
    helpers.call_action(
        "organization_member_create",
        id=personas.organization["id"],
        username=second,
        role="editor",
    )
    call("cdm_review_submit", second, id=dataset["id"])
    mine = call("cdm_review_list", second, submitted_by=second)["results"]
    assert [r["id"] for r in mine] == [examined["id"]]
    first = call("cdm_review_list", personas.steward, submitted_by=personas.steward)["results"]
    assert [r["id"] for r in first] == [examined["id"]]  # the first steward keeps it too
    run_jobs()
    smtp_sink.messages.clear()
    call("cdm_review_request_changes", personas.member, id=examined["id"], message="Encore.")
    run_jobs()
    assert len(smtp_sink.to(email_of(second, personas.sysadmin))) == 1
    assert smtp_sink.to(email_of(personas.steward, personas.sysadmin)) == []
    shown = call("cdm_review_show", personas.member, id=examined["id"])
    assert shown["last_submitted_by"] != shown["submitted_by"]
    assert len(shown["submitters"]) == 2


def test_allowed_actions_follow_the_state_and_the_user(personas, submitted):
    def allowed(user: str) -> list[str]:
        return call("cdm_review_show", user, id=submitted["id"])["allowed_actions"]

    assert allowed("") == []
    assert allowed(personas.steward) == ["withdraw"]
    assert allowed(personas.member) == ["assign", "request_changes", "declare_conflict"]
    assert allowed(personas.conflicted_member) == ["declare_conflict"]
    call("cdm_review_request_changes", personas.member, id=submitted["id"], message="?")
    assert allowed(personas.steward) == ["resubmit", "withdraw"]
    assert allowed(personas.member) == ["declare_conflict"]


def test_a_request_for_changes_needs_words_not_spaces(personas, submitted):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_request_changes", personas.member, id=submitted["id"], message="  \n ")
    assert "message" in error.value.error_dict


def test_the_public_reads_full_names_not_login_names(personas, submitted):
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)
    for shown in (
        call("cdm_review_show", "", id=submitted["id"]),
        call("cdm_review_list", "")["results"][0],
    ):
        assert shown["rapporteur_id"] is None
        assert shown["submitted_by"] is None
        assert set(shown["rapporteur"]) == {"fullname"}
        assert shown["rapporteur"]["fullname"]
    committee = call("cdm_review_show", personas.president, id=submitted["id"])
    assert committee["rapporteur"]["name"] == personas.member


def test_reviews_of_a_deleted_dataset_leave_the_public_lists(personas, submitted, dataset):
    call("cdm_review_withdraw", personas.steward, id=submitted["id"])
    helpers.call_action("package_delete", context={"user": personas.sysadmin}, id=dataset["id"])
    assert call("cdm_review_list", "")["count"] == 0
    assert call("cdm_review_list", personas.steward)["count"] == 1
