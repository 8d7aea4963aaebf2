"""Deliberation notes (a ``cdm_confidential`` field) and drafts are for the
committee members in office and sysadmins only: never in package_show, the
search index, the opinion actions' results for others, activities or
e-mails."""

from __future__ import annotations

import json

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from tests.logic.opinions import NOTES, call, draft, held_session, in_review, publish
from tests.test_notifications import email_of, run_jobs, subject

OUTSIDERS = ("anonymous", "registered", "steward", "other_steward")
INSIDERS = ("member", "conflicted_member", "president", "sysadmin")
DRAFT_SUMMARY = "Projet d’avis : rien n’est encore décidé."
SECRET_WORD = "Zanzibarite"  # only in the notes, to look for in the index
NOTES_WITH_WORD = f"{NOTES} {SECRET_WORD}"


@pytest.fixture
def world(personas, charter, clean_index, clean_queues, with_test_worker, smtp_sink) -> dict:
    """A published opinion and a draft, both with notes, on public datasets."""
    pkg, review = in_review(personas, charter)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    opinion = draft(personas, charter, review, deliberation_notes=NOTES_WITH_WORD)
    done = publish(personas, opinion, session_id)
    other, other_review = in_review(personas, charter)
    pending = draft(
        personas, charter, other_review, summary=DRAFT_SUMMARY, deliberation_notes=NOTES
    )
    run_jobs()
    return {"dataset": pkg, "published": done, "other": other, "draft": pending, "sink": smtp_sink}


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _secret_free(value) -> bool:
    text = _text(value)
    return NOTES not in text and SECRET_WORD not in text and DRAFT_SUMMARY not in text


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_never_read_notes_or_drafts_through_the_opinion_actions(personas, world, persona):
    user = personas.name(persona)
    shown = call("cdm_opinion_show", user, id=world["published"]["number"])
    assert "deliberation_notes" not in shown
    assert _secret_free(shown)
    with pytest.raises(tk.NotAuthorized):
        call("cdm_opinion_show", user, id=world["draft"]["id"])
    for state in ("published", "draft", "all"):
        listed = call("cdm_opinion_list", user, state=state)
        assert [o["id"] for o in listed["results"]] == [world["published"]["id"]]
        assert _secret_free(listed)


@pytest.mark.parametrize("persona", INSIDERS)
def test_the_committee_reads_the_notes_and_drafts(personas, world, persona):
    user = personas.name(persona)
    shown = call("cdm_opinion_show", user, id=world["published"]["number"])
    assert shown["deliberation_notes"] == NOTES_WITH_WORD
    assert call("cdm_opinion_show", user, id=world["draft"]["id"])["summary"] == DRAFT_SUMMARY
    assert call("cdm_opinion_list", user, state="all")["count"] == 2


@pytest.mark.parametrize("persona", OUTSIDERS + INSIDERS)
def test_no_dataset_output_carries_notes_or_drafts(personas, world, persona):
    user = personas.name(persona)
    for pkg in (world["dataset"], world["other"]):
        assert _secret_free(call("package_show", user, id=pkg["id"]))
    assert _secret_free(call("package_search", user, q="*:*", rows=100))
    assert call("package_search", user, q=SECRET_WORD)["count"] == 0


@pytest.mark.parametrize("persona", OUTSIDERS + INSIDERS)
def test_activities_carry_the_publication_but_no_notes_or_drafts(personas, world, persona):
    user = personas.name(persona)
    for pkg in (world["dataset"], world["other"]):
        stream = call("package_activity_list", user, id=pkg["id"])
        assert _secret_free(stream)
    [published] = [
        a
        for a in call("package_activity_list", user, id=world["dataset"]["id"])
        if a["activity_type"] == "cdm opinion published package"
    ]
    assert published["data"]["opinion"]["number"] == world["published"]["number"]
    assert published["data"]["opinion"]["verdict"] == "favorable"
    assert _secret_free(call("user_activity_list", user, id=personas.president))


def test_the_publication_e_mails_carry_no_confidential_field(personas, world):
    sink = world["sink"]
    number = world["published"]["number"]
    told = {
        persona: sink.to(email_of(personas.name(persona), personas.sysadmin))
        for persona in ("steward", "member", "conflicted_member", "president", "other_steward")
    }
    for persona in ("steward", "member", "conflicted_member", "president"):
        [message] = [m for m in told[persona] if number in subject(m)]
        body = message.get_payload(decode=True).decode()
        assert "Verdict: Favourable" in body
        assert f"/cdm/opinions/{number}" in body
    assert told["other_steward"] == []
    for message in sink.messages:
        assert _secret_free(message.get_payload(decode=True).decode())
        assert _secret_free(subject(message))


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_an_opinion_on_a_private_dataset_stays_private(personas, charter, clean_index):
    pkg, review = in_review(personas, charter, private=True)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    opinion = publish(personas, draft(personas, charter, review), session_id)
    for user in ("", personas.registered, personas.other_steward):
        assert call("cdm_opinion_list", user)["count"] == 0
        with pytest.raises(tk.NotAuthorized):
            call("cdm_opinion_show", user, id=opinion["number"])
    assert call("cdm_opinion_list", personas.steward)["count"] == 1
    activities = helpers.call_action(
        "package_activity_list", context={"user": personas.sysadmin}, id=pkg["id"]
    )
    published = [a for a in activities if a["activity_type"] == "cdm opinion published package"]
    assert published  # it exists, and only those who see the dataset see it
    for user in ("", personas.registered, personas.other_steward):
        stream = call("user_activity_list", user, id=personas.president)
        assert opinion["number"] not in _text(stream)


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_the_publication_e_mail_is_in_the_readers_language(personas, charter, smtp_sink):
    helpers.call_action(
        "cdm_user_preferences_update", context={"user": personas.member}, language="fr"
    )
    _, review = in_review(personas, charter, title="Capteurs d'affluence")
    session_id = held_session([review["id"]], [personas.president, personas.member])
    opinion = publish(personas, draft(personas, charter, review), session_id)
    run_jobs()
    [french] = [
        m
        for m in smtp_sink.to(email_of(personas.member, personas.sysadmin))
        if opinion["number"] in subject(m)
    ]
    title = "Capteurs d'affluence"
    assert subject(french) == (
        f"[Comité de la donnée] Avis {opinion['number']} publié\u00a0: «\u00a0{title}\u00a0»"
    )
    body = french.get_payload(decode=True).decode()
    assert "Avis\u00a0: Favorable\n" in body
    assert f"/cdm/opinions/{opinion['number']}\n" in body


def test_a_draft_keeps_the_committee_label_after_its_review_is_withdrawn(
    personas, charter, clean_index
):
    pkg, review = in_review(personas, charter, private=True)
    draft(personas, charter, review)
    call("cdm_review_withdraw", personas.steward, id=review["id"])
    assert call("package_show", personas.member, id=pkg["id"])["id"] == pkg["id"]
    found = call("package_search", personas.member, q=f"id:{pkg['id']}", include_private=True)
    assert found["count"] == 1
