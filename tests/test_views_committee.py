"""The committee pages: public composition and its management by sysadmins."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.helpers import auth_headers, sql_statements


def test_public_composition_shows_colleges_seats_and_president(app, personas):
    body = app.get("/cdm/committee").body
    assert "Higher education and research" in body
    assert "1 of 7 seats filled, 6 free" in body
    assert "1 of 8 seats filled, 7 free" in body
    assert "0 of 5 seats filled, 5 free" in body
    president = helpers.call_action("user_show", id=personas.president)
    assert president["fullname"] in body


def test_public_composition_hides_emails(app, personas):
    member = helpers.call_action(
        "user_show", context={"user": personas.sysadmin}, id=personas.member
    )
    assert member["email"] not in app.get("/cdm/committee").body
    body = app.get("/cdm/committee", headers=auth_headers(personas.president)).body
    assert member["email"] in body


@pytest.mark.parametrize("persona", ["anonymous", "registered", "steward", "president"])
def test_management_page_is_for_sysadmins(app, personas, persona):
    app.get("/cdm/committee/manage", headers=auth_headers(personas.name(persona)), status=403)


def test_sysadmin_gives_a_seat_and_ends_a_mandate_through_the_pages(app, personas):
    headers = auth_headers(personas.sysadmin)
    user = factories.User(fullname="Odile Vernier")
    app.post(
        "/cdm/committee/manage",
        data={
            "user": user["name"],
            "college": "business",
            "role": "member",
            "mandate_start": "2026-04-15",
            "mandate_end": "2032-03-31",
            "affiliation": "Coopérative Valmont Énergies",
        },
        headers=headers,
    )
    seat = next(
        s for s in helpers.call_action("cdm_member_list") if s["fullname"] == "Odile Vernier"
    )
    assert seat["affiliation"] == "Coopérative Valmont Énergies"

    app.post(f"/cdm/committee/{seat['id']}/end", data={"reason": "Démission"}, headers=headers)
    assert all(s["id"] != seat["id"] for s in helpers.call_action("cdm_member_list"))
    history = app.get("/cdm/committee?history=1").body
    assert "Odile Vernier" in history


def test_management_form_names_the_broken_rule(app, personas):
    headers = auth_headers(personas.sysadmin)
    response = app.post(
        "/cdm/committee/manage",
        data={
            "user": factories.User()["name"],
            "college": "local_authorities",
            "role": "president",
            "mandate_start": "2026-04-15",
        },
        headers=headers,
    )
    assert "never come from the college of local authorities" in response.body


def test_composition_page_costs_the_same_queries_however_long_the_history(app, personas):
    from tests.conftest import seat

    def queries() -> int:
        with sql_statements() as statements:
            app.get("/cdm/committee?history=1", headers=auth_headers(personas.president))
        return len(statements)

    queries()  # warm-up: caches and first-request work
    before = queries()
    for _ in range(5):  # five ended mandates: five more rows in the history
        ended = seat(personas.sysadmin, factories.User()["name"], "local_authorities")
        helpers.call_action(
            "cdm_member_delete", context={"user": personas.sysadmin}, id=ended["id"]
        )
    assert queries() == before


def test_a_woman_presides_as_presidente(app, personas):
    from tests.helpers import page

    seat = next(s for s in helpers.call_action("cdm_member_list") if s["role"] == "president")
    helpers.call_action(
        "cdm_member_update",
        context={"user": personas.sysadmin},
        id=seat["id"],
        form_of_address="madame",
    )
    french = page(app.get("/fr/cdm/committee"))
    assert french.find(class_="cdm-president").find("strong").get_text() == "Présidente\xa0:"
    assert french.find("td", string="Présidente")
    english = page(app.get("/cdm/committee"))
    assert english.find(class_="cdm-president").find("strong").get_text() == "President:"


def test_sysadmin_records_the_form_of_address_with_the_seat(app, personas):
    from tests.helpers import page

    headers = auth_headers(personas.sysadmin)
    form = page(app.get("/cdm/committee/manage", headers=headers))
    options = [o["value"] for o in form.find(id="field-form-of-address").find_all("option")]
    assert options == ["", "madame", "monsieur"]
    assert form.find(id="field-college").find("option")["value"] == ""
    user = factories.User(fullname="Odile Vernier")
    app.post(
        "/cdm/committee/manage",
        data={
            "user": user["name"],
            "college": "business",
            "mandate_start": "2026-04-15",
            "form_of_address": "madame",
        },
        headers=headers,
    )
    seat = next(
        s for s in helpers.call_action("cdm_member_list") if s["fullname"] == "Odile Vernier"
    )
    assert seat["form_of_address"] == "madame"


def test_management_form_errors_are_tied_to_their_fields(app, personas):
    from tests.helpers import page

    soup = page(
        app.post(
            "/cdm/committee/manage",
            data={
                "user": factories.User()["name"],
                "college": "local_authorities",
                "role": "president",
                "mandate_start": "2026-04-15",
            },
            headers=auth_headers(personas.sysadmin),
        )
    )
    summary = soup.find(id="error-summary")
    assert summary["tabindex"] == "-1"
    link = summary.find("a", href="#field-role")
    assert link.get_text().startswith("Role: ")
    role = soup.find(id="field-role")
    assert role["aria-invalid"] == "true"
    assert "local authorities" in soup.find(id=role["aria-describedby"]).get_text()
    # what was typed is kept
    assert role.find("option", selected=True)["value"] == "president"
    assert soup.find(id="field-mandate-start")["value"] == "2026-04-15"


def test_committee_tables_stack_on_narrow_screens(app, personas):
    from tests.helpers import page

    table = page(app.get("/cdm/committee")).find("table", class_="cdm-table")
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert [td["data-label"] for td in table.find("tbody").find("tr").find_all("td")] == headers
