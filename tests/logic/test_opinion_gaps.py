"""Gaps found by probing the opinion actions as an attacker, one test each."""

from __future__ import annotations

from tests.logic.opinions import call, held_session, publish, published


def test_the_correction_of_a_deleted_datasets_opinion_is_as_public_as_the_opinion(
    personas, charter
):
    pkg, review, opinion = published(personas, charter)
    call("package_delete", personas.sysadmin, id=pkg["id"])
    correction = call(
        "cdm_opinion_correct", personas.president, id=opinion["number"], reason="Coquille."
    )
    session_id = held_session([review["id"]], [personas.president, personas.member])
    corrected = publish(personas, correction, session_id)
    for user in ("", personas.registered, personas.other_steward):
        old = call("cdm_opinion_show", user, id=opinion["number"])
        assert old["superseded_by"]["number"] == corrected["number"]
        # the successor the old opinion links to is public too
        new = call("cdm_opinion_show", user, id=corrected["number"])
        assert new["supersedes"]["number"] == opinion["number"]
        listed = call("cdm_opinion_list", user, review=review["id"])
        assert {o["number"] for o in listed["results"]} == {opinion["number"], corrected["number"]}
