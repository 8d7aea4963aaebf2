"""Edits that do not overwrite each other (``model/versioned.py``): two
people save the same report draft, opinion draft, session record or
self-assessment from the same version; the second save is refused, naming
who saved what and when, and the record stays as the first one saved it."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from tests.conftest import complete_answers
from tests.logic.opinions import call, draft, held_session, in_review, publish
from tests.logic.report_data import YEAR

SESSION = {"starts_at": "2030-03-12T18:00", "place": "Salle du conseil"}


def named(user: str, fullname: str) -> str:
    model.User.get(user).fullname = fullname
    model.Session.flush()
    return user


def refusal(action: str, user: str, **data) -> list[str]:
    with pytest.raises(tk.ValidationError) as error:
        call(action, user, **data)
    assert list(error.value.error_dict) == ["version"]
    return error.value.error_dict["version"]


# Per record: a stale save is refused, the other person's save stays


def test_a_stale_report_draft_is_refused_and_the_other_save_stays(personas, charter):
    named(personas.president, "Claire Aubertin")
    first = call("cdm_report_update", personas.member, year=YEAR, introduction="A", version=0)
    version = first["report"]["version"]
    call("cdm_report_update", personas.president, year=YEAR, introduction="B", version=version)

    lines = refusal(
        "cdm_report_update", personas.member, year=YEAR, introduction="C", version=version
    )
    assert "yours are not saved yet" in lines[0]
    assert "Claire Aubertin" in lines[1]
    assert "Introduction" in lines[1]
    shown = call("cdm_report_show", personas.member, year=YEAR)["report"]
    assert shown["introduction"] == "B"
    assert shown["version"] == version + 1


def test_a_save_that_changes_nothing_keeps_the_version(personas, charter, clean_index):
    """A click on « Enregistrer » with nothing changed is no change: the
    others editing from that version are not refused."""
    first = call("cdm_report_update", personas.member, year=YEAR, introduction="A", version=0)
    version = first["report"]["version"]
    same = call(
        "cdm_report_update", personas.president, year=YEAR, introduction="A", version=version
    )
    assert same["report"]["version"] == version
    call("cdm_report_update", personas.member, year=YEAR, recommendations="R", version=version)
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    saved = call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers={})
    again = call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers={})
    assert again["version"] == saved["version"]


def test_a_report_drawn_before_its_first_draft_is_refused_once_drafted(personas, charter):
    call("cdm_report_update", personas.president, year=YEAR, introduction="B", version=0)
    refusal("cdm_report_update", personas.member, year=YEAR, introduction="C", version=0)
    assert call("cdm_report_show", personas.member, year=YEAR)["report"]["introduction"] == "B"


def test_a_save_without_a_version_goes_through_as_before(personas, charter):
    call("cdm_report_update", personas.president, year=YEAR, introduction="B")
    call("cdm_report_update", personas.member, year=YEAR, introduction="C")
    assert call("cdm_report_show", personas.member, year=YEAR)["report"]["introduction"] == "C"


def test_a_stale_opinion_draft_is_refused_and_the_other_save_stays(personas, charter):
    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    named(personas.president, "Claire Aubertin")
    version = opinion["version"]
    call("cdm_opinion_update", personas.president, id=opinion["id"], summary="B", version=version)

    lines = refusal(
        "cdm_opinion_update", personas.member, id=opinion["id"], summary="C", version=version
    )
    assert "Claire Aubertin" in lines[1]
    assert "Summary" in lines[1] or "Synthèse" in lines[1] or "summary" in lines[1].lower()
    shown = call("cdm_opinion_show", personas.member, id=opinion["id"])
    assert shown["summary"] == "B"
    assert shown["version"] == version + 1


def test_a_published_opinion_keeps_its_version_and_its_refusal(personas, charter):
    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    published = publish(personas, opinion, session_id)
    assert published["version"] == opinion["version"]  # publishing is no edit
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_opinion_update", personas.member, id=opinion["id"], summary="C", version=0)
    assert list(error.value.error_dict) == ["id"]  # published: correct it


def test_the_database_refuses_a_new_version_of_a_published_opinion(personas, charter):
    import sqlalchemy as sa
    from sqlalchemy.exc import DBAPIError

    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    publish(personas, opinion, session_id)
    bump = sa.text("UPDATE cdm_opinion SET version = version + 1 WHERE id = :id")
    with pytest.raises(DBAPIError, match="cannot be changed"), model.Session.begin_nested():
        model.Session.execute(bump, {"id": opinion["id"]})


def test_a_stale_session_record_is_refused_and_the_other_save_stays(personas):
    named(personas.sysadmin, "Paul Serrano")
    session = call("cdm_session_create", personas.president, **SESSION)
    version = session["version"]
    call("cdm_session_update", personas.sysadmin, id=session["id"], minutes="B", version=version)

    lines = refusal(
        "cdm_session_update", personas.president, id=session["id"], minutes="C", version=version
    )
    assert "Paul Serrano" in lines[1]
    assert "Minutes" in lines[1]
    shown = call("cdm_session_show", personas.president, id=session["id"])
    assert shown["minutes"] == "B"
    assert shown["version"] == version + 1


def test_a_stale_self_assessment_is_refused_and_the_other_save_stays(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    named(personas.sysadmin, "Paul Serrano")
    assert call("cdm_self_assessment_show", personas.steward, id=pkg["id"])["version"] == 0
    answers = complete_answers(charter)
    code = next(iter(answers))
    theirs = {code: {"status": "no", "justification": "Pas encore."}}
    call("cdm_self_assessment_save", personas.sysadmin, id=pkg["id"], answers=theirs, version=0)

    lines = refusal(
        "cdm_self_assessment_save", personas.steward, id=pkg["id"], answers=answers, version=0
    )
    assert "Paul Serrano" in lines[1]
    principle = charter["principles"][0]
    assert principle["title"]["en"] in lines[1] or principle["title"]["fr"] in lines[1]
    shown = call("cdm_self_assessment_show", personas.steward, id=pkg["id"])
    assert shown["answers"] == theirs
    assert shown["version"] == 1


# Junk for the version: a ValidationError naming it, never a 500

JUNK = ["trois", "-1", -1, 2**31, 2**64, "1.5", 1.5, [], {}, "", True]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_a_junk_version_is_refused_by_name(personas, charter, junk):
    session = call("cdm_session_create", personas.president, **SESSION)
    _, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    attempts = [
        ("cdm_report_update", personas.member, {"year": YEAR, "introduction": "A"}),
        ("cdm_opinion_update", personas.member, {"id": opinion["id"], "summary": "A"}),
        ("cdm_session_update", personas.president, {"id": session["id"], "minutes": "A"}),
        ("cdm_self_assessment_save", personas.steward, {"id": pkg["id"], "answers": {}}),
    ]
    for action, user, data in attempts:
        with pytest.raises(tk.ValidationError) as error:
            call(action, user, **data, version=junk)
        assert "version" in error.value.error_dict, action


# Two saves from the same version at once: one wins, the other is refused

ROUNDS = 3


def _one_wins(outcomes: list[str]) -> None:
    assert sorted(outcomes) == ["ok", "refused"], outcomes


@pytest.mark.committing  # threads, each with its own session
def test_two_report_saves_from_one_version_at_once_one_wins(app, personas):
    from tests.logic.test_concurrency import race

    for round_ in range(ROUNDS):
        year = YEAR - round_
        call("cdm_report_update", personas.president, year=year, introduction="0", version=0)
        outcomes = race(
            app,
            lambda y=year: call(
                "cdm_report_update", personas.president, year=y, introduction="A", version=1
            ),
            lambda y=year: call(
                "cdm_report_update", personas.member, year=y, introduction="B", version=1
            ),
        )
        _one_wins(outcomes)
        report = call("cdm_report_show", personas.member, year=year)["report"]
        assert report["introduction"] == ("A" if outcomes[0] == "ok" else "B")
        assert report["version"] == 2


@pytest.mark.committing  # threads, each with its own session
def test_two_first_self_assessment_saves_at_once_one_wins(app, personas, charter):
    from tests.logic.test_concurrency import race

    answers = complete_answers(charter)
    code = next(iter(answers))
    for _ in range(ROUNDS):
        pkg = factories.Dataset(owner_org=personas.organization["id"])
        mine = {code: {"status": "yes", "justification": "A"}}
        theirs = {code: {"status": "no", "justification": "B"}}
        outcomes = race(
            app,
            lambda p=pkg, a=mine: call(
                "cdm_self_assessment_save", personas.steward, id=p["id"], answers=a, version=0
            ),
            lambda p=pkg, a=theirs: call(
                "cdm_self_assessment_save", personas.sysadmin, id=p["id"], answers=a, version=0
            ),
        )
        _one_wins(outcomes)
        shown = call("cdm_self_assessment_show", personas.steward, id=pkg["id"])
        assert shown["answers"] == (mine if outcomes[0] == "ok" else theirs)
        assert shown["version"] == 1


@pytest.mark.committing  # threads, each with its own session
def test_two_session_and_opinion_saves_from_one_version_at_once_one_wins(app, personas, charter):
    from tests.logic.test_concurrency import race

    for _ in range(ROUNDS):
        session = call("cdm_session_create", personas.president, **SESSION)
        outcomes = race(
            app,
            lambda s=session: call(
                "cdm_session_update", personas.president, id=s["id"], minutes="A", version=1
            ),
            lambda s=session: call(
                "cdm_session_update", personas.sysadmin, id=s["id"], minutes="B", version=1
            ),
        )
        _one_wins(outcomes)
        shown = call("cdm_session_show", personas.president, id=session["id"])
        assert shown["minutes"] == ("A" if outcomes[0] == "ok" else "B")

        _, review = in_review(personas, charter)
        opinion = draft(personas, charter, review)
        outcomes = race(
            app,
            lambda o=opinion: call(
                "cdm_opinion_update", personas.member, id=o["id"], summary="A", version=1
            ),
            lambda o=opinion: call(
                "cdm_opinion_update", personas.president, id=o["id"], summary="B", version=1
            ),
        )
        _one_wins(outcomes)
        shown = call("cdm_opinion_show", personas.member, id=opinion["id"])
        assert shown["summary"] == ("A" if outcomes[0] == "ok" else "B")
