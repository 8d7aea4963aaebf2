"""Opinions: drafting, publishing rules, numbering, corrections, immutability."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from tests.logic.opinions import SUMMARY, call, draft, held_session, in_review, publish, published


def test_an_opinion_goes_from_draft_to_published_with_a_number(personas, charter):
    pkg, review = in_review(personas, charter)
    opinion = draft(personas, charter, review)
    assert opinion["state"] == "draft"
    assert opinion["number"] is None
    session_id = held_session([review["id"]], [personas.president, personas.member])
    result = publish(personas, opinion, session_id)
    assert result["state"] == "published"
    assert result["number"].endswith("-001")
    assert result["summary"] == SUMMARY
    assert result["session"]["id"] == session_id
    assert result["charter"]["number"] == "1.0"
    assert call("cdm_review_show", personas.steward, id=review["id"])["state"] == "opinion_issued"
