"""Auth matrices: every action of ckanext-cdm, every persona."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.cdm.data import read_charter
from tests.conftest import PERSONAS, is_authorized

ONLY_SYSADMIN = {p: p == "sysadmin" for p in PERSONAS}
PRESIDENT_AND_SYSADMIN = {p: p in ("president", "sysadmin") for p in PERSONAS}
EVERYONE = dict.fromkeys(PERSONAS, True)
COMMITTEE_AND_SYSADMIN = {
    p: p in ("member", "conflicted_member", "president", "sysadmin") for p in PERSONAS
}


@pytest.fixture
def charters(personas):
    president = {"user": personas.president}
    helpers.call_action("cdm_charter_create", context=president, **read_charter())
    helpers.call_action("cdm_charter_adopt", context=president, id="1.0", decision_reference="A")
    helpers.call_action("cdm_charter_create", context=president, number="1.1", copy_from="1.0")
    return personas


MATRIX = [
    ("cdm_charter_show", {"id": "1.0"}, EVERYONE),
    ("cdm_charter_show", {}, EVERYONE),
    ("cdm_charter_show", {"id": "1.1"}, COMMITTEE_AND_SYSADMIN),
    ("cdm_charter_list", {}, EVERYONE),
    ("cdm_charter_create", {"number": "2.0"}, PRESIDENT_AND_SYSADMIN),
    ("cdm_charter_update", {"id": "1.1"}, PRESIDENT_AND_SYSADMIN),
    ("cdm_charter_adopt", {"id": "1.1"}, PRESIDENT_AND_SYSADMIN),
    ("cdm_member_list", {}, EVERYONE),
    ("cdm_member_create", {}, ONLY_SYSADMIN),
    ("cdm_member_update", {}, ONLY_SYSADMIN),
    ("cdm_member_delete", {}, ONLY_SYSADMIN),
    ("cdm_notification_digest_send", {}, ONLY_SYSADMIN),
]


@pytest.mark.parametrize(("auth", "data", "expected"), MATRIX, ids=lambda v: str(v)[:40])
def test_auth_matrix(charters, auth, data, expected):
    outcome = {p: is_authorized(auth, charters.name(p), **data) for p in PERSONAS}
    assert outcome == expected


def test_ended_member_loses_committee_rights(charters):
    seat = next(
        s
        for s in helpers.call_action("cdm_member_list", context={"user": charters.sysadmin})
        if s["user_name"] == charters.president
    )
    helpers.call_action("cdm_member_delete", context={"user": charters.sysadmin}, id=seat["id"])
    assert not is_authorized("cdm_charter_adopt", charters.president, id="1.1")
    assert not is_authorized("cdm_charter_show", charters.president, id="1.1")


STEWARD_AND_SYSADMIN = {p: p in ("steward", "sysadmin") for p in PERSONAS}
TRIAGE = {p: p in ("member", "president", "sysadmin") for p in PERSONAS}
STEWARD_AND_COMMITTEE = {
    p: p in ("steward", "member", "conflicted_member", "president", "sysadmin") for p in PERSONAS
}
COMMITTEE_MEMBERS = {
    p: p in ("member", "conflicted_member", "president", "sysadmin") for p in PERSONAS
}

REVIEW_MATRIX = [
    ("cdm_self_assessment_save", "dataset", STEWARD_AND_SYSADMIN),
    ("cdm_self_assessment_show", "dataset", STEWARD_AND_COMMITTEE),
    ("cdm_review_submit", "dataset", STEWARD_AND_SYSADMIN),
    ("cdm_review_withdraw", "review", STEWARD_AND_SYSADMIN),
    ("cdm_review_show", "review", EVERYONE),
    ("cdm_review_state_show", "state", EVERYONE),
    ("cdm_dataset_ethics_show", "ethics", EVERYONE),
    ("cdm_review_list", None, EVERYONE),
    ("cdm_review_assign", "review", TRIAGE),
    ("cdm_review_request_changes", "review", TRIAGE),
    ("cdm_conflict_declare", "dataset", COMMITTEE_MEMBERS),
]


@pytest.mark.parametrize(("auth", "target", "expected"), REVIEW_MATRIX, ids=lambda v: str(v)[:30])
def test_review_auth_matrix(personas, dataset, submitted, auth, target, expected):
    data = {
        "dataset": {"id": dataset["id"]},
        "ethics": {"id": dataset["name"]},
        "state": {"dataset": dataset["name"]},
        "review": {"id": submitted["id"]},
        None: {},
    }[target]
    outcome = {p: is_authorized(auth, personas.name(p), **data) for p in PERSONAS}
    assert outcome == expected


def test_review_of_a_private_dataset_is_seen_by_its_organization_and_the_committee(
    personas, charter, clean_index
):
    from tests.conftest import submit_dataset

    _, review = submit_dataset(personas.steward, personas.organization, charter, private=True)
    outcome = {
        p: is_authorized("cdm_review_show", personas.name(p), id=review["id"]) for p in PERSONAS
    }
    assert outcome == STEWARD_AND_COMMITTEE
    state = {
        p: is_authorized("cdm_review_state_show", personas.name(p), dataset=review["package_id"])
        for p in PERSONAS
    }
    assert state == STEWARD_AND_COMMITTEE
    ethics = {
        p: is_authorized("cdm_dataset_ethics_show", personas.name(p), id=review["package_id"])
        for p in PERSONAS
    }
    assert ethics == STEWARD_AND_COMMITTEE


def test_the_ethics_of_a_private_dataset_without_review_is_seen_by_its_organization(
    personas, charter, clean_index
):
    from ckan.tests import factories

    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    outcome = {
        p: is_authorized("cdm_dataset_ethics_show", personas.name(p), id=private["id"])
        for p in PERSONAS
    }
    assert outcome == {
        p: is_authorized("package_show", personas.name(p), id=private["id"]) for p in PERSONAS
    }
    assert outcome["anonymous"] is False
    assert outcome["steward"] is True


@pytest.mark.parametrize("auth", ["cdm_badge_show", "cdm_badge_validator"])
def test_a_badge_is_seen_by_whoever_sees_the_dataset(personas, charter, clean_index, auth):
    from ckan.tests import factories

    public = factories.Dataset(owner_org=personas.organization["id"])
    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    seen = {p: is_authorized(auth, personas.name(p), id=public["id"]) for p in PERSONAS}
    assert seen == EVERYONE
    outcome = {p: is_authorized(auth, personas.name(p), id=private["name"]) for p in PERSONAS}
    assert outcome == {
        p: is_authorized("package_show", personas.name(p), id=private["id"]) for p in PERSONAS
    }
    assert outcome["anonymous"] is False
    assert outcome["steward"] is True
    assert outcome["sysadmin"] is True


def test_anonymous_callers_learn_nothing_from_a_writing_action(app):
    """CKAN 2.12's API passes its anonymous user as ``auth_user_obj``, so the
    anonymous check of ``is_authorized`` lets every auth function run: the
    plugin's refuse anonymous callers themselves, before any validation (an
    unknown review was a 409 on ``message`` and a 404, a known one a 403)."""
    from ckan import logic

    from ckanext.cdm.logic import auth

    writing = [
        name
        for name, function in auth.registered().items()
        if not getattr(function, "auth_allow_anonymous_access", False)
    ]
    assert "cdm_review_withdraw" in writing
    assert len(writing) > 25
    unknown = {"id": "00000000-0000-0000-0000-000000000000", "message": 123}
    for name in writing:
        logic.get_action(name)  # registered
        response = app.post(f"/api/3/action/{name}", json=unknown)
        assert response.status_code == 403, (name, response.json)
        assert response.json["error"]["__type"] == "Authorization Error"
