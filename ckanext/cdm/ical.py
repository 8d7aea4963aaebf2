"""The iCalendar feed of citizen meetings (RFC 5545).

What the RFC asks and calendar applications check: lines end with CRLF;
a content line longer than 75 octets is folded (CRLF and one space),
never inside a UTF-8 character; in texts, backslash, comma, semicolon and
newlines are escaped; each event has a UID that never changes (from the
meeting's id) and a DTSTAMP; times are in UTC, with the ``Z`` suffix.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any

LINE_OCTETS = 75
CRLF = "\r\n"


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): ``\\`` ``;`` ``,`` and newlines
    escaped; other line breaks (U+0085, U+2028, U+2029, vertical tab, form
    feed) become newlines, and the control characters the RFC forbids are
    dropped."""
    value = value.replace("\r\n", "\n")
    for other in ("\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"):
        value = value.replace(other, "\n")
    value = "".join(c for c in value if c in "\n\t" or not _is_control(c))
    for char, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(char, escaped)
    return value


def fold(line: str) -> str:
    """One content line folded at 75 octets (§3.1), CRLF-terminated."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1  # the continuation's leading space counts
        current += char
        size += octets
    parts.append(current)
    return CRLF.join(parts) + CRLF


def utc_stamp(iso: str) -> str:
    """An ISO datetime as a UTC DATE-TIME: ``20260312T170000Z``."""
    moment = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: dict[str, Any], url: str, host: str) -> list[str]:
    description = meeting.get("description") or ""
    if meeting.get("has_ended") and meeting.get("summary"):
        description = meeting["summary"]
    if meeting.get("registration_url"):
        description = f"{description}\n\n{meeting['registration_url']}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:cdm-meeting-{meeting['id']}@{host}",
        f"DTSTAMP:{utc_stamp(meeting['modified'])}",
        f"LAST-MODIFIED:{utc_stamp(meeting['modified'])}",
        f"CREATED:{utc_stamp(meeting['created'])}",
        f"DTSTART:{utc_stamp(meeting['starts_at'])}",
        f"DTEND:{utc_stamp(meeting['ends_at'])}",
        f"SUMMARY:{escape_text(meeting['title'])}",
        f"LOCATION:{escape_text(meeting['place'])}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines += [
        f"URL:{url}",
        "STATUS:" + ("CANCELLED" if meeting["state"] == "cancelled" else "CONFIRMED"),
        "END:VEVENT",
    ]
    return lines


def calendar(meetings: Iterable[dict[str, Any]], name: str, host: str, url_for: Any) -> str:
    """The calendar of ``meetings`` (dicts of ``cdm_meeting_show``);
    ``url_for(meeting)`` gives each meeting's page."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ckanext-cdm//Citizen meetings//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for meeting in meetings:
        lines += _event(meeting, url_for(meeting), host)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
