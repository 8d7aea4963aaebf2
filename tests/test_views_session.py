"""The session pages: the public list and page, and the president's forms
(agenda, attendance, proxies, live quorum, minutes, closing)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import helpers

from tests.helpers import auth_headers, page, visible_text


def convene(president: str, **data) -> dict:
    return helpers.call_action(
        "cdm_session_create",
        context={"user": president},
        **{"starts_at": "2026-03-12T18:00", "place": "Salle des commissions", **data},
    )


def fullname(name: str) -> str:
    return model.User.get(name).fullname


def test_public_list_shows_upcoming_and_past_sessions(app, personas):
    convene(personas.president, starts_at="2099-01-10T10:00", title="Séance de janvier")
    past = convene(personas.president, starts_at="2025-05-02T09:30", title="Séance de mai")
    helpers.call_action(
        "cdm_session_update",
        context={"user": personas.president},
        id=past["id"],
        minutes="Ouverture à 9 h 30.",
        close=True,
    )
    soup = page(app.get("/cdm/sessions"))
    text = visible_text(soup)
    upcoming, gone = soup.find_all("table")
    assert "Séance de janvier" in upcoming.get_text()
    assert "January 10, 2099 at 10:00" in upcoming.get_text()
    assert "Séance de mai" in gone.get_text()
    assert "closed" in gone.get_text()
    minutes = soup.find("a", href=f"/cdm/sessions/{past['id']}#minutes")
    assert minutes.get_text(" ", strip=True) == "read the minutes — Séance de mai"
    assert "Convene a session" not in text
    president = page(app.get("/cdm/sessions", headers=auth_headers(personas.president)))
    assert president.find("a", string="Convene a session")["href"] == "/cdm/sessions/new"


def test_public_page_hides_minutes_until_closed_and_shows_full_names(app, personas, submitted):
    session = convene(personas.president, agenda=[submitted["id"]])
    helpers.call_action(
        "cdm_session_update",
        context={"user": personas.president},
        id=session["id"],
        attendance=[personas.president],
        minutes="## Examen\n\n**Avis favorable** sur le premier point.\n\n### Vote\n\nUnanime.",
    )
    url = f"/cdm/sessions/{session['id']}"
    soup = page(app.get(url))
    text = visible_text(soup)
    assert "Capteurs d'affluence" in text
    assert fullname(personas.president) in text
    assert personas.president not in str(soup.find(id="content"))
    assert "Avis favorable" not in text
    assert "The minutes will be published once the session is closed." in text
    assert "Quorum not reached: 1 present or represented, 2 required" in text
    assert soup.select("form[action*='/cdm/sessions/']") == []
    helpers.call_action(
        "cdm_session_update", context={"user": personas.president}, id=session["id"], close=True
    )
    soup = page(app.get(url))
    assert soup.select_one(".cdm-minutes strong").get_text() == "Avis favorable"
    # the minutes' headings come under the page's « Minutes » (an h2)
    assert soup.find(id="minutes-heading").name == "h2"
    assert [
        h.name
        for h in soup.select(".cdm-minutes h1, .cdm-minutes h2, .cdm-minutes h3, .cdm-minutes h4")
    ] == ["h3", "h4"]


def test_a_private_dataset_on_the_agenda_is_hidden_from_the_public(app, personas, charter):
    from tests.conftest import submit_dataset

    _, review = submit_dataset(
        personas.steward, personas.organization, charter, private=True, title="Registre interne"
    )
    session = convene(personas.president, agenda=[review["id"]])
    url = f"/cdm/sessions/{session['id']}"
    assert "Registre interne" not in app.get(url).body
    assert "No item on the agenda." in visible_text(page(app.get(url)))
    assert "Registre interne" in app.get(url, headers=auth_headers(personas.member)).body


@pytest.mark.parametrize("persona", ["anonymous", "registered", "member", "steward"])
def test_only_the_president_and_sysadmins_manage(app, personas, persona):
    session = convene(personas.president)
    headers = auth_headers(personas.name(persona))
    app.get("/cdm/sessions/new", headers=headers, status=403)
    soup = page(app.get(f"/cdm/sessions/{session['id']}", headers=headers))
    assert soup.select("form[action*='/cdm/sessions/']") == []
    app.post(
        f"/cdm/sessions/{session['id']}/attendance",
        data={"attendance": personas.member},
        headers=headers,
        status=403,
    )


def test_the_president_convenes_through_the_form(app, personas, submitted):
    headers = auth_headers(personas.president)
    soup = page(app.get("/cdm/sessions/new", headers=headers))
    form = soup.find("form", id="cdm-form")
    assert form.find("input", attrs={"name": "_csrf_token"}) is not None
    assert "Day and time" in soup.find("label", attrs={"for": "field-starts-at"}).get_text()
    box = soup.find("input", attrs={"name": "agenda", "value": submitted["id"]})
    assert soup.find("label", attrs={"for": box["id"]}).get_text().startswith("Capteurs")
    response = app.post(
        "/cdm/sessions/new",
        data={
            "starts_at": "2026-03-12T18:00",
            "place": "Salle des commissions",
            "title": "Séance de mars",
            "agenda": submitted["id"],
        },
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    [session] = helpers.call_action("cdm_session_list")["results"]
    assert session["title"] == "Séance de mars"
    shown = helpers.call_action("cdm_session_show", id=session["id"])
    assert [item["id"] for item in shown["agenda"]] == [submitted["id"]]


def test_a_refused_form_shows_the_error_summary_and_keeps_the_values(app, personas):
    headers = auth_headers(personas.president)
    soup = page(
        app.post(
            "/cdm/sessions/new",
            data={"starts_at": "12/03/2026", "title": "Séance de mars"},
            headers=headers,
        )
    )
    summary = soup.find(id="error-summary")
    links = {a["href"]: a.get_text() for a in summary.find_all("a")}
    assert "Day and time: Expected a day and a time" in links["#field-starts-at"]
    field = soup.find(id="field-starts-at")
    assert field["aria-invalid"] == "true"
    assert "field-starts-at-error" in field["aria-describedby"]
    assert soup.find(id="field-title")["value"] == "Séance de mars"


def test_the_president_runs_the_session_through_the_page(app, personas, submitted):
    headers = auth_headers(personas.president)
    session = convene(personas.president)
    url = f"/cdm/sessions/{session['id']}"
    soup = page(app.get(url, headers=headers))
    legends = [legend.get_text(" ", strip=True) for legend in soup.find_all("legend")]
    assert any(legend.startswith("Who is present?") for legend in legends)
    boxes = soup.find(id="attendance").find_all("input", attrs={"type": "checkbox"})
    assert {b["value"] for b in boxes} == {
        personas.president,
        personas.member,
        personas.conflicted_member,
    }
    assert soup.find("label", attrs={"for": "field-proxy-giver"}) is not None

    app.post(f"{url}/attendance", data={"attendance": [personas.president]}, headers=headers)
    app.post(
        f"{url}/proxies",
        data={"giver": personas.member, "holder": personas.president},
        headers=headers,
    )
    text = visible_text(page(app.get(url, headers=headers)))
    assert "Quorum reached: 2 present or represented, 2 required" in text
    assert f"{fullname(personas.member)} gave a proxy to {fullname(personas.president)}" in text

    # a second proxy to the same holder: refused, the summary names the rule
    soup = page(
        app.post(
            f"{url}/proxies",
            data={"giver": personas.conflicted_member, "holder": personas.president},
            headers=headers,
        )
    )
    summary = soup.find(id="error-summary").get_text(" ", strip=True)
    assert "Proxies: " in summary
    assert "would hold 2 proxies: a member holds at most 1 proxy." in summary

    app.post(f"{url}/minutes", data={"minutes": "Séance ouverte à 18 h."}, headers=headers)
    confirm = page(app.get(f"{url}/close", headers=headers))
    assert confirm.find("button", string="Yes, close the session") is not None
    app.post(f"{url}/close", headers=headers)
    soup = page(app.get(url))
    assert "Séance ouverte à 18 h." in visible_text(soup)
    assert "closed" in soup.find("dl").get_text()
    manager = page(app.get(url, headers=headers))
    assert manager.find(id="field-minutes") is not None
    assert manager.find("fieldset", id="attendance") is None  # closed: attendance is frozen


def test_links_to_the_sessions_from_the_committee_pages(app, personas):
    assert 'href="/cdm/sessions"' in app.get("/cdm/committee").body
    body = app.get("/cdm/dashboard", headers=auth_headers(personas.member)).body
    assert 'href="/cdm/sessions"' in body


def test_junk_session_address_is_a_404(app, personas):
    app.get("/cdm/sessions/no-such-session", status=404)
    app.get("/cdm/sessions?page=abc", status=400)  # CKAN refuses a junk page number
