"""Auth matrices of the opinion actions and of the self-referral."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.conftest import PERSONAS, is_authorized
from tests.logic.opinions import call, draft, held_session, in_review, publish

EVERYONE = dict.fromkeys(PERSONAS, True)
DRAFTERS = {p: p in ("member", "president", "sysadmin") for p in PERSONAS}  # member: rapporteur
PRESIDENT = {p: p in ("president", "sysadmin") for p in PERSONAS}
COMMITTEE = {p: p in ("member", "conflicted_member", "president", "sysadmin") for p in PERSONAS}
ORGANIZATION_AND_COMMITTEE = {**COMMITTEE, "steward": True}


@pytest.fixture
def opinions(personas, charter, clean_index) -> dict:
    """A draft, and a published opinion, on public datasets of the steward's
    organization whose rapporteur is the member."""
    _, review = in_review(personas, charter)
    pending = draft(personas, charter, review)
    _, other = in_review(personas, charter)
    session_id = held_session([other["id"]], [personas.president, personas.member])
    done = publish(personas, draft(personas, charter, other), session_id)
    return {"review": review, "draft": pending, "published": done}


MATRIX = [
    ("cdm_opinion_create", lambda o: {"review": o["review"]["id"]}, DRAFTERS),
    ("cdm_opinion_update", lambda o: {"id": o["draft"]["id"]}, DRAFTERS),
    ("cdm_opinion_publish", lambda o: {"id": o["draft"]["id"]}, PRESIDENT),
    ("cdm_opinion_correct", lambda o: {"id": o["published"]["number"]}, PRESIDENT),
    ("cdm_opinion_show", lambda o: {"id": o["draft"]["id"]}, COMMITTEE),
    ("cdm_opinion_show", lambda o: {"id": o["published"]["number"]}, EVERYONE),
    ("cdm_opinion_list", lambda o: {}, EVERYONE),
    ("cdm_review_open", lambda o: {"dataset": o["published"]["package_id"]}, PRESIDENT),
]


@pytest.mark.parametrize(("auth", "data", "expected"), MATRIX, ids=lambda v: str(v)[:30])
def test_opinion_auth_matrix(personas, opinions, auth, data, expected):
    outcome = {p: is_authorized(auth, personas.name(p), **data(opinions)) for p in PERSONAS}
    assert outcome == expected


def test_an_opinion_on_a_private_dataset_is_seen_by_its_organization_and_the_committee(
    personas, charter, clean_index
):
    _, review = in_review(personas, charter, private=True)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    opinion = publish(personas, draft(personas, charter, review), session_id)
    outcome = {
        p: is_authorized("cdm_opinion_show", personas.name(p), id=opinion["number"])
        for p in PERSONAS
    }
    assert outcome == ORGANIZATION_AND_COMMITTEE


def test_a_rapporteur_who_declared_a_conflict_drafts_no_opinion(personas, charter, clean_index):
    pkg, review = in_review(personas, charter)
    call("cdm_conflict_declare", personas.member, id=pkg["id"])
    assert not is_authorized("cdm_opinion_create", personas.member, review=review["id"])


def test_a_conflicted_president_neither_publishes_nor_opens_a_review(personas, opinions):
    helpers.call_action(
        "organization_member_create",
        context={"user": personas.sysadmin},
        id=personas.organization["id"],
        username=personas.president,
        role="member",
    )
    for auth, data in (
        ("cdm_opinion_create", {"review": opinions["review"]["id"]}),
        ("cdm_opinion_publish", {"id": opinions["draft"]["id"]}),
        ("cdm_opinion_correct", {"id": opinions["published"]["id"]}),
        ("cdm_review_open", {"dataset": opinions["published"]["package_id"]}),
    ):
        assert not is_authorized(auth, personas.president, **data), auth


def test_the_president_opens_no_review_of_a_dataset_he_cannot_see(personas, charter, clean_index):
    hidden = factories.Dataset(owner_org=personas.other_organization["id"], private=True)
    assert not is_authorized("cdm_review_open", personas.president, dataset=hidden["id"])
    assert is_authorized("cdm_review_open", personas.sysadmin, dataset=hidden["id"])
