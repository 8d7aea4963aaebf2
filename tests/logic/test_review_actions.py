"""The review workflow through the action API: every legal and illegal transition."""

from __future__ import annotations

import threading

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm import activities
from tests.conftest import complete_answers, submit_dataset


def call(action: str, user: str, **data):
    """Call an action as ``user``, auth checks included."""
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def test_steward_submits_a_dataset_with_a_complete_self_assessment(personas, submitted, dataset):
    assert submitted["state"] == "submitted"
    assert submitted["package_id"] == dataset["id"]
    assert submitted["dataset_title"] == "Capteurs d'affluence"
    assert len(submitted["self_assessment"]) == 28
    assert [e["to_state"] for e in submitted["history"]] == ["submitted"]
    assert submitted["history"][0]["actor"] == personas.steward


def test_submission_with_unanswered_principles_is_refused_naming_them(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    answers = complete_answers(charter)
    del answers["privacy_2"]
    del answers["openness_1"]
    call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers=answers)
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_submit", personas.steward, id=pkg["id"])
    message = error.value.error_dict["self_assessment"][0]
    assert "privacy" in message
    assert "openness" in message
    assert "purpose" not in message


def test_an_answer_needs_a_justification(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    answers = complete_answers(charter)
    answers["security_1"]["justification"] = ""
    call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers=answers)
    with pytest.raises(tk.ValidationError, match="security"):
        call("cdm_review_submit", personas.steward, id=pkg["id"])


def test_self_assessment_draft_is_kept_between_saves(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    call(
        "cdm_self_assessment_save",
        personas.steward,
        id=pkg["id"],
        answers={"purpose_1": {"status": "partly", "justification": "En cours"}},
    )
    saved = call(
        "cdm_self_assessment_save",
        personas.steward,
        id=pkg["id"],
        answers={"purpose_2": {"status": "no", "justification": "Non évalué"}},
    )
    assert saved["answers"]["purpose_1"] == {"status": "partly", "justification": "En cours"}
    assert "purpose" in saved["missing"]
    assert len(saved["missing"]) == 9


@pytest.mark.parametrize(
    "answers",
    [
        {"unknown_9": {"status": "yes", "justification": "x"}},
        {"purpose_1": {"status": "maybe", "justification": "x"}},
        {"purpose_1": "yes"},
        "not a dict",
    ],
)
def test_bad_answers_are_a_validation_error_on_answers(personas, charter, answers):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers=answers)
    assert "answers" in error.value.error_dict


def test_no_submission_without_an_adopted_charter(personas):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_submit", personas.steward, id=pkg["id"])
    assert "charter" in error.value.error_dict


def test_full_path_submit_changes_resubmit_in_review(personas, submitted, dataset):
    asked = call(
        "cdm_review_request_changes",
        personas.president,
        id=submitted["id"],
        message="Précisez la durée de conservation.",
    )
    assert asked["state"] == "changes_requested"

    answers = {"sobriety_1": {"status": "partly", "justification": "13 mois, revu chaque année."}}
    call("cdm_self_assessment_save", personas.steward, id=dataset["id"], answers=answers)
    resubmitted = call("cdm_review_submit", personas.steward, id=dataset["id"])
    assert resubmitted["id"] == submitted["id"]  # same round
    assert resubmitted["state"] == "submitted"
    assert resubmitted["self_assessment"]["sobriety_1"]["status"] == "partly"
    assert resubmitted["self_assessment"]["purpose_1"]["status"] == "yes"  # answers kept

    assigned = call(
        "cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member
    )
    assert assigned["state"] == "in_review"
    assert assigned["rapporteur"]["name"] == personas.member
    steps = [(e["from_state"], e["to_state"]) for e in assigned["history"]]
    assert steps == [
        (None, "submitted"),
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "in_review"),
    ]
    assert assigned["history"][1]["message"] == "Précisez la durée de conservation."


def test_rapporteur_can_be_changed_while_in_review(personas, submitted):
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)
    changed = call(
        "cdm_review_assign", personas.member, id=submitted["id"], rapporteur=personas.president
    )
    assert changed["rapporteur"]["name"] == personas.president
    assert changed["state"] == "in_review"


