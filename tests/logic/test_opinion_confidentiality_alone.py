"""Opinions kept confidential apart from the module-wide world of
tests/logic/test_opinion_confidentiality.py (whose public opinion these tests
would count): an opinion on a private dataset, the e-mail in the reader's
language, a draft whose review is withdrawn."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from tests.logic.opinions import call, draft, held_session, in_review, publish
from tests.logic.test_opinion_confidentiality import _text
from tests.test_notifications import email_of, run_jobs, subject


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
        "[Comité métropolitain de la donnée] "
        f"Avis {opinion['number']} publié\u00a0: «\u00a0{title}\u00a0»"
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
