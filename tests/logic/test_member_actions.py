"""The committee's composition rules, enforced by the actions."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from tests.conftest import seat


@pytest.fixture
def sysadmin(clean_db):
    return factories.Sysadmin()["name"]


def fill(sysadmin: str, college: str, count: int) -> list[str]:
    users = [factories.User()["name"] for _ in range(count)]
    for user in users:
        seat(sysadmin, user, college)
    return users


def errors_of(sysadmin: str, **data) -> dict:
    with pytest.raises(tk.ValidationError) as error:
        seat(sysadmin, **data)
    return error.value.error_dict


def test_a_ninth_civil_society_seat_is_refused(sysadmin):
    fill(sysadmin, "civil_society", 8)
    errors = errors_of(sysadmin, user=factories.User()["name"], college="civil_society")
    assert "8 seats" in errors["college"][0]


@pytest.mark.ckan_config("ckanext.cdm.seats.research", 2)
def test_seat_caps_come_from_the_configuration(sysadmin):
    fill(sysadmin, "research", 2)
    errors = errors_of(sysadmin, user=factories.User()["name"], college="research")
    assert "2 seats" in errors["college"][0]


def test_a_second_president_is_refused(sysadmin):
    seat(sysadmin, factories.User()["name"], "civil_society", "president")
    errors = errors_of(
        sysadmin, user=factories.User()["name"], college="civil_society", role="president"
    )
    assert "already has a president" in errors["role"][0]


def test_a_local_authorities_president_is_refused(sysadmin):
    errors = errors_of(
        sysadmin, user=factories.User()["name"], college="local_authorities", role="president"
    )
    assert "local authorities" in errors["role"][0]


def test_a_president_outside_civil_society_is_refused(sysadmin):
    errors = errors_of(
        sysadmin, user=factories.User()["name"], college="research", role="president"
    )
    assert "qualified personality" in errors["role"][0]


def test_one_user_holds_one_seat_at_a_time(sysadmin):
    user = factories.User()["name"]
    seat(sysadmin, user, "research")
    errors = errors_of(sysadmin, user=user, college="business")
    assert "one seat at a time" in errors["user"][0]


def test_a_later_mandate_for_the_same_user_is_allowed(sysadmin):
    user = factories.User()["name"]
    seat(sysadmin, user, "research", mandate_start="2020-01-01", mandate_end="2025-12-31")
    later = seat(sysadmin, user, "research", mandate_start="2026-01-01", mandate_end="2099-12-31")
    assert later["college"] == "research"


def test_a_mandate_ending_before_it_starts_is_refused(sysadmin):
    errors = errors_of(
        sysadmin,
        user=factories.User()["name"],
        college="research",
        mandate_start="2026-05-01",
        mandate_end="2026-04-01",
    )
    assert "must follow its start" in errors["mandate_end"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"college": "jury"}, "college"),
        ({"college": "research", "role": "chair"}, "role"),
        ({"college": "research", "mandate_start": "not a date"}, "mandate_start"),
        ({"college": "research", "user": "nobody-here"}, "user"),
    ],
)
def test_bad_input_names_the_field(sysadmin, data, field):
    data = {"user": factories.User()["name"], **data}
    errors = errors_of(sysadmin, **data)
    assert field in errors
    assert helpers.call_action("cdm_member_list") == []


def test_ending_a_mandate_frees_the_seat_and_keeps_the_record(sysadmin):
    users = fill(sysadmin, "local_authorities", 5)
    first = helpers.call_action("cdm_member_list")[0]
    ended = helpers.call_action(
        "cdm_member_delete", context={"user": sysadmin}, id=first["id"], reason="Démission"
    )
    assert ended["state"] == "ended"
    assert ended["in_office"] is False

    seat(sysadmin, factories.User()["name"], "local_authorities")  # the freed seat
    current = helpers.call_action("cdm_member_list")
    history = helpers.call_action("cdm_member_list", include_ended=True)
    assert len(current) == 5
    assert len(history) == 6
    assert {s["id"] for s in history} >= {first["id"]}
    assert len(users) == 5


def test_an_ended_mandate_cannot_end_twice(sysadmin):
    seat_ = seat(sysadmin, factories.User()["name"], "research")
    helpers.call_action("cdm_member_delete", context={"user": sysadmin}, id=seat_["id"])
    with pytest.raises(tk.ValidationError, match="already ended"):
        helpers.call_action("cdm_member_delete", context={"user": sysadmin}, id=seat_["id"])


def test_update_is_held_to_the_same_rules(sysadmin):
    seat(sysadmin, factories.User()["name"], "civil_society", "president")
    other = seat(sysadmin, factories.User()["name"], "civil_society")
    with pytest.raises(tk.ValidationError, match="role"):
        helpers.call_action(
            "cdm_member_update", context={"user": sysadmin}, id=other["id"], role="president"
        )
    unchanged = next(s for s in helpers.call_action("cdm_member_list") if s["id"] == other["id"])
    assert unchanged["role"] == "member"


def test_update_changes_the_affiliation(sysadmin):
    seat_ = seat(sysadmin, factories.User()["name"], "business", affiliation="PME A")
    updated = helpers.call_action(
        "cdm_member_update", context={"user": sysadmin}, id=seat_["id"], affiliation="PME B"
    )
    assert updated["affiliation"] == "PME B"


def test_public_list_hides_user_names_and_emails(personas):
    public = helpers.call_action("cdm_member_list", context={"user": ""})
    assert public
    assert all("email" not in s and "user_name" not in s for s in public)
    private = helpers.call_action("cdm_member_list", context={"user": personas.member})
    assert all(s["email"] and s["user_name"] for s in private)


def test_unknown_seat_is_not_found(sysadmin):
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("cdm_member_delete", context={"user": sysadmin}, id="nope")


def test_a_mandate_ended_at_a_future_date_holds_its_seat_until_then(sysadmin):
    import datetime as dt

    seat_ = seat(sysadmin, factories.User()["name"], "research")
    later = (clock.today() + dt.timedelta(days=30)).isoformat()
    ended = helpers.call_action(
        "cdm_member_delete", context={"user": sysadmin}, id=seat_["id"], ended_on=later
    )
    assert ended["in_office"] is True
    assert seat_["id"] in {s["id"] for s in helpers.call_action("cdm_member_list")}


def test_an_ended_mandate_is_history_and_cannot_be_changed(sysadmin):
    seat_ = seat(sysadmin, factories.User()["name"], "business", affiliation="PME A")
    helpers.call_action("cdm_member_delete", context={"user": sysadmin}, id=seat_["id"])
    with pytest.raises(tk.ValidationError, match="already ended"):
        helpers.call_action(
            "cdm_member_update", context={"user": sysadmin}, id=seat_["id"], affiliation="B"
        )


def test_form_of_address_is_kept_with_the_seat_and_checked(personas):
    created = seat(
        personas.sysadmin, factories.User()["name"], "business", form_of_address="monsieur"
    )
    assert created["form_of_address"] == "monsieur"
    updated = helpers.call_action(
        "cdm_member_update",
        context={"user": personas.sysadmin},
        id=created["id"],
        form_of_address="madame",
    )
    assert updated["form_of_address"] == "madame"
    with pytest.raises(tk.ValidationError) as error:
        seat(personas.sysadmin, factories.User()["name"], "business", form_of_address="mx")
    assert "form_of_address" in error.value.error_dict


def test_a_seat_ended_before_it_starts_is_history_only(clean_db):
    sysadmin = factories.Sysadmin()["name"]
    user = factories.User()["name"]
    seat = helpers.call_action(
        "cdm_member_create",
        context={"user": sysadmin},
        user=user,
        college="research",
        mandate_start="2033-01-01",
    )
    helpers.call_action("cdm_member_delete", context={"user": sysadmin}, id=seat["id"])
    current = helpers.call_action("cdm_member_list")
    assert seat["id"] not in {s["id"] for s in current}
    history = helpers.call_action("cdm_member_list", include_ended=True)
    assert seat["id"] in {s["id"] for s in history}