def test_changes_can_be_requested_during_the_examination(personas, submitted):
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)
    asked = call("cdm_review_request_changes", personas.member, id=submitted["id"], message="?")
    assert asked["state"] == "changes_requested"


def test_request_for_changes_needs_a_message(personas, submitted):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_request_changes", personas.president, id=submitted["id"], message="")
    assert "message" in error.value.error_dict


@pytest.mark.parametrize("state", ["submitted", "in_review", "changes_requested"])
def test_steward_withdraws_any_open_review(personas, submitted, state):
    if state == "in_review":
        call(
            "cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member
        )
    if state == "changes_requested":
        call("cdm_review_request_changes", personas.president, id=submitted["id"], message="?")
    withdrawn = call("cdm_review_withdraw", personas.steward, id=submitted["id"])
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["closed_at"]


def _withdrawn(personas, submitted):
    return call("cdm_review_withdraw", personas.steward, id=submitted["id"])


ILLEGAL = [
    # (how to reach the state, action, extra data)
    ("changes_requested", "cdm_review_assign", {"rapporteur": "member"}),
    ("changes_requested", "cdm_review_request_changes", {"message": "?"}),
    ("withdrawn", "cdm_review_assign", {"rapporteur": "member"}),
    ("withdrawn", "cdm_review_request_changes", {"message": "?"}),
    ("withdrawn", "cdm_review_withdraw", {}),
]


@pytest.mark.parametrize(("state", "action", "extra"), ILLEGAL)
def test_illegal_transitions_name_the_current_state(personas, submitted, state, action, extra):
    if state == "changes_requested":
        call("cdm_review_request_changes", personas.president, id=submitted["id"], message="?")
        expected = "waiting for changes"
    else:
        _withdrawn(personas, submitted)
        expected = "withdrawn"
    data = {k: personas.name(v) if k == "rapporteur" else v for k, v in extra.items()}
    user = personas.steward if action == "cdm_review_withdraw" else personas.president
    with pytest.raises(tk.ValidationError) as error:
        call(action, user, id=submitted["id"], **data)
    assert expected in error.value.error_dict["state"][0]


def test_opinion_issued_is_reached_only_by_publishing_an_opinion(personas, submitted):
    from ckanext.cdm.model import Review
    from ckanext.cdm.model.review import OPINION_ISSUED, TRANSITIONS

    review = Review.get(submitted["id"])
    assert not review.allows("issue_opinion")  # not before the examination
    review.state = "in_review"
    assert review.allows("issue_opinion")
    model.Session.rollback()
    leading_there = [name for name, (_, target) in TRANSITIONS.items() if target == OPINION_ISSUED]
    assert leading_there == ["issue_opinion"]


def test_a_second_submission_while_open_is_refused(personas, submitted, dataset):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_submit", personas.steward, id=dataset["id"])
    assert "already has an open review" in error.value.error_dict["id"][0]


def test_a_new_round_after_withdrawal(personas, submitted, dataset):
    _withdrawn(personas, submitted)
    second = call("cdm_review_submit", personas.steward, id=dataset["id"])
    assert second["id"] != submitted["id"]
    listing = call("cdm_review_list", personas.president, dataset=dataset["id"])
    assert listing["count"] == 2


@pytest.mark.committing  # threads, each with its own session
def test_parallel_submissions_give_one_open_review(personas, dataset, app):
    """Four threads, four database sessions, one barrier: the database keeps one review."""
    from sqlalchemy import func, select

    from ckanext.cdm.model import Review

    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def submit() -> None:
        with app.flask_app.test_request_context():
            try:
                barrier.wait()
                call("cdm_review_submit", personas.steward, id=dataset["id"])
                outcomes.append("ok")
            except tk.ValidationError:
                outcomes.append("refused")
            except Exception as error:  # reported by the assertion below
                outcomes.append(repr(error))
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    count = model.Session.execute(
        select(func.count()).select_from(Review).where(Review.package_id == dataset["id"])
    ).scalar()
    assert count == 1


