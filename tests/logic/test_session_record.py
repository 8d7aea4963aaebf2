"""Once an opinion is adopted in a session, the session's record that it
rests on stays: its date cannot move and the review cannot leave its agenda
(found by probing the actions as an attacker)."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan.plugins import toolkit as tk

from tests.logic.opinions import call, draft, held_session, in_review, published


def _days_ago(days: int) -> str:
    """A day and time in the mandate of the seats of the tests, as typed."""
    return (dt.datetime.now() - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _refused(field: str, **data) -> str:
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_session_update", data.pop("user"), **data)
    assert field in error.value.error_dict, error.value.error_dict
    return " ".join(error.value.error_dict[field])


def test_the_date_of_a_session_with_an_opinion_does_not_move(personas, charter):
    _, _, opinion = published(personas, charter)
    session_id = opinion["session"]["id"]
    before = call("cdm_session_show", personas.president, id=session_id)["starts_at"]
    message = _refused("starts_at", user=personas.president, id=session_id, starts_at=_days_ago(3))
    assert "opinion" in message
    shown = call("cdm_session_show", personas.president, id=session_id)
    assert shown["starts_at"] == before
    assert shown["quorum"]["reached"]
    # the place and the title may still be corrected
    call("cdm_session_update", personas.president, id=session_id, title="Séance plénière")


def test_a_review_whose_opinion_was_adopted_stays_on_the_agenda(personas, charter):
    _, review, opinion = published(personas, charter)
    session_id = opinion["session"]["id"]
    _, other = in_review(personas, charter)
    message = _refused("agenda", user=personas.sysadmin, id=session_id, agenda=[other["id"]])
    assert opinion["number"] in message
    agenda = call("cdm_session_show", personas.president, id=session_id)["agenda"]
    assert [item["id"] for item in agenda] == [review["id"]]
    # other items come and go
    call(
        "cdm_session_update", personas.president, id=session_id, agenda=[review["id"], other["id"]]
    )
    call("cdm_session_update", personas.president, id=session_id, agenda=[review["id"]])


def test_a_session_without_an_opinion_still_moves(personas, charter):
    _, review = in_review(personas, charter)
    draft(personas, charter, review)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    call("cdm_session_update", personas.president, id=session_id, starts_at=_days_ago(3))
    call("cdm_session_update", personas.president, id=session_id, agenda=[])
