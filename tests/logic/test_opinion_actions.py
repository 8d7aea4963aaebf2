"""Opinions: drafting, the publishing rules one by one, numbering,
corrections, immutability (API and SQL) and survival of a dataset purge."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from ckanext.cdm.model import AuditEvent
from tests.conftest import seat
from tests.logic.opinions import (
    NOTES,
    SUMMARY,
    assessments,
    call,
    draft,
    held_session,
    in_review,
    numbered_by_year,
    publish,
    published,
    year_of,
)


def refused(rule: str, action, *args, **kwargs) -> str:
    """The message of the ValidationError naming ``rule``."""
    with pytest.raises(tk.ValidationError) as error:
        action(*args, **kwargs)
    assert rule in error.value.error_dict, error.value.error_dict
    return " ".join(map(str, error.value.error_dict[rule]))


# Drafting


def test_an_opinion_goes_from_draft_to_published_with_a_number(personas, charter):
    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    assert opinion["state"] == "draft"
    assert opinion["number"] is None
    assert opinion["allowed_actions"] == ["update"]  # the rapporteur does not publish
    session_id = held_session([review["id"]], [personas.president, personas.member])
    result = publish(personas, opinion, session_id)
    assert result["state"] == "published"
    assert result["number"] == f"{year_of(result)}-001"
    assert result["summary"] == SUMMARY
    assert result["verdict"] == "favorable"
    assert (result["votes_for"], result["votes_against"], result["votes_proxies"]) == (2, 0, 0)
    assert result["session"]["id"] == session_id
    assert result["session"]["place"] == "Salle du conseil"
    assert result["charter"]["number"] == "1.0"
    assert result["published_at"]
    assert result["allowed_actions"] == ["correct"]
    shown = call("cdm_review_show", personas.steward, id=review["id"])
    assert shown["state"] == "opinion_issued"
    assert shown["history"][-1]["action"] == "issue_opinion"


def test_a_draft_is_written_on_a_review_in_examination_only(personas, charter, submitted):
    message = refused(
        "review",
        call,
        "cdm_opinion_create",
        personas.president,
        review=submitted["id"],
        verdict="favorable",
        summary="Trop tôt.",
    )
    assert "examination" in message


def test_a_review_has_one_first_opinion(personas, charter):
    _, review = in_review(personas, charter)
    draft(personas, charter, review)
    message = refused("review", draft, personas, charter, review, user=personas.president)
    assert "already has an opinion" in message


def test_a_draft_may_leave_principles_unassessed_but_not_its_publication(personas, charter):
    _, review = in_review(personas, charter)
    first = charter["principles"][0]["code"]
    opinion = draft(
        personas, charter, review, assessments={first: {"status": "compliant", "comment": ""}}
    )
    assert list(opinion["assessments"]) == [first]
    session_id = held_session([review["id"]], [personas.president, personas.member])
    message = refused("assessments", publish, personas, opinion, session_id)
    assert charter["principles"][1]["code"] in message
    assert call("cdm_opinion_show", personas.member, id=opinion["id"])["state"] == "draft"


def test_an_update_keeps_the_fields_not_given(personas, charter):
    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    updated = call(
        "cdm_opinion_update",
        personas.president,
        id=opinion["id"],
        verdict="favorable_with_reservations",
        reservations="Pseudonymiser les identifiants.",
    )
    assert updated["verdict"] == "favorable_with_reservations"
    assert updated["reservations"] == "Pseudonymiser les identifiants."
    assert updated["summary"] == SUMMARY
    assert updated["deliberation_notes"] == NOTES


def test_reservations_are_required_with_a_favourable_opinion_with_reservations(personas, charter):
    _, review = in_review(personas, charter)
    refused("reservations", draft, personas, charter, review, verdict="favorable_with_reservations")


def test_an_unknown_verdict_and_an_unknown_principle_are_refused(personas, charter):
    _, review = in_review(personas, charter)
    refused("verdict", draft, personas, charter, review, verdict="excellent")
    message = refused(
        "assessments", draft, personas, charter, review, assessments={"astrologie": {}}
    )
    assert "astrologie" in message


# The publishing rules, one by one


@pytest.fixture
def ready(personas, charter):
    """A draft on a review in examination."""
    _, review = in_review(personas, charter)
    return review, draft(personas, charter, review)


def test_the_review_must_be_on_the_sessions_agenda(personas, ready):
    _, opinion = ready
    session_id = held_session([], [personas.president, personas.member])
    assert "agenda" in refused("session", publish, personas, opinion, session_id)


def test_the_session_must_have_been_held(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.president, personas.member], days_ago=-7)
    assert "not been held" in refused("session", publish, personas, opinion, session_id)


def test_an_unknown_session_is_refused(personas, ready):
    _, opinion = ready
    refused("session", publish, personas, opinion, "no-such-session")


def test_the_session_must_reach_its_quorum(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.member])  # 1 of 3 in office
    message = refused("quorum", publish, personas, opinion, session_id, votes_for=1)
    assert "1 members present or represented, 2 needed" in message


def test_the_votes_must_add_up_to_the_members_who_could_vote(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.president, personas.member])
    message = refused("votes", publish, personas, opinion, session_id, votes_for=3)
    assert "add up to 3, but 2 members could vote" in message


def test_the_votes_for_must_exceed_the_votes_against(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.president, personas.member])
    refused("votes_for", publish, personas, opinion, session_id, votes_for=1, votes_against=1)
    refused("votes_for", publish, personas, opinion, session_id, votes_for=0, votes_abstain=2)


def test_a_conflicted_member_present_must_be_recused(personas, ready):
    review, opinion = ready
    present = [personas.president, personas.member, personas.conflicted_member]
    session_id = held_session([review["id"]], present)
    refused("recused", publish, personas, opinion, session_id, votes_for=3)
    # recused, the member does not vote: two votes, not three
    refused(
        "votes",
        publish,
        personas,
        opinion,
        session_id,
        votes_for=3,
        recused=[personas.conflicted_member],
    )
    result = publish(personas, opinion, session_id, recused=[personas.conflicted_member])
    assert [r["name"] for r in result["recused"]] == [personas.conflicted_member]


def test_a_recused_member_can_give_no_proxy(personas, ready):
    review, opinion = ready
    session_id = held_session(
        [review["id"]],
        [personas.president, personas.member],
        proxies={personas.conflicted_member: personas.member},
    )
    message = refused(
        "recused",
        publish,
        personas,
        opinion,
        session_id,
        votes_for=3,
        votes_proxies=1,
        recused=[personas.conflicted_member],
    )
    assert "proxy" in message


def test_only_committee_members_are_recused(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.president, personas.member])
    refused("recused", publish, personas, opinion, session_id, recused=[personas.registered])


def test_the_proxies_voted_are_the_sessions_proxies(personas, ready):
    review, opinion = ready
    absent = factories.User()["name"]
    seat(personas.sysadmin, absent, "research")  # 4 in office: quorum 3
    session_id = held_session(
        [review["id"]], [personas.president, personas.member], proxies={absent: personas.member}
    )
    refused("votes_proxies", publish, personas, opinion, session_id, votes_for=3, votes_proxies=0)
    result = publish(personas, opinion, session_id, votes_for=3, votes_proxies=1)
    assert result["votes_proxies"] == 1


def test_a_refused_publication_changes_nothing(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.president, personas.member])
    refused("votes_for", publish, personas, opinion, session_id, votes_for=1, votes_against=1)
    shown = call("cdm_opinion_show", personas.president, id=opinion["id"])
    assert (shown["state"], shown["number"], shown["votes_for"]) == ("draft", None, None)
    assert call("cdm_review_show", personas.president, id=review["id"])["state"] == "in_review"


# Numbering


def test_opinions_are_numbered_by_year_in_order(personas, charter):
    opinions = [published(personas, charter)[2] for _ in range(3)]
    # 001, 002, 003 of the year; across a new year: …, then 001 again
    numbers = numbered_by_year(opinions)
    assert [o["number"] for o in opinions] == numbers
    shown = call("cdm_opinion_show", "", id=numbers[1])
    assert shown["number"] == numbers[1]


# Corrections


def test_a_correction_supersedes_the_old_opinion_and_both_stay_public(personas, charter):
    _, review, old = published(personas, charter)
    refused("reason", call, "cdm_opinion_correct", personas.president, id=old["number"])
    correction = call(
        "cdm_opinion_correct",
        personas.president,
        id=old["number"],
        reason="Erreur matérielle dans la synthèse.",
        summary="Synthèse corrigée.",
    )
    assert correction["state"] == "draft"
    assert correction["supersedes"] == {"id": old["id"], "number": old["number"]}
    assert correction["summary"] == "Synthèse corrigée."
    assert correction["assessments"] == old["assessments"]  # prefilled
    assert correction["correction_reason"] == "Erreur matérielle dans la synthèse."
    # one correction at a time
    refused("id", call, "cdm_opinion_correct", personas.president, id=old["id"], reason="Encore.")
    assert call("cdm_opinion_show", personas.president, id=old["id"])["allowed_actions"] == []
    session_id = held_session([review["id"]], [personas.president, personas.member])
    new = publish(personas, correction, session_id)
    assert new["number"] == numbered_by_year([old, new])[1]
    old_now = call("cdm_opinion_show", "", id=old["number"])
    assert old_now["superseded_by"] == {"id": new["id"], "number": new["number"]}
    assert old_now["summary"] == SUMMARY  # the old text is untouched
    assert call("cdm_opinion_show", "", id=new["number"])["supersedes"]["number"] == old["number"]
    listed = call("cdm_opinion_list", "", dataset=review["package_id"])
    assert {o["number"] for o in listed["results"]} == {old["number"], new["number"]}
    # the review stays closed by its (first) opinion
    assert call("cdm_review_show", personas.president, id=review["id"])["state"] == (
        "opinion_issued"
    )
    # a superseded opinion is not corrected again: its successor is
    message = refused(
        "id", call, "cdm_opinion_correct", personas.president, id=old["id"], reason="Bis."
    )
    assert new["number"] in message
    again = call("cdm_opinion_correct", personas.president, id=new["id"], reason="Coquille.")
    assert again["supersedes"]["number"] == new["number"]


def test_a_draft_is_not_corrected(personas, ready):
    _, opinion = ready
    refused("id", call, "cdm_opinion_correct", personas.president, id=opinion["id"], reason="X")


# Immutability


def test_a_published_opinion_cannot_be_changed_through_the_api(personas, charter):
    _, _, opinion = published(personas, charter)
    for user in (personas.president, personas.sysadmin):
        message = refused(
            "id", call, "cdm_opinion_update", user, id=opinion["id"], summary="Réécrite."
        )
        assert "correction" in message
    assert call("cdm_opinion_show", "", id=opinion["id"])["summary"] == SUMMARY


def test_two_publications_of_one_draft_give_one_number(personas, ready):
    review, opinion = ready
    session_id = held_session([review["id"]], [personas.president, personas.member])
    publish(personas, opinion, session_id)
    refused("id", publish, personas, opinion, session_id)


def _sql(statement: str, **params) -> None:
    model.Session.execute(sa.text(statement), params)
    model.Session.flush()


def test_the_database_refuses_to_change_or_delete_a_published_opinion(personas, charter):
    _, _, opinion = published(personas, charter)
    for statement in (
        "UPDATE cdm_opinion SET data = '{}'::jsonb WHERE id = :id",
        "UPDATE cdm_opinion SET verdict = 'unfavorable' WHERE id = :id",
        "UPDATE cdm_opinion SET state = 'draft' WHERE id = :id",
        "DELETE FROM cdm_opinion WHERE id = :id",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="cdm: published opinion"):
            _sql(statement, id=opinion["id"])
        model.Session.rollback()
    # who may see it follows its dataset: the labels may change
    _sql("UPDATE cdm_opinion SET permission_labels = '{public}' WHERE id = :id", id=opinion["id"])
    model.Session.commit()
    assert call("cdm_opinion_show", "", id=opinion["id"])["summary"] == SUMMARY


def test_the_database_lets_a_draft_change(personas, ready):
    _, opinion = ready
    _sql("UPDATE cdm_opinion SET verdict = 'unfavorable' WHERE id = :id", id=opinion["id"])
    _sql("DELETE FROM cdm_opinion WHERE id = :id", id=opinion["id"])
    model.Session.rollback()


# A purged dataset keeps its opinions


def test_a_purged_dataset_keeps_its_opinions_with_its_name_and_title(personas, charter):
    pkg, _, opinion = published(personas, charter, title="Capteurs de la place Darcy")
    name = pkg["name"]
    call("package_patch", personas.sysadmin, id=pkg["id"], title="Nouveau titre")
    call("dataset_purge", personas.sysadmin, id=pkg["id"])
    assert model.Package.get(pkg["id"]) is None
    for user in ("", personas.registered, personas.president):
        shown = call("cdm_opinion_show", user, id=opinion["number"])
        assert shown["dataset_name"] == name
        assert shown["dataset_title"] == "Capteurs de la place Darcy"
        assert shown["dataset_exists"] is False
        assert shown["summary"] == SUMMARY
    listed = call("cdm_opinion_list", "", dataset=name)
    assert [o["number"] for o in listed["results"]] == [opinion["number"]]


def test_publication_is_in_the_audit_trail(personas, charter):
    _, _, opinion = published(personas, charter)
    query = sa.select(AuditEvent.action).where(
        AuditEvent.object_type == "opinion", AuditEvent.object_id == opinion["id"]
    )
    assert list(model.Session.execute(query.order_by(AuditEvent.created)).scalars()) == [
        "draft",
        "publish",
    ]


def test_list_filters(personas, charter):
    _, _, first = published(personas, charter)
    _, review = in_review(personas, charter)
    pending = draft(personas, charter, review, verdict="unfavorable")
    assert call("cdm_opinion_list", "", verdict="favorable")["count"] == 1
    assert call("cdm_opinion_list", "", verdict="unfavorable")["count"] == 0
    year = year_of(first)
    assert call("cdm_opinion_list", "", year=year)["count"] == 1
    assert call("cdm_opinion_list", "", year=year - 1)["count"] == 0
    orgs = call("cdm_opinion_list", "", organization=personas.organization["name"])
    assert [o["id"] for o in orgs["results"]] == [first["id"]]
    drafts = call("cdm_opinion_list", personas.member, state="draft")
    assert [o["id"] for o in drafts["results"]] == [pending["id"]]
    assert call("cdm_opinion_list", personas.member, state="all")["count"] == 2
    assert call("cdm_opinion_list", personas.member, review=review["id"], state="all")["results"][
        0
    ]["assessments"] == assessments(charter)
