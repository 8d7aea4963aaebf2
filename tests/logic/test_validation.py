"""Validation lives in the navl schemas, once: self-assessment answers,
principle codes, colleges and roles, texts, dates and version numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm.data import read_charter
from ckanext.cdm.logic.schema import member_create_schema


def call(action: str, user: str, /, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def refused(action: str, user: str, /, **data) -> dict:
    with pytest.raises(tk.ValidationError) as error:
        call(action, user, **data)
    return error.value.error_dict


# Self-assessment answers


def test_saving_an_empty_status_clears_the_answer(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    answer = {"status": "partly", "justification": "En cours"}
    call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers={"purpose_1": answer})
    saved = call(
        "cdm_self_assessment_save",
        personas.steward,
        id=pkg["id"],
        answers={"purpose_1": {"status": "", "justification": ""}},
    )
    assert "purpose_1" not in saved["answers"]
    assert "purpose" in saved["missing"]


def test_answers_not_sent_are_kept(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    answer = {"status": "yes", "justification": "Oui"}
    call("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers={"purpose_1": answer})
    saved = call(
        "cdm_self_assessment_save",
        personas.steward,
        id=pkg["id"],
        answers={"purpose_2": {"status": "no", "justification": "Non"}},
    )
    assert saved["answers"]["purpose_1"] == answer
    assert saved["answers"]["purpose_2"]["status"] == "no"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"purpose_1": {"status": "maybe"}}, "status among"),
        ({"purpose_1": {"status": ["yes"]}}, "Expected a text"),
        ({"purpose_1": {"status": "yes", "justification": {"x": 1}}}, "Expected a text"),
        ({"purpose_1": {"status": "", "justification": "Sans statut"}}, "status among"),
        ({"purpose_1": "yes"}, "must be an object"),
        ({"no_such_question": {"status": "yes"}}, "Unknown question: no_such_question"),
        (["yes"], "Expected an object"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(personas, charter, answers, message):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    errors = refused("cdm_self_assessment_save", personas.steward, id=pkg["id"], answers=answers)
    assert message in errors["answers"][0]


# Charter


def test_duplicate_principle_codes_are_refused_on_update(personas, charter):
    draft = call("cdm_charter_create", personas.president, number="1.1", copy_from="1.0")
    principles = draft["principles"][:2]
    principles[1] = {**principles[1], "code": principles[0]["code"]}
    errors = refused("cdm_charter_update", personas.president, id="1.1", principles=principles)
    assert "must be unique" in errors["principles"][1]["code"][0]


@pytest.mark.parametrize("number", ["1.0", "2.1", "1.2.3", "10.20"])
def test_dotted_version_numbers_are_accepted(personas, number):
    created = call("cdm_charter_create", personas.president, **{**read_charter(), "number": number})
    assert created["number"] == number


@pytest.mark.parametrize(
    "title", [{"fr": ["Charte"], "en": "Charter"}, {"fr": "Charte", "en": 7}, "not json"]
)
def test_a_translated_text_holds_texts_only(personas, title):
    errors = refused(
        "cdm_charter_create",
        personas.president,
        **{**read_charter(), "number": "1.0", "title": title},
    )
    assert "title" in errors


def test_principles_must_be_a_list_of_objects(personas):
    errors = refused(
        "cdm_charter_create",
        personas.president,
        **{**read_charter(), "number": "1.0", "principles": [{"code": "a"}, 3]},
    )
    assert errors == {"principles": ["Expected a list of objects."]}


# Committee


@pytest.mark.parametrize(("field", "value"), [("college", "jury"), ("role", "king")])
def test_colleges_and_roles_are_checked_by_the_schema(personas, field, value):
    user = factories.User()["name"]
    data = {"user": user, "college": "research", "mandate_start": "2026-01-01", field: value}
    _, errors = tk.navl_validate(data, member_create_schema(), {"session": model.Session})
    assert field in errors
    assert field in refused("cdm_member_create", personas.sysadmin, **data)


def test_dates_may_be_date_objects_in_python(personas):
    user = factories.User()["name"]
    seat = call(
        "cdm_member_create",
        personas.sysadmin,
        user=user,
        college="research",
        mandate_start=dt.date(2026, 3, 1),
    )
    assert seat["mandate_start"] == "2026-03-01"


def test_an_empty_mandate_end_makes_the_mandate_open_ended(personas):
    seat = call("cdm_member_list", personas.sysadmin)[0]
    updated = call("cdm_member_update", personas.sysadmin, id=seat["id"], mandate_end="")
    assert updated["mandate_end"] is None


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("NO", False), (1, True)])
def test_include_ended_reads_the_usual_booleans(personas, value, expected):
    call("cdm_member_delete", personas.sysadmin, id=call("cdm_member_list", "")[0]["id"])
    seats = call("cdm_member_list", "", include_ended=value)
    assert any(s["state"] == "ended" for s in seats) is expected


# Years, web addresses and one-line texts (issue 11)


def test_a_year_is_written_in_ascii_digits(personas):
    assert "year" in refused("cdm_report_show", personas.member, year="٢٠٢٥")
    assert call("cdm_report_show", personas.member, year="2025")["year"] == 2025


def test_a_registration_link_with_a_user_name_is_refused(personas):
    meeting = {
        "title": "Atelier",
        "starts_at": "2099-04-01T18:00",
        "ends_at": "2099-04-01T19:00",
        "place": "Maison des associations",
    }
    errors = refused(
        "cdm_meeting_create",
        personas.member,
        registration_url="https://mairie.example@ailleurs.example/inscription",
        **meeting,
    )
    assert "registration_url" in errors
    for title in ("Atelier\u2028bis", "Atelier\x0bbis", "Atelier\x85bis"):
        assert refused("cdm_meeting_create", personas.member, **{**meeting, "title": title}) == {
            "title": ["Expected a single line."]
        }
    assert call("cdm_meeting_create", personas.member, **{**meeting, "title": "A\tB"})["title"]
