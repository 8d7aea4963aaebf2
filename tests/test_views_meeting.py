"""The citizen meeting pages: the public list (upcoming first, past with
their summary), the page of a meeting, the calendar link, and the
committee's forms to announce, edit and cancel."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests.helpers import auth_headers, page, visible_text


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


def test_events_page_lists_upcoming_then_past_with_their_summary(app, personas):
    announce(
        personas.member,
        description="Atelier **ouvert à tous**.",
        registration_url="https://inscriptions.example.org/atelier",
    )
    announce(
        personas.member,
        title="L'open data expliqué",
        starts_at="2025-05-02T18:00",
        ends_at="2025-05-02T20:00",
        summary="## Échanges\n\nQuarante participants.",
    )
    soup = page(app.get("/cdm/events"))
    upcoming, past = soup.select("#content section")
    assert "Vos données, vos droits" in upcoming.get_text()
    assert "March 12, 2099, 18:00 to 20:00 — Médiathèque des Tilleuls" in " ".join(
        upcoming.get_text(" ").split()
    )
    assert upcoming.find("strong").get_text() == "ouvert à tous"
    register = upcoming.find("a", href="https://inscriptions.example.org/atelier")
    assert register.get_text(" ", strip=True) == "Register — Vos données, vos droits"
    assert "L'open data expliqué" in past.get_text()
    assert past.find("h4").get_text() == "Échanges"  # the summary's heading under the item's
    assert "Quarante participants." in past.get_text()
    link = soup.find("link", attrs={"rel": "alternate", "type": "text/calendar"})
    assert link["href"].endswith("/cdm/events.ics")
    assert soup.find("a", href="/cdm/events.ics") is not None
    assert "Announce a meeting" not in visible_text(soup)
    member = page(app.get("/cdm/events", headers=auth_headers(personas.member)))
    assert member.find("a", string="Announce a meeting")["href"] == "/cdm/events/new"


def test_events_page_speaks_french(app, personas):
    announce(personas.member)
    text = visible_text(page(app.get("/fr/cdm/events")))
    assert "Réunions publiques" in text
    assert "12 mars 2099, de 18:00 à 20:00" in text
    announce(personas.member, title="Week-end", ends_at="2099-03-13T12:00")
    text = visible_text(page(app.get("/fr/cdm/events")))
    assert "Du 12 mars 2099 à 18:00 au 13 mars 2099 à 12:00" in text
    assert "Aucune réunion n’a encore eu lieu." in text
    announce(
        personas.member, title="Avril", starts_at="2099-04-01T18:00", ends_at="2099-04-01T20:00"
    )
    text = visible_text(page(app.get("/fr/cdm/events")))
    assert "1er avril 2099, de 18:00 à 20:00" in text  # the French ordinal
    assert "April 1, 2099" in visible_text(page(app.get("/en/cdm/events")))


def test_empty_events_page_says_so(app, clean_db):
    text = visible_text(page(app.get("/cdm/events")))
    assert "No meeting is planned." in text
    assert "No meeting has been held yet." in text


def test_a_cancelled_meeting_stays_listed_as_cancelled(app, personas):
    meeting = announce(personas.member, registration_url="https://example.org/r")
    helpers.call_action(
        "cdm_meeting_cancel",
        context={"user": personas.member},
        id=meeting["id"],
        reason="Salle indisponible.",
    )
    soup = page(app.get("/cdm/events"))
    item = soup.find("article")
    assert "Cancelled" in item.get_text()
    assert "Salle indisponible." in item.get_text()
    assert item.find("a", href="https://example.org/r") is None
    text = visible_text(page(app.get(f"/cdm/events/{meeting['id']}")))
    assert "This meeting is cancelled: it will not take place. Salle indisponible." in text


def test_meeting_page_shows_details_and_controls_for_the_committee_only(app, personas):
    meeting = announce(personas.member, description="Présentation de la charte.")
    url = f"/cdm/events/{meeting['id']}"
    soup = page(app.get(url))
    text = visible_text(soup)
    assert "Vos données, vos droits" in soup.find("h1").get_text()
    assert "Présentation de la charte." in text
    assert "Edit the meeting" not in text
    app.get(f"{url}/edit", status=403)
    app.get(f"{url}/cancel", headers=auth_headers(personas.steward), status=403)
    app.get("/cdm/events/new", headers=auth_headers(personas.registered), status=403)
    member = page(app.get(url, headers=auth_headers(personas.president)))
    assert member.find("a", string="Edit the meeting")["href"] == f"{url}/edit"
    assert member.find("a", string="Cancel the meeting")["href"] == f"{url}/cancel"
    app.get("/cdm/events/unknown-meeting", status=404)


def test_a_member_announces_through_the_form(app, personas):
    headers = auth_headers(personas.member)
    soup = page(app.get("/cdm/events/new", headers=headers))
    form = soup.find("form", id="cdm-form")
    assert form.find("input", attrs={"name": "_csrf_token"}) is not None
    assert soup.find("label", attrs={"for": "field-ends-at"}).get_text(strip=True).endswith("Ends")
    response = app.post(
        "/cdm/events/new",
        data={
            "title": "Atelier données",
            "starts_at": "2099-04-01T18:00",
            "ends_at": "2099-04-01T19:30",
            "place": "Maison des associations",
            "description": "",
            "registration_url": "",
        },
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    [meeting] = helpers.call_action("cdm_meeting_list")["results"]
    assert meeting["title"] == "Atelier données"
    assert meeting["registration_url"] is None
    assert response.headers["Location"].endswith(f"/cdm/events/{meeting['id']}")


def test_a_refused_form_shows_the_error_summary_and_keeps_the_values(app, personas):
    headers = auth_headers(personas.member)
    soup = page(
        app.post(
            "/cdm/events/new",
            data={
                "title": "Atelier données",
                "starts_at": "2099-04-01T18:00",
                "ends_at": "2099-04-01T17:00",
                "place": "Maison des associations",
                "registration_url": "javascript:alert(1)",
            },
            headers=headers,
        )
    )
    summary = soup.find(id="error-summary")
    links = {a["href"]: a.get_text() for a in summary.find_all("a")}
    assert "Registration link: Expected a web address" in links["#field-registration-url"]
    field = soup.find(id="field-registration-url")
    assert field["aria-invalid"] == "true"
    assert "field-registration-url-error" in field["aria-describedby"]
    assert soup.find(id="field-title")["value"] == "Atelier données"
    # the URL fixed, the next refusal names the end
    soup = page(
        app.post(
            "/cdm/events/new",
            data={
                "title": "Atelier données",
                "starts_at": "2099-04-01T18:00",
                "ends_at": "2099-04-01T17:00",
                "place": "Maison des associations",
            },
            headers=headers,
        )
    )
    links = {a["href"]: a.get_text() for a in soup.find(id="error-summary").find_all("a")}
    assert links["#field-ends-at"] == "Ends: The meeting must end after it starts."


def test_after_the_meeting_the_committee_writes_its_summary(app, personas):
    meeting = announce(personas.member, starts_at="2025-05-02T18:00", ends_at="2025-05-02T20:00")
    headers = auth_headers(personas.member)
    url = f"/cdm/events/{meeting['id']}"
    soup = page(app.get(f"{url}/edit", headers=headers))
    assert soup.find(id="field-starts-at")["value"] == "2025-05-02T18:00"
    assert soup.find("textarea", id="field-summary") is not None
    app.post(
        f"{url}/edit",
        data={
            "title": meeting["title"],
            "starts_at": "2025-05-02T18:00",
            "ends_at": "2025-05-02T20:00",
            "place": meeting["place"],
            "summary": "Trente participants ; questions sur la vidéoprotection.",
        },
        headers=headers,
    )
    text = visible_text(page(app.get(url)))
    assert "Summary Trente participants ; questions sur la vidéoprotection." in text
    assert page(app.get(url, headers=headers)).find("a", string="Cancel the meeting") is None


@pytest.mark.parametrize("persona", ["member", "sysadmin"])
def test_cancel_asks_for_confirmation_then_cancels(app, personas, persona):
    meeting = announce(personas.member)
    headers = auth_headers(personas.name(persona))
    url = f"/cdm/events/{meeting['id']}/cancel"
    soup = page(app.get(url, headers=headers))
    assert "Cancel the meeting “Vos données, vos droits”?" in visible_text(soup)
    app.post(url, data={"reason": "Report en juin."}, headers=headers)
    shown = helpers.call_action("cdm_meeting_show", id=meeting["id"])
    assert (shown["state"], shown["cancellation_note"]) == ("cancelled", "Report en juin.")
    app.get(url, headers=headers, status=403)


def test_committee_page_links_to_the_events(app, personas):
    soup = page(app.get("/cdm/committee"))
    assert soup.find("a", href="/cdm/events").get_text(strip=True) == "Citizen meetings"


def test_home_page_and_footer_link_to_the_events(app, clean_db):
    soup = page(app.get("/"))
    links = [a.get_text(strip=True) for a in soup.find_all("a", href="/cdm/events")]
    # the committee's card on the home page, and the footer on every page
    assert links == ["Citizen meetings", "Citizen meetings"]
