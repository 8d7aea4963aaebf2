"""Notifications a committee can live with: each user chooses the kinds of
e-mail they receive, a committee member may take them in one daily digest,
and each notification goes over one SMTP connection. Real Redis, a real
worker, a real SMTP sink (``tests/test_notifications.py``)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.model.digest import DigestItem
from tests.conftest import PERSONAS, is_authorized, seat, submit_dataset
from tests.logic.opinions import draft, held_session, in_review, publish, published
from tests.logic.test_opinion_confidentiality import NOTES_WITH_WORD, _secret_free
from tests.test_notifications import body_of, email_of, run_jobs, subject

pytestmark = pytest.mark.usefixtures("clean_queues", "with_test_worker")


def prefer(user: str, **preferences) -> dict:
    return helpers.call_action(
        "cdm_user_preferences_update",
        context={"user": user, "ignore_auth": False},
        **preferences,
    )


def send_digests(personas) -> dict:
    return helpers.call_action(
        "cdm_notification_digest_send", context={"user": personas.sysadmin, "ignore_auth": False}
    )


def inbox(sink, personas, user: str) -> list[str]:
    """The subjects ``user`` received."""
    return [subject(m) for m in sink.to(email_of(user, personas.sysadmin))]


def test_a_submission_reaches_the_whole_committee_over_one_connection(personas, dataset, smtp_sink):
    for college in ("research", "research", "civil_society", "business"):
        seat(personas.sysadmin, factories.User()["name"], college)
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    run_jobs()
    # the president, the member and the four new members; not the conflicted member
    assert len(smtp_sink.messages) == 6
    assert smtp_sink.connections == 1


def test_a_member_who_wants_no_submissions_still_hears_of_their_own_file(
    personas, dataset, smtp_sink
):
    prefer(personas.member, notifications=["agenda", "opinions", "changes"])
    review = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )
    run_jobs()
    assert inbox(smtp_sink, personas, personas.member) == []
    assert inbox(smtp_sink, personas, personas.president) == [
        "[Metropolitan Data Committee] New review request: Capteurs d'affluence"
    ]
    helpers.call_action(
        "cdm_review_assign",
        context={"user": personas.president},
        id=review["id"],
        rapporteur=personas.member,
    )
    run_jobs()
    assert inbox(smtp_sink, personas, personas.member) == [
        "[Metropolitan Data Committee] The report on “Capteurs d'affluence” is entrusted to you"
    ]


def test_a_steward_who_wants_nothing_still_gets_the_request_for_changes(
    personas, dataset, smtp_sink
):
    prefer(personas.steward, notifications=[])
    review = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )
    helpers.call_action(
        "cdm_review_request_changes",
        context={"user": personas.president},
        id=review["id"],
        message="Précisez la durée de conservation.",
    )
    run_jobs()
    assert inbox(smtp_sink, personas, personas.steward) == [
        "[Metropolitan Data Committee] Changes requested on “Capteurs d'affluence”"
    ]


def test_the_agenda_goes_only_to_those_who_want_it(personas, submitted, smtp_sink):
    prefer(personas.member, notifications=["submissions"])
    run_jobs()
    smtp_sink.clear()
    helpers.call_action(
        "cdm_session_create",
        context={"user": personas.president},
        starts_at="2099-03-12T18:00",  # to come, whatever the day the tests run
        place="Salle 1",
        agenda=[submitted["id"]],
    )
    run_jobs()
    assert inbox(smtp_sink, personas, personas.member) == []
    assert inbox(smtp_sink, personas, personas.president) == [
        "[Metropolitan Data Committee] Session convened on March 12, 2099 at 18:00"
    ]


def test_an_opinion_reaches_its_steward_whatever_they_chose(personas, charter, smtp_sink):
    prefer(personas.steward, notifications=[])
    prefer(personas.member, notifications=["agenda", "submissions", "changes"])
    _, _, opinion = published(personas, charter, title="Bornes de recharge")
    run_jobs()
    told = (
        f"[Metropolitan Data Committee] Opinion {opinion['number']} published: “Bornes de recharge”"
    )
    assert told in inbox(smtp_sink, personas, personas.steward)  # their own review
    assert told not in inbox(smtp_sink, personas, personas.member)
    assert told in inbox(smtp_sink, personas, personas.president)


def test_the_digest_collects_a_members_emails_and_sends_them_once(
    personas, charter, dataset, smtp_sink
):
    prefer(personas.member, digest=True, language="fr")
    prefer(personas.president, digest=True)
    review = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )
    submit_dataset(personas.steward, personas.organization, charter, title="Parkings relais")
    run_jobs()
    assert smtp_sink.messages == []  # both members wait for their digest

    helpers.call_action(  # their own file: at once
        "cdm_review_assign",
        context={"user": personas.president},
        id=review["id"],
        rapporteur=personas.member,
    )
    run_jobs()
    assert len(inbox(smtp_sink, personas, personas.member)) == 1
    smtp_sink.clear()

    assert send_digests(personas) == {"recipients": 2, "items": 4}
    assert smtp_sink.connections == 1
    [french] = smtp_sink.to(email_of(personas.member, personas.sysadmin))
    assert subject(french) == "[Comité métropolitain de la donnée] Votre récapitulatif quotidien"
    body = body_of(french)
    assert "Nouvelle demande d’avis\u00a0: Capteurs d'affluence" in body
    assert "Nouvelle demande d’avis\u00a0: Parkings relais" in body
    assert f"http://test.ckan.net/fr/user/{personas.member}/cdm-preferences" in body
    [english] = smtp_sink.to(email_of(personas.president, personas.sysadmin))
    assert subject(english) == "[Metropolitan Data Committee] Your daily digest"

    smtp_sink.clear()
    assert send_digests(personas) == {"recipients": 0, "items": 0}
    assert smtp_sink.messages == []
    assert model.Session.query(DigestItem).count() == 0


def test_a_digest_holds_only_what_its_reader_would_have_been_sent(
    personas, charter, dataset, smtp_sink
):
    """The conflicted member (of the dataset's organization) is never told of
    its submission, digest or not; a member who left office gets nothing."""
    prefer(personas.conflicted_member, digest=True)
    prefer(personas.member, digest=True)
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    run_jobs()
    holders = {item.user_id for item in model.Session.query(DigestItem)}
    assert holders == {model.User.by_name(personas.member).id}

    [member_seat] = [
        s
        for s in helpers.call_action("cdm_member_list", context={"user": personas.sysadmin})
        if s["user_name"] == personas.member
    ]
    helpers.call_action(
        "cdm_member_delete", context={"user": personas.sysadmin}, id=member_seat["id"]
    )
    assert send_digests(personas) == {"recipients": 0, "items": 0}
    assert inbox(smtp_sink, personas, personas.member) == []
    assert inbox(smtp_sink, personas, personas.conflicted_member) == []
    assert model.Session.query(DigestItem).count() == 0


def test_a_digest_never_carries_the_deliberation_notes(personas, charter, smtp_sink):
    """An opinion on a private dataset, with confidential notes: the members'
    digests give its number and verdict, as the e-mails one by one would, and
    nothing else; nobody outside is told."""
    prefer(personas.member, digest=True)
    prefer(personas.president, digest=True)
    _, review = in_review(personas, charter, private=True, title="Fichier interne")
    session_id = held_session([review["id"]], [personas.president, personas.member])
    notes = draft(personas, charter, review, deliberation_notes=NOTES_WITH_WORD)
    opinion = publish(personas, notes, session_id)
    run_jobs()
    smtp_sink.clear()
    assert send_digests(personas)["recipients"] == 2
    for user in (personas.member, personas.president):
        [digest] = smtp_sink.to(email_of(user, personas.sysadmin))
        assert f"Opinion {opinion['number']} published: “Fichier interne”" in body_of(digest)
    for message in smtp_sink.messages:
        assert _secret_free(body_of(message))
    for outsider in (personas.other_steward, personas.registered):
        assert inbox(smtp_sink, personas, outsider) == []


def test_only_sysadmins_send_the_digests(personas):
    outcome = {p: is_authorized("cdm_notification_digest_send", personas.name(p)) for p in PERSONAS}
    assert outcome == {p: p == "sysadmin" for p in PERSONAS}


def test_the_preferences_say_what_each_user_receives(personas):
    shown = helpers.call_action("cdm_user_preferences_show", context={"user": personas.member})
    assert shown["notifications"] == ["agenda", "submissions", "opinions", "changes"]
    assert shown["kinds"] == ["agenda", "submissions", "opinions", "changes"]
    assert (shown["digest"], shown["digest_offered"]) == (False, True)
    changed = prefer(personas.member, notifications="opinions, agenda", digest="true")
    assert changed["notifications"] == ["agenda", "opinions"]
    assert changed["digest"] is True
    assert changed["language"] == "en"  # what was not given is kept
    steward = helpers.call_action("cdm_user_preferences_show", context={"user": personas.steward})
    assert steward["digest_offered"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("notifications", ["agenda", "newsletter"]),
        ("notifications", "everything"),
        ("notifications", {"agenda": True}),
        ("notifications", [["agenda"]]),
        ("notifications", 3),
        ("digest", "perhaps"),
        ("digest", ["true"]),
        ("digest", ""),
    ],
)
def test_unknown_kinds_and_junk_are_refused_naming_the_field(personas, field, value):
    with pytest.raises(tk.ValidationError) as error:
        prefer(personas.member, **{field: value})
    assert list(error.value.error_dict) == [field]


def test_the_digest_is_for_committee_members(personas):
    with pytest.raises(tk.ValidationError) as error:
        prefer(personas.steward, digest=True)
    assert error.value.error_dict == {
        "digest": ["The daily digest is for the committee's members in office."]
    }
    assert prefer(personas.steward, digest=False)["digest"] is False


@pytest.mark.usefixtures("clean_db")
def test_the_daily_command_sends_the_digests_once(cli, personas, smtp_sink):
    from ckan.cli.cli import ckan as ckan_command

    prefer(personas.member, digest=True, language="fr")
    member = model.User.by_name(personas.member)
    for title in ("Capteurs d'affluence", "Parkings relais"):
        model.Session.add(
            DigestItem(user_id=member.id, kind="submissions", subject=title, body=f"{title}.\n")
        )
    model.repo.commit()

    first = cli.invoke(ckan_command, ["cdm", "notifications", "digest"])
    assert first.exit_code == 0, first.output
    assert "Digests sent: 1 (2 notifications)." in first.output
    [digest] = smtp_sink.to(email_of(personas.member, personas.sysadmin))
    assert subject(digest) == "[Comité métropolitain de la donnée] Votre récapitulatif quotidien"
    assert "Capteurs d'affluence\n\nCapteurs d'affluence.\n" in body_of(digest)

    again = cli.invoke(ckan_command, ["cdm", "notifications", "digest"])
    assert "Digests sent: 0 (0 notifications)." in again.output
    assert len(smtp_sink.messages) == 1


@pytest.mark.committing  # threads, each with its own session
def test_two_digest_runs_at_once_send_each_digest_once(app, personas, smtp_sink):
    from ckanext.cdm import digest
    from tests.logic.test_concurrency import race

    for user in (personas.member, personas.president):
        prefer(user, digest=True)
        user_id = model.User.by_name(user).id
        for title in ("Capteurs d'affluence", "Parkings relais", "Bornes de recharge"):
            model.Session.add(DigestItem(user_id=user_id, kind="opinions", subject=title, body="."))
    model.repo.commit()

    assert race(app, digest.send_digests, digest.send_digests) == ["ok", "ok"]
    for user in (personas.member, personas.president):
        [one] = smtp_sink.to(email_of(user, personas.sysadmin))
        assert body_of(one).count("Parkings relais") == 1
    assert len(smtp_sink.messages) == 2
    assert model.Session.query(DigestItem).count() == 0
