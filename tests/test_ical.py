"""The iCalendar feed of citizen meetings, against the rules of RFC 5545."""

from __future__ import annotations

import re

from ckan.tests import helpers

from ckanext.cdm import ical


def unfold(body: str) -> list[str]:
    """Content lines, unfolded (§3.1)."""
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_escape_and_fold_follow_the_rfc():
    assert ical.escape_text("a,b;c\\d\r\ne\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 100  # two octets each: no fold inside a character
    folded = ical.fold(line)
    assert folded.endswith("\r\n")
    parts = folded[:-2].split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line
    assert ical.fold("SHORT:x") == "SHORT:x\r\n"


def test_other_line_breaks_and_control_characters_never_reach_the_feed():
    text = "a\x0bb\x85c\u2028d\x00e\x1bf\tg"
    assert ical.escape_text(text) == "a\\nb\\nc\\nde" + "f\tg"


def test_feed_is_a_valid_calendar_of_every_meeting(app, personas):
    long_title = "Atelier : vos données, vos droits ; " + "la vidéoprotection expliquée " * 3
    long_title = long_title.strip()
    upcoming = helpers.call_action(
        "cdm_meeting_create",
        context={"user": personas.member},
        title=long_title,
        starts_at="2099-03-12T18:00+01:00",
        ends_at="2099-03-12T20:00+01:00",
        place="Médiathèque, 3 rue des Tilleuls",
        description="Ligne 1\nLigne 2, avec \\ et ;",
        registration_url="https://example.org/inscription",
    )
    cancelled = helpers.call_action(
        "cdm_meeting_create",
        context={"user": personas.member},
        title="Annulée",
        starts_at="2099-05-01T10:00Z",
        ends_at="2099-05-01T12:00Z",
        place="En ligne",
    )
    helpers.call_action("cdm_meeting_cancel", context={"user": personas.member}, id=cancelled["id"])
    response = app.get("/cdm/events.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.body
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")  # only CRLF line ends
    raw = body.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    events = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and ":" in line and line != "END:VEVENT":
            name, value = line.split(":", 1)
            events[-1][name] = value
    first, second = events
    assert first["UID"] == f"cdm-meeting-{upcoming['id']}@test.ckan.net"
    assert first["DTSTART"] == "20990312T170000Z"
    assert first["DTEND"] == "20990312T190000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", first["DTSTAMP"])
    assert unescape(first["SUMMARY"]) == long_title
    assert unescape(first["LOCATION"]) == "Médiathèque, 3 rue des Tilleuls"
    assert unescape(first["DESCRIPTION"]) == (
        "Ligne 1\nLigne 2, avec \\ et ;\n\nhttps://example.org/inscription"
    )
    assert first["URL"].endswith(f"/cdm/events/{upcoming['id']}")
    assert first["STATUS"] == "CONFIRMED"
    assert second["STATUS"] == "CANCELLED"
    # the UID never changes: the same after an edit
    helpers.call_action(
        "cdm_meeting_update", context={"user": personas.member}, id=upcoming["id"], title="Autre"
    )
    again = unfold(app.get("/cdm/events.ics").body)
    assert f"UID:cdm-meeting-{upcoming['id']}@test.ckan.net" in again
    assert "SUMMARY:Autre" in again