def test_rapporteur_must_be_a_member_in_office(personas, submitted):
    with pytest.raises(tk.ValidationError) as error:
        call(
            "cdm_review_assign",
            personas.president,
            id=submitted["id"],
            rapporteur=personas.registered,
        )
    assert "member in office" in error.value.error_dict["rapporteur"][0]


def test_member_of_the_dataset_organization_cannot_be_rapporteur(personas, submitted):
    with pytest.raises(tk.ValidationError) as error:
        call(
            "cdm_review_assign",
            personas.president,
            id=submitted["id"],
            rapporteur=personas.conflicted_member,
        )
    assert "conflict of interest" in error.value.error_dict["rapporteur"][0]
    eligible = {
        m["name"]
        for m in call("cdm_review_show", personas.president, id=submitted["id"])[
            "eligible_rapporteurs"
        ]
    }
    assert personas.conflicted_member not in eligible
    assert personas.member in eligible


def test_member_who_declared_a_conflict_cannot_be_rapporteur(personas, submitted, dataset):
    call("cdm_conflict_declare", personas.member, id=dataset["id"], reason="Ancien employeur")
    with pytest.raises(tk.ValidationError, match="conflict of interest"):
        call(
            "cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member
        )


def test_the_audit_trail_survives_a_purge_of_the_dataset(personas, submitted, dataset):
    call("cdm_review_withdraw", personas.steward, id=submitted["id"])
    helpers.call_action("dataset_purge", context={"user": personas.sysadmin}, id=dataset["id"])
    review = call("cdm_review_show", personas.president, id=submitted["id"])
    assert review["dataset_title"] == "Capteurs d'affluence"
    assert [e["to_state"] for e in review["history"]] == ["submitted", "withdrawn"]


def test_submission_and_withdrawal_are_public_activities(personas, submitted, dataset):
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)
    call("cdm_review_withdraw", personas.steward, id=submitted["id"])
    types = [
        a["activity_type"]
        for a in helpers.call_action(
            "package_activity_list", context={"user": ""}, id=dataset["id"]
        )
    ]
    assert activities.SUBMITTED in types
    assert activities.WITHDRAWN in types
    assert len([t for t in types if t.startswith("cdm")]) == 2  # assignment stays internal


def test_activities_of_a_private_dataset_stay_private(personas, charter, clean_index):
    pkg, _ = submit_dataset(personas.steward, personas.organization, charter, private=True)
    dashboard = helpers.call_action("recently_changed_packages_activity_list", context={"user": ""})
    assert all(a["object_id"] != pkg["id"] for a in dashboard)
    own = helpers.call_action(
        "package_activity_list", context={"user": personas.steward}, id=pkg["id"]
    )
    assert any(a["activity_type"] == activities.SUBMITTED for a in own)


def test_reviews_of_private_datasets_are_listed_for_those_who_see_them(
    personas, charter, clean_index
):
    pkg, review = submit_dataset(personas.steward, personas.organization, charter, private=True)

    def listed(user: str) -> bool:
        return review["id"] in {r["id"] for r in call("cdm_review_list", user)["results"]}

    assert listed(personas.steward)
    assert listed(personas.member)
    assert listed(personas.sysadmin)
    assert not listed("")
    assert not listed(personas.registered)
    assert not listed(personas.other_steward)
    with pytest.raises(tk.NotAuthorized):
        call("cdm_review_show", personas.other_steward, id=review["id"])
    with pytest.raises(tk.NotAuthorized):
        call("cdm_review_show", "", dataset=pkg["name"])


def test_list_filters_and_pagination(personas, submitted, dataset):
    charter = helpers.call_action("cdm_charter_show")
    other, _ = submit_dataset(personas.other_steward, personas.other_organization, charter)
    call("cdm_review_assign", personas.president, id=submitted["id"], rapporteur=personas.member)

    def names(**filters):
        return [
            r["dataset_name"]
            for r in call("cdm_review_list", personas.president, **filters)["results"]
        ]

    assert names(state="in_review") == [dataset["name"]]
    assert names(state="submitted") == [other["name"]]
    assert names(organization=personas.other_organization["name"]) == [other["name"]]
    assert names(rapporteur=personas.member) == [dataset["name"]]
    assert names(submitted_by=personas.other_steward) == [other["name"]]
    page = call("cdm_review_list", personas.president, limit=1, offset=1)
    assert page["count"] == 2
    assert len(page["results"]) == 1
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_review_list", personas.president, state="lost")
    assert "state" in error.value.error_dict


