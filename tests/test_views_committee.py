"""The committee pages: public composition and its management by sysadmins."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from tests.helpers import auth_headers


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
    import sqlalchemy as sa
    from ckan import model

    from tests.conftest import seat

    def queries() -> int:
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        engine = model.Session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            app.get("/cdm/committee?history=1", headers=auth_headers(personas.president))
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    queries()  # warm-up: caches and first-request work
    before = queries()
    for _ in range(5):  # five ended mandates: five more rows in the history
        ended = seat(personas.sysadmin, factories.User()["name"], "local_authorities")
        helpers.call_action(
            "cdm_member_delete", context={"user": personas.sysadmin}, id=ended["id"]
        )
    assert queries() == before
