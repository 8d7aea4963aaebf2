"""Deliberation notes (a ``cdm_confidential`` field) and drafts are for the
committee members in office and sysadmins only: never in package_show, the
search index, the opinion actions' results for others, activities or
e-mails."""

from __future__ import annotations

import json

import pytest
from ckan.common import config
from ckan.plugins import toolkit as tk

from tests.logic.opinions import NOTES, call, draft, held_session, in_review, publish
from tests.test_notifications import email_of, jobs_run_in_process, run_jobs, sink_at, subject

OUTSIDERS = ("anonymous", "registered", "steward", "other_steward")
INSIDERS = ("member", "conflicted_member", "president", "sysadmin")
DRAFT_SUMMARY = "Projet d’avis : rien n’est encore décidé."
SECRET_WORD = "Zanzibarite"  # only in the notes, to look for in the index
NOTES_WITH_WORD = f"{NOTES} {SECRET_WORD}"


@pytest.fixture(scope="module")
def world(module_base) -> dict:
    """A published opinion and a draft, both with notes, on public datasets, and
    the e-mails sent. Built once for the module (tests/isolation.py)."""
    personas, charter = module_base
    with jobs_run_in_process(), sink_at(config["smtp.server"]) as sink:
        pkg, review = in_review(personas, charter)
        session_id = held_session([review["id"]], [personas.president, personas.member])
        opinion = draft(personas, charter, review, deliberation_notes=NOTES_WITH_WORD)
        done = publish(personas, opinion, session_id)
        other, other_review = in_review(personas, charter)
        pending = draft(
            personas, charter, other_review, summary=DRAFT_SUMMARY, deliberation_notes=NOTES
        )
        run_jobs()
    return {"dataset": pkg, "published": done, "other": other, "draft": pending, "sink": sink}


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
