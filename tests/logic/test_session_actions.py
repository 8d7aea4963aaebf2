"""Committee sessions through the action API: convening, agenda, attendance,
proxies, quorum, minutes, closing, what each reader sees, the e-mail of the
agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.model import audit
from ckanext.cdm.model import base as clock
from tests.conftest import seat, submit_dataset
from tests.test_notifications import body_of, choose_language, email_of, run_jobs, subject

DAY = "2026-03-12T18:00"
COMING = "2099-03-12T18:00"  # a session to come, whatever the day the tests run


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def convene(president: str, **data) -> dict:
    return call("cdm_session_create", president, **{"starts_at": DAY, "place": "Salle 1", **data})


def update(president: str, session: dict, **data) -> dict:
    return call("cdm_session_update", president, id=session["id"], **data)


def refused(field: str, action: str, user: str, **data) -> str:
    """The message of the ValidationError the action raises, which names ``field``."""
    with pytest.raises(tk.ValidationError) as error:
        call(action, user, **data)
    assert field in error.value.error_dict, error.value.error_dict
    return " ".join(error.value.error_dict[field])


def gives(giver: str, holder: str) -> dict:
    return {"giver": giver, "holder": holder}


def user_id(name: str) -> str:
    return model.User.get(name).id


# Convening


def test_the_president_convenes_a_session_with_an_agenda(personas, submitted):
    session = convene(personas.president, title="Séance de mars", agenda=[submitted["id"]])
    assert session["state"] == "convened"
    assert session["place"] == "Salle 1"
    assert session["written_procedure"] is False
    assert session["title"] == "Séance de mars"
    assert [item["id"] for item in session["agenda"]] == [submitted["id"]]
    assert session["allowed_actions"] == ["update", "minutes", "close"]
    assert [e.action for e in audit.trail("session", session["id"])] == ["convene", "agenda"]


def test_a_session_needs_a_place_unless_held_in_writing(personas):
    message = refused("place", "cdm_session_create", personas.president, starts_at=DAY, place="  ")
    assert "place" in message
    written = call(
        "cdm_session_create", personas.president, starts_at=DAY, written_procedure="true"
    )
    assert written["written_procedure"] is True
    assert written["place"] is None


@pytest.mark.parametrize("junk", ["12/03/2026 18:00", "2026-02-30T10:00", "2026-03-12", "x"])
def test_the_date_is_a_day_and_a_time(personas, junk):
    refused("starts_at", "cdm_session_create", personas.president, starts_at=junk, place="A")


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Paris")
def test_the_time_typed_is_the_portals_local_time(personas):
    session = convene(personas.president, starts_at="2026-03-12T18:00")
    assert session["starts_at"] == "2026-03-12T17:00:00+00:00"
    summer = convene(personas.president, starts_at="2026-07-01T18:00")
    assert summer["starts_at"] == "2026-07-01T16:00:00+00:00"


# Agenda


def test_only_open_reviews_go_on_the_agenda(personas, charter, submitted):
    _, withdrawn = submit_dataset(personas.steward, personas.organization, charter)
    call("cdm_review_withdraw", personas.steward, id=withdrawn["id"])
    message = refused(
        "agenda",
        "cdm_session_create",
        personas.president,
        starts_at=DAY,
        place="A",
        agenda=[submitted["id"], withdrawn["id"]],
    )
    assert "submitted or in review" in message
    refused(
        "agenda",
        "cdm_session_create",
        personas.president,
        starts_at=DAY,
        place="A",
        agenda=["no-such-review"],
    )


def test_a_review_on_the_agenda_stays_when_its_state_moves_on(personas, charter, submitted):
    _, other = submit_dataset(personas.steward, personas.organization, charter)
    session = convene(personas.president, agenda=[submitted["id"]])
    call("cdm_review_withdraw", personas.steward, id=submitted["id"])
    session = update(personas.president, session, agenda=[other["id"], submitted["id"]])
    assert [item["id"] for item in session["agenda"]] == [other["id"], submitted["id"]]
    session = update(personas.president, session, agenda=[other["id"]])
    assert [item["id"] for item in session["agenda"]] == [other["id"]]


# Attendance and proxies


def test_present_members_are_in_office_on_the_session_day(personas):
    session = convene(personas.president)
    message = refused(
        "attendance",
        "cdm_session_update",
        personas.president,
        id=session["id"],
        attendance=[personas.member, personas.registered],
    )
    assert "Not in office on the session's day" in message
    newcomer = factories.User(fullname="Nadia Perrin")["name"]
    seat(personas.sysadmin, newcomer, "research", mandate_start="2026-06-01")
    message = refused(
        "attendance",
        "cdm_session_update",
        personas.president,
        id=session["id"],
        attendance=[newcomer],
    )
    assert "Nadia Perrin" in message
    session = update(personas.president, session, attendance=[personas.member, personas.president])
    assert {p["name"] for p in session["attendance"]} == {personas.member, personas.president}


def test_a_member_whose_seat_ended_since_counts_for_a_past_session(personas):
    session = convene(personas.president, starts_at="2026-02-01T10:00")
    seat_id = next(
        s["id"]
        for s in call("cdm_member_list", personas.sysadmin)
        if s["user_name"] == personas.member
    )
    call("cdm_member_delete", personas.sysadmin, id=seat_id, ended_on="2026-02-15")
    session = update(personas.president, session, attendance=[personas.member])
    assert [p["name"] for p in session["attendance"]] == [personas.member]


def test_proxy_rules(personas):
    session = convene(personas.president)
    update(personas.president, session, attendance=[personas.president])
    proxy = {"giver": personas.member, "holder": personas.conflicted_member}
    message = refused(
        "proxies", "cdm_session_update", personas.president, id=session["id"], proxies=[proxy]
    )
    assert "holds a proxy and must be present" in message
    present_giver = {"giver": personas.president, "holder": personas.member}
    update(personas.president, session, attendance=[personas.president, personas.member])
    message = refused(
        "proxies",
        "cdm_session_update",
        personas.president,
        id=session["id"],
        proxies=[present_giver],
    )
    assert "is present and cannot give a proxy" in message
    outsider = {"giver": personas.registered, "holder": personas.member}
    message = refused(
        "add_proxy", "cdm_session_update", personas.president, id=session["id"], add_proxy=outsider
    )
    assert "cannot give a proxy" in message
    # a holder who holds no seat is told so, not that they must be present
    to_outsider = {"giver": personas.member, "holder": personas.registered}
    message = refused(
        "add_proxy",
        "cdm_session_update",
        personas.president,
        id=session["id"],
        add_proxy=to_outsider,
    )
    assert "is not in office on the session's day and cannot hold a proxy" in message
    assert "must be present" not in message
    # a holder cannot be marked absent, nor a giver present, while the proxy stands
    update(personas.president, session, attendance=[personas.president])
    session = update(
        personas.president,
        session,
        add_proxy={"giver": personas.member, "holder": personas.president},
    )
    assert session["proxies"][0]["giver"]["name"] == personas.member
    message = refused(
        "attendance", "cdm_session_update", personas.president, id=session["id"], attendance=[]
    )
    assert "must be present" in message
    session = update(personas.president, session, remove_proxy=personas.member)
    assert session["proxies"] == []


def test_a_member_holds_one_proxy_by_default(personas):
    extra = factories.User()["name"]
    seat(personas.sysadmin, extra, "business")
    session = convene(personas.president)
    update(personas.president, session, attendance=[personas.president])
    update(personas.president, session, add_proxy=gives(personas.member, personas.president))
    message = refused(
        "add_proxy",
        "cdm_session_update",
        personas.president,
        id=session["id"],
        add_proxy={"giver": extra, "holder": personas.president},
    )
    assert "at most 1 proxy" in message


@pytest.mark.ckan_config("ckanext.cdm.session.proxies_per_member", 2)
def test_the_proxy_cap_is_set_by_config(personas):
    extra = factories.User()["name"]
    seat(personas.sysadmin, extra, "business")
    session = convene(personas.president)
    update(personas.president, session, attendance=[personas.president])
    session = update(
        personas.president,
        session,
        proxies=[
            {"giver": personas.member, "holder": personas.president},
            {"giver": extra, "holder": personas.president},
        ],
    )
    assert len(session["proxies"]) == 2
    assert session["quorum"]["represented"] == 3


# Quorum


def test_quorum_is_a_majority_of_the_members_in_office_by_default(personas):
    session = convene(personas.president)
    assert session["quorum"] == {
        "members_in_office": 3,
        "present": 0,
        "proxies": 0,
        "represented": 0,
        "needed": 2,
        "reached": False,
    }
    update(personas.president, session, attendance=[personas.president])
    session = update(
        personas.president, session, add_proxy=gives(personas.member, personas.president)
    )
    assert session["quorum"]["represented"] == 2
    assert session["quorum"]["reached"] is True


@pytest.mark.ckan_config("ckanext.cdm.session.quorum", 3)
def test_quorum_set_by_config(personas):
    session = convene(personas.president)
    session = update(personas.president, session, attendance=[personas.president, personas.member])
    assert session["quorum"]["needed"] == 3
    assert session["quorum"]["reached"] is False
    session = update(
        personas.president,
        session,
        attendance=[personas.president, personas.member, personas.conflicted_member],
    )
    assert session["quorum"]["reached"] is True


# Minutes and closing


def test_a_closed_session_refuses_every_change_but_its_minutes(personas, submitted):
    session = convene(personas.president)
    session = update(personas.president, session, minutes="Ouverture à 18 h.", close=True)
    assert session["state"] == "closed"
    assert session["allowed_actions"] == ["minutes"]
    for field, value in (
        ("attendance", [personas.member]),
        ("agenda", [submitted["id"]]),
        ("place", "Salle 2"),
        ("add_proxy", {"giver": personas.member, "holder": personas.president}),
    ):
        message = refused(
            field, "cdm_session_update", personas.president, id=session["id"], **{field: value}
        )
        assert "closed" in message
    refused("close", "cdm_session_update", personas.president, id=session["id"], close=True)
    session = update(personas.president, session, minutes="Ouverture à 18 h. Levée à 20 h.")
    assert session["minutes"] == "Ouverture à 18 h. Levée à 20 h."
    actions = [e.action for e in audit.trail("session", session["id"])]
    assert actions == ["convene", "minutes", "close", "minutes"]


# What each reader sees


def test_minutes_are_public_once_the_session_is_closed(personas):
    session = convene(personas.president)
    update(personas.president, session, minutes="Projet de procès-verbal.")
    for reader in ("", personas.registered, personas.steward):
        assert call("cdm_session_show", reader, id=session["id"])["minutes"] is None
        listed = call("cdm_session_list", reader)["results"]
        assert listed[0]["minutes"] is None
    assert call("cdm_session_show", personas.member, id=session["id"])["minutes"]
    update(personas.president, session, close=True)
    assert call("cdm_session_show", "", id=session["id"])["minutes"] == "Projet de procès-verbal."


def test_the_public_reads_full_names_only(personas):
    session = convene(personas.president)
    update(personas.president, session, attendance=[personas.president])
    update(personas.president, session, add_proxy=gives(personas.member, personas.president))
    fullname = model.User.get(personas.president).fullname
    public = call("cdm_session_show", "", id=session["id"])
    assert public["attendance"] == [{"fullname": fullname}]
    assert public["proxies"][0]["holder"] == {"fullname": fullname}
    assert "members_in_office" not in public
    text = repr(public)
    for secret in (personas.president, personas.member, user_id(personas.president)):
        assert secret not in text
    committee = call("cdm_session_show", personas.member, id=session["id"])
    assert committee["attendance"] == [
        {"id": user_id(personas.president), "name": personas.president, "fullname": fullname}
    ]
    assert len(committee["members_in_office"]) == 3


def test_a_private_dataset_on_the_agenda_shows_to_the_committee_only(personas, charter, submitted):
    private, review = submit_dataset(
        personas.steward, personas.organization, charter, private=True, title="Fichier confidentiel"
    )
    session = convene(personas.president, agenda=[submitted["id"], review["id"]])
    for reader in ("", personas.registered, personas.other_steward):
        seen = call("cdm_session_show", reader, id=session["id"])
        assert [item["id"] for item in seen["agenda"]] == [submitted["id"]]
        assert "Fichier confidentiel" not in repr(seen)
    for reader in (personas.member, personas.steward, personas.sysadmin):
        seen = call("cdm_session_show", reader, id=session["id"])
        assert [item["id"] for item in seen["agenda"]] == [submitted["id"], review["id"]]
    assert private["private"] is True


def test_list_of_upcoming_and_past_sessions(personas):
    past = convene(personas.president, starts_at="2025-01-15T10:00")
    older = convene(personas.president, starts_at="2024-12-01T10:00")
    soon = convene(personas.president, starts_at="2099-01-10T10:00")
    later = convene(personas.president, starts_at="2099-05-10T10:00")
    update(personas.president, past, close=True)
    upcoming = call("cdm_session_list", "", upcoming=True)
    assert [s["id"] for s in upcoming["results"]] == [soon["id"], later["id"]]
    gone = call("cdm_session_list", "", upcoming="false")
    assert [s["id"] for s in gone["results"]] == [past["id"], older["id"]]
    closed = call("cdm_session_list", "", state="closed")
    assert closed["count"] == 1
    page = call("cdm_session_list", "", limit=1, offset=1)
    assert page["count"] == 4
    assert [s["id"] for s in page["results"]] == [soon["id"]]


def test_unknown_session_is_not_found(personas):
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_session_show", "", id="no-such-session")
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_session_update", personas.president, id="no-such-session", title="x")


# The e-mail of the agenda


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_members_in_office_are_emailed_the_agenda_in_their_language(
    personas, charter, submitted, smtp_sink
):
    choose_language(personas.member, "fr")
    _, private = submit_dataset(
        personas.steward, personas.organization, charter, private=True, title="Fichier interne"
    )
    run_jobs()
    smtp_sink.messages.clear()  # the e-mails of the submissions
    session = convene(
        personas.president,
        starts_at=COMING,
        place="Salle des commissions",
        agenda=[submitted["id"], private["id"]],
    )
    run_jobs()
    president, member, conflicted = (
        email_of(u, personas.sysadmin)
        for u in (personas.president, personas.member, personas.conflicted_member)
    )
    assert smtp_sink.to(email_of(personas.steward, personas.sysadmin)) == []
    [english] = smtp_sink.to(president)
    assert (
        subject(english)
        == "[Metropolitan Data Committee] Session convened on March 12, 2099 at 18:00"
    )
    body = body_of(english)
    assert "Salle des commissions" in body
    assert "- Capteurs d'affluence\n- Fichier interne\n" in body
    assert f"http://test.ckan.net/cdm/sessions/{session['id']}\n" in body
    [french] = smtp_sink.to(member)
    assert subject(french) == (
        "[Comité métropolitain de la donnée] Séance convoquée le 12 mars 2099 à 18:00"
    )
    assert "Ordre du jour" in body_of(french)
    assert f"http://test.ckan.net/fr/cdm/sessions/{session['id']}\n" in body_of(french)
    assert smtp_sink.to(conflicted)  # every member in office, conflicts or not


def test_opinions_adopted_show_by_the_labels_of_their_dataset(personas, charter, submitted):
    """The session lists its published opinions a reader may see (a private
    dataset's opinion: the committee only); drafts never."""
    from ckanext.cdm.model import Opinion, Review

    _, hidden = submit_dataset(
        personas.steward, personas.organization, charter, private=True, title="Fichier interne"
    )
    session = convene(personas.president, agenda=[submitted["id"], hidden["id"]])
    for review_id in (submitted["id"], hidden["id"]):
        call("cdm_review_assign", personas.president, id=review_id, rapporteur=personas.member)
    votes = dict.fromkeys(("votes_against", "votes_abstain", "votes_not_voting"), 0)
    votes.update(votes_for=2, votes_proxies=0)
    for review_id in (submitted["id"], hidden["id"]):
        review = Review.get(review_id)
        opinion = Opinion.draft(review, personas.president, None, "favorable", {})
        opinion.publish(personas.president, None, session["id"], votes, [], review, None)
    _, drafted = submit_dataset(personas.steward, personas.organization, charter)
    call("cdm_review_assign", personas.president, id=drafted["id"], rapporteur=personas.member)
    draft = Opinion.draft(Review.get(drafted["id"]), personas.president, None, "favorable", {})
    draft.session_id = session["id"]  # not published: never listed
    model.repo.commit()
    public = call("cdm_session_show", "", id=session["id"])
    assert [o["dataset_title"] for o in public["opinions"]] == ["Capteurs d'affluence"]
    committee = call("cdm_session_show", personas.member, id=session["id"])
    assert len(committee["opinions"]) == 2


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_a_session_recorded_after_it_took_place_emails_nobody(personas, submitted, smtp_sink):
    run_jobs()
    smtp_sink.messages.clear()
    past = f"{clock.today() - dt.timedelta(days=30)}T18:00"
    recorded = convene(personas.president, starts_at=past, agenda=[submitted["id"]])
    assert recorded["held"] is True
    run_jobs()
    assert smtp_sink.messages == []
    convene(personas.president, starts_at=COMING, agenda=[submitted["id"]])
    run_jobs()
    assert smtp_sink.messages
