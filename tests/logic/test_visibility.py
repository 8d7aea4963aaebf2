"""Who sees which private dataset: CKAN's permission labels decide, for
package_show, package_search, the pages and the lists of reviews alike."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.model import Review
from tests.conftest import complete_answers, submit_dataset
from tests.helpers import auth_headers


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def can_show(user: str, dataset_id: str) -> bool:
    try:
        call("package_show", user, id=dataset_id)
    except tk.NotAuthorized:
        return False
    return True


def found(user: str, dataset_id: str) -> bool:
    result = call("package_search", user, q=f"id:{dataset_id}", include_private=True)
    return result["count"] == 1


@pytest.fixture
def private_pair(personas, charter, clean_index):
    """Two private datasets of the steward's organization: one submitted, one not."""
    submitted, review = submit_dataset(
        personas.other_steward, personas.other_organization, charter, private=True
    )
    untouched = factories.Dataset(owner_org=personas.other_organization["id"], private=True)
    return submitted, review, untouched


@pytest.mark.parametrize("persona", ["member", "president", "conflicted_member"])
def test_committee_sees_exactly_the_private_datasets_under_review(persona, personas, private_pair):
    submitted, _, untouched = private_pair
    user = personas.name(persona)
    assert can_show(user, submitted["id"])
    assert found(user, submitted["id"])
    assert not can_show(user, untouched["id"])
    assert not found(user, untouched["id"])


@pytest.mark.parametrize("persona", ["anonymous", "registered", "steward"])
def test_others_see_no_private_dataset_under_review(persona, personas, private_pair):
    submitted, review, _ = private_pair
    user = personas.name(persona)
    assert not can_show(user, submitted["id"])
    assert not found(user, submitted["id"])
    assert review["id"] not in {r["id"] for r in call("cdm_review_list", user)["results"]}
    with pytest.raises(tk.NotAuthorized):
        call("cdm_review_show", user, id=review["id"])


def test_a_withdrawn_review_takes_the_label_away(personas, private_pair):
    submitted, review, _ = private_pair
    call("cdm_review_withdraw", personas.other_steward, id=review["id"])
    assert not can_show(personas.member, submitted["id"])
    assert not found(personas.member, submitted["id"])
    assert call("cdm_review_list", personas.member)["count"] == 0
    assert can_show(personas.other_steward, submitted["id"])


def test_a_member_whose_mandate_ended_loses_sight(personas, private_pair):
    submitted, _, _ = private_pair
    seat = next(
        s for s in call("cdm_member_list", personas.sysadmin) if s["user_name"] == personas.member
    )
    call("cdm_member_delete", personas.sysadmin, id=seat["id"])
    assert not can_show(personas.member, submitted["id"])
    assert not found(personas.member, submitted["id"])
    assert call("cdm_review_list", personas.member)["count"] == 0


def test_list_and_show_follow_a_dataset_made_private_later(personas, charter, clean_index):
    pkg, review = submit_dataset(personas.steward, personas.organization, charter)
    assert call("cdm_review_list", "")["count"] == 1
    call("cdm_review_withdraw", personas.steward, id=review["id"])
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=pkg["id"], private=True
    )
    assert call("cdm_review_list", "")["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        call("cdm_review_show", "", id=review["id"])
    assert call("cdm_review_list", personas.steward)["count"] == 1


def test_collaborators_see_the_reviews_of_their_dataset(personas, charter, clean_index):
    """Labels of CKAN's default plugin (collaborators) are kept beside ours."""
    with helpers.changed_config("ckan.auth.allow_dataset_collaborators", True):
        pkg, review = submit_dataset(personas.steward, personas.organization, charter, private=True)
        stored = model.Session.get(Review, review["id"]).permission_labels
        assert f"collaborator-{pkg['id']}" in stored
        helpers.call_action(
            "package_collaborator_create",
            id=pkg["id"],
            user_id=personas.registered,
            capacity="member",
        )
        assert call("cdm_review_show", personas.registered, id=review["id"])["id"] == review["id"]
        listed = call("cdm_review_list", personas.registered)["results"]
        assert [r["id"] for r in listed] == [review["id"]]


def test_ethics_tab_of_a_private_dataset_never_submitted_is_404_for_the_committee(
    app, personas, private_pair
):
    submitted, _, untouched = private_pair
    headers = auth_headers(personas.member)
    app.get(f"/dataset/{untouched['name']}/ethics", headers=headers, status=404)
    page = app.get(f"/dataset/{submitted['name']}/ethics", headers=headers, status=200)
    assert submitted["title"] in page.body


def test_self_assessment_of_an_unsubmitted_private_dataset_is_hidden_from_the_committee(
    personas, private_pair, charter
):
    _, _, untouched = private_pair
    helpers.call_action(
        "cdm_self_assessment_save",
        context={"user": personas.other_steward},
        id=untouched["id"],
        answers=complete_answers(charter),
    )
    with pytest.raises(tk.NotAuthorized):
        call("cdm_self_assessment_show", personas.member, id=untouched["id"])


def test_labels_refresh_mends_labels_stored_by_an_older_version(personas, private_pair, cli):
    from ckan.cli.cli import ckan as ckan_command

    _, review, _ = private_pair
    row = model.Session.get(Review, review["id"])
    row.permission_labels = ["public"]  # as if stored wrongly
    model.Session.commit()
    assert call("cdm_review_list", "")["count"] == 1
    result = cli.invoke(ckan_command, ["cdm", "labels", "refresh"])
    assert result.exit_code == 0, result.output
    assert "1 datasets" in result.output
    assert call("cdm_review_list", "")["count"] == 0
    assert call("cdm_review_list", personas.member)["count"] == 1