def test_listing_costs_the_same_queries_for_one_review_or_many(personas, submitted, charter):
    from tests.helpers import sql_statements

    def queries_for_listing() -> int:
        with sql_statements() as statements:
            call("cdm_review_list", personas.president)
        return len(statements)

    one = queries_for_listing()
    for _ in range(4):
        submit_dataset(personas.other_steward, personas.other_organization, charter)
    assert call("cdm_review_list", personas.president)["count"] == 5
    assert queries_for_listing() == one


@pytest.mark.parametrize(
    ("action", "user"),
    [
        ("cdm_self_assessment_save", "steward"),
        ("cdm_self_assessment_show", "member"),
        ("cdm_conflict_declare", "member"),
        ("cdm_review_submit", "steward"),
        ("cdm_review_show", "member"),
        ("cdm_review_withdraw", "steward"),
        ("cdm_review_assign", "president"),
        ("cdm_review_request_changes", "president"),
    ],
)
def test_a_missing_id_is_a_validation_error_naming_it(personas, charter, action, user):
    with pytest.raises(tk.ValidationError) as error:
        call(action, personas.name(user))
    assert "id" in error.value.error_dict


def test_an_unknown_dataset_or_review_is_not_found(personas, charter):
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_review_show", personas.member, id="nope")
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_self_assessment_show", personas.member, id="no-such-dataset")


# The dataset's ethics page: what it offers, with a review or before the first


def offered(user: str, dataset_id: str) -> list[str]:
    return call("cdm_dataset_ethics_show", user, id=dataset_id)["allowed_actions"]


def test_before_the_first_review_the_page_offers_submission_self_referral_and_conflicts(
    personas, dataset
):
    assert call("cdm_dataset_ethics_show", personas.steward, id=dataset["name"])["review"] is None
    assert offered(personas.steward, dataset["id"]) == ["submit"]
    assert offered(personas.president, dataset["id"]) == ["self_referral", "declare_conflict"]
    assert offered(personas.member, dataset["id"]) == ["declare_conflict"]
    assert offered("", dataset["id"]) == []
    call("cdm_conflict_declare", personas.member, id=dataset["id"])
    assert offered(personas.member, dataset["id"]) == []


def test_an_open_review_offers_what_it_allows_and_no_second_submission(
    personas, dataset, submitted
):
    for user in (personas.steward, personas.president, personas.member, ""):
        ethics = call("cdm_dataset_ethics_show", user, id=dataset["id"])
        assert ethics["review"]["id"] == submitted["id"]
        shown = call("cdm_review_show", user, id=submitted["id"])
        assert ethics["allowed_actions"] == shown["allowed_actions"]
        assert "submit" not in ethics["allowed_actions"]
        assert "self_referral" not in ethics["allowed_actions"]
    call("cdm_review_request_changes", personas.president, id=submitted["id"], message="Précisez.")
    assert "resubmit" in offered(personas.steward, dataset["id"])
    assert "submit" not in offered(personas.steward, dataset["id"])


def test_after_a_closed_review_the_steward_may_submit_again_and_the_president_refer(
    personas, dataset, submitted
):
    call("cdm_review_withdraw", personas.steward, id=submitted["id"])
    assert offered(personas.steward, dataset["id"]) == ["submit"]
    assert offered(personas.president, dataset["id"]) == ["self_referral"]
    assert call("cdm_dataset_ethics_show", "", id=dataset["id"])["review"]["state"] == "withdrawn"


def test_the_ethics_of_an_unknown_dataset_is_not_found_for_a_sysadmin(personas):
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_dataset_ethics_show", personas.sysadmin, id="no-such-dataset")
    with pytest.raises(tk.ValidationError):
        call("cdm_dataset_ethics_show", personas.sysadmin)
