"""Citizen meetings through the action API: the committee announces,
changes and cancels them; everyone reads them; the auth matrix."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.cdm.model.audit import AuditEvent
from tests.conftest import PERSONAS, is_authorized
from tests.logic.test_concurrency import ROUNDS, call, race

COMMITTEE_AND_SYSADMIN = {
    p: p in ("member", "conflicted_member", "president", "sysadmin") for p in PERSONAS
}
EVERYONE = dict.fromkeys(PERSONAS, True)

MATRIX = [
    ("cdm_meeting_create", COMMITTEE_AND_SYSADMIN),
    ("cdm_meeting_update", COMMITTEE_AND_SYSADMIN),
    ("cdm_meeting_cancel", COMMITTEE_AND_SYSADMIN),
    ("cdm_meeting_show", EVERYONE),
    ("cdm_meeting_list", EVERYONE),
]


def announce(user: str, **data) -> dict:
    return helpers.call_action(
        "cdm_meeting_create",
        context={"user": user},
        **{
            "title": "Vos données, vos droits",
            "starts_at": "2099-03-12T18:00",
            "ends_at": "2099-03-12T20:00",
            "place": "Médiathèque des Tilleuls",
            **data,
        },
    )


def errors_of(action: str, user: str, **data) -> dict:
    with pytest.raises(tk.ValidationError) as caught:
        helpers.call_action(action, context={"user": user}, **data)
    return caught.value.error_dict


@pytest.mark.parametrize(("auth", "expected"), MATRIX, ids=[a for a, _ in MATRIX])
def test_meeting_auth_matrix(personas, auth, expected):
    meeting = announce(personas.member)
    outcome = {p: is_authorized(auth, personas.name(p), id=meeting["id"]) for p in PERSONAS}
    assert outcome == expected


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Paris")
def test_a_member_announces_a_meeting_read_in_the_portal_time_zone(personas):
    meeting = announce(
        personas.member,
        description="## Programme\n\nAtelier **ouvert à tous**.",
        registration_url="https://inscriptions.example.org/atelier",
    )
    # Europe/Paris is UTC+1 in March
    assert meeting["starts_at"] == "2099-03-12T17:00:00+00:00"
    assert meeting["ends_at"] == "2099-03-12T19:00:00+00:00"
    assert meeting["state"] == "scheduled"
    assert meeting["has_ended"] is False
    assert meeting["allowed_actions"] == ["update", "cancel"]
    shown = helpers.call_action("cdm_meeting_show", context={"user": ""}, id=meeting["id"])
    assert shown["registration_url"] == "https://inscriptions.example.org/atelier"
    assert shown["allowed_actions"] == []
    assert "created_by" not in shown


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ends_at", "2099-03-12T17:59", "The meeting must end after it starts."),
        ("ends_at", "2099-03-12T18:00", "The meeting must end after it starts."),
        ("registration_url", "javascript:alert(1)", "Expected a web address"),
        ("registration_url", "ftp://example.org/x", "Expected a web address"),
        ("registration_url", "https://", "Expected a web address"),
        ("registration_url", "https://exa mple.org", "Expected a web address"),
        ("title", "   ", "Missing value"),
        ("place", "", "Missing value"),
        ("starts_at", "12/03/2099", "Expected a day and a time"),
        ("summary", "Trop tôt.", "once the meeting has taken place"),
    ],
)
def test_bad_meetings_are_refused_naming_the_field(personas, field, value, message):
    errors = errors_of(
        "cdm_meeting_create",
        personas.president,
        **{
            "title": "Atelier",
            "starts_at": "2099-03-12T18:00",
            "ends_at": "2099-03-12T20:00",
            "place": "Salle 1",
            field: value,
        },
    )
    assert list(errors) == [field]
    assert message in " ".join(errors[field])


def test_a_past_meeting_keeps_its_summary_and_cannot_be_cancelled(personas):
    past = announce(
        personas.president,
        starts_at="2025-05-02T18:00",
        ends_at="2025-05-02T20:00",
        summary="Quarante participants.",
    )
    assert past["has_ended"] is True
    assert past["allowed_actions"] == ["update"]
    changed = helpers.call_action(
        "cdm_meeting_update",
        context={"user": personas.member},
        id=past["id"],
        summary="Quarante-deux participants.",
    )
    assert changed["summary"] == "Quarante-deux participants."
    assert changed["title"] == past["title"]
    errors = errors_of("cdm_meeting_cancel", personas.member, id=past["id"])
    assert "taken place" in errors["id"][0]


def test_update_checks_the_end_against_the_stored_start(personas):
    meeting = announce(personas.member)
    errors = errors_of(
        "cdm_meeting_update", personas.member, id=meeting["id"], ends_at="2099-03-12T17:00"
    )
    assert list(errors) == ["ends_at"]
    cleared = helpers.call_action(
        "cdm_meeting_update",
        context={"user": personas.member},
        id=meeting["id"],
        registration_url="",
        place="Salle du conseil",
    )
    assert cleared["registration_url"] is None
    assert cleared["place"] == "Salle du conseil"


def test_a_cancelled_meeting_stays_listed_and_refuses_changes(personas):
    meeting = announce(personas.member)
    cancelled = helpers.call_action(
        "cdm_meeting_cancel",
        context={"user": personas.president},
        id=meeting["id"],
        reason="Salle indisponible.",
    )
    assert cancelled["state"] == "cancelled"
    assert cancelled["cancellation_note"] == "Salle indisponible."
    assert cancelled["allowed_actions"] == []
    listed = helpers.call_action("cdm_meeting_list", context={"user": ""}, upcoming=True)
    assert [(m["id"], m["state"]) for m in listed["results"]] == [(meeting["id"], "cancelled")]
    errors = errors_of("cdm_meeting_update", personas.member, id=meeting["id"], title="Autre")
    assert "cancelled" in errors["id"][0]
    errors = errors_of("cdm_meeting_cancel", personas.member, id=meeting["id"])
    assert "cancelled" in errors["id"][0]
    trail = [
        e.action
        for e in model.Session.query(AuditEvent)
        .filter(AuditEvent.object_id == meeting["id"])
        .order_by(AuditEvent.created)
    ]
    assert trail == ["create", "cancel"]


def test_list_upcoming_soonest_first_and_past_latest_first(personas):
    later = announce(personas.member, starts_at="2099-06-01T10:00", ends_at="2099-06-01T12:00")
    sooner = announce(personas.member, starts_at="2099-02-01T10:00", ends_at="2099-02-01T12:00")
    old = announce(personas.member, starts_at="2024-02-01T10:00", ends_at="2024-02-01T12:00")
    recent = announce(personas.member, starts_at="2025-02-01T10:00", ends_at="2025-02-01T12:00")

    def ids(**data):
        result = helpers.call_action("cdm_meeting_list", context={"user": ""}, **data)
        return [m["id"] for m in result["results"]], result["count"]

    assert ids(upcoming=True) == ([sooner["id"], later["id"]], 2)
    assert ids(upcoming=False) == ([recent["id"], old["id"]], 2)
    assert ids(limit=1, offset=1) == ([sooner["id"]], 4)


def test_unknown_meeting_is_not_found(personas):
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("cdm_meeting_show", context={"user": ""}, id="nope")


@pytest.mark.committing  # threads, each with its own session
def test_cancel_and_edit_at_once_leave_a_consistent_meeting(app, personas):
    """The meeting's row lock serialises them: either the edit comes first and
    the cancellation follows, or the edit is refused on a cancelled meeting."""
    for _ in range(ROUNDS):
        meeting = announce(personas.member)
        outcomes = race(
            app,
            lambda m=meeting: call("cdm_meeting_cancel", personas.president, id=m["id"]),
            lambda m=meeting: call(
                "cdm_meeting_update", personas.member, id=m["id"], title="Nouveau titre"
            ),
        )
        assert outcomes[0] == "ok", outcomes
        assert outcomes[1] in ("ok", "refused"), outcomes
        model.Session.expire_all()
        shown = helpers.call_action("cdm_meeting_show", id=meeting["id"])
        assert shown["state"] == "cancelled"
        trail = [
            e.action
            for e in model.Session.query(AuditEvent)
            .filter(AuditEvent.object_id == meeting["id"])
            .order_by(AuditEvent.created)
        ]
        if outcomes[1] == "ok":
            assert shown["title"] == "Nouveau titre"
            assert trail == ["create", "update", "cancel"]
        else:
            assert shown["title"] == meeting["title"]
            assert trail == ["create", "cancel"]
