"""The demo's citizen meetings (demo/meetings.yaml), announced through the action API."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import yaml
from ckan.plugins import toolkit as tk


def read_meetings() -> list[dict[str, Any]]:
    text = resources.files("ckanext.cdm.demo").joinpath("meetings.yaml").read_text("utf-8")
    return yaml.safe_load(text)["meetings"]


def play(announcer: str) -> int:
    """Announce the meetings once (nothing when a meeting exists); how many."""
    context = {"user": announcer}
    if tk.get_action("cdm_meeting_list")(context, {})["count"]:
        return 0
    meetings = read_meetings()
    for meeting in meetings:
        day = (dt.date.today() + dt.timedelta(days=meeting["day"])).isoformat()
        data = {
            "title": meeting["title"],
            "starts_at": f"{day}T{meeting['start']}",
            "ends_at": f"{day}T{meeting['end']}",
            "place": meeting["place"],
            "description": meeting["description"],
        }
        for optional in ("registration_url", "summary"):
            if meeting.get(optional):
                data[optional] = meeting[optional]
        tk.get_action("cdm_meeting_create")({"user": announcer}, data)
    return len(meetings)
