"""Pages of citizen meetings: the public list (``/cdm/events``) and page of
each meeting, the iCalendar feed (``/cdm/events.ics``), and the committee's
forms to announce, change and cancel a meeting.

Views translate between HTTP and the action API; what a page offers comes
from the meeting's ``allowed_actions``; the rules live in the actions.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ckan.plugins import toolkit as tk
from flask import Blueprint, make_response

from ckanext.cdm import config, ical
from ckanext.cdm.logic.text import usable_id
from ckanext.cdm.views._base import action, form_data, may, upcoming_and_past
from ckanext.cdm.views.session import local_input

cdm_meeting = Blueprint("cdm_meeting", __name__)
FEED_SIZE = 100  # meetings to come, and as many past ones, in the feed
FORM_KEYS = ("title", "starts_at", "ends_at", "place", "description", "registration_url")


def _fields() -> dict[str, tuple[str, str]]:
    """Error key → (id of the control, its label), for the error summary."""
    return {
        "title": ("field-title", tk._("Title")),
        "starts_at": ("field-starts-at", tk._("Starts")),
        "ends_at": ("field-ends-at", tk._("Ends")),
        "place": ("field-place", tk._("Place")),
        "description": ("field-description", tk._("Description")),
        "registration_url": ("field-registration-url", tk._("Registration link")),
        "summary": ("field-summary", tk._("Summary")),
        "reason": ("field-reason", tk._("Reason")),
        "id": ("", ""),
    }


def _committee_only() -> str:
    return tk._("Only the committee announces citizen meetings")


def _show(id_: str) -> dict[str, Any]:
    if usable_id(id_) is None:
        tk.abort(404, tk._("Meeting not found"))
    try:
        return action("cdm_meeting_show", {"id": id_})
    except (tk.ObjectNotFound, tk.ValidationError):
        tk.abort(404, tk._("Meeting not found"))


def _render_form(
    template: str, data: dict[str, Any], errors: dict[str, Any], meeting: dict | None = None
) -> str:
    return tk.render(
        template,
        {
            "meeting": meeting,
            "data": data,
            "errors": errors,
            "error_list": tk.h.cdm_error_list(errors, _fields()),
        },
    )


# The public pages


@cdm_meeting.route("/cdm/events")
def index() -> str:
    return tk.render(
        "cdm/meeting/index.html",
        {
            **upcoming_and_past("cdm_meeting_list", "cdm_meeting.index", FEED_SIZE),
            "can_announce": may("cdm_meeting_create"),
        },
    )


@cdm_meeting.route("/cdm/events.ics")
def feed() -> Any:
    upcoming = action("cdm_meeting_list", {"upcoming": True, "limit": FEED_SIZE})["results"]
    past = action("cdm_meeting_list", {"upcoming": False, "limit": FEED_SIZE})["results"]
    site = tk.config.get("ckan.site_url") or tk.request.host_url

    def url_for(meeting: dict[str, Any]) -> str:
        return tk.h.url_for("cdm_meeting.read", id=meeting["id"], _external=True)

    body = ical.calendar(
        upcoming + past,
        tk._("Citizen meetings of the {committee}").format(committee=config.committee_name()),
        urlsplit(site).hostname or "localhost",
        url_for,
    )
    response = make_response(body.encode("utf-8"))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="cdm-events.ics"'
    return response


@cdm_meeting.route("/cdm/events/<id>")
def read(id: str) -> str:
    return tk.render("cdm/meeting/read.html", {"meeting": _show(id)})


# The committee's forms


def _payload(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: data.get(key, "") for key in keys}


@cdm_meeting.route("/cdm/events/new", methods=["GET", "POST"])
def new() -> Any:
    if not may("cdm_meeting_create"):
        tk.abort(403, _committee_only())
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = form_data()
        payload = {k: v for k, v in _payload(data, FORM_KEYS).items() if v != ""}
        try:
            meeting = action("cdm_meeting_create", payload)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Meeting announced: it is on the public events page."))
            return tk.redirect_to("cdm_meeting.read", id=meeting["id"])
    return _render_form("cdm/meeting/new.html", data, errors)


@cdm_meeting.route("/cdm/events/<id>/edit", methods=["GET", "POST"])
def edit(id: str) -> Any:
    meeting = _show(id)
    if "update" not in meeting["allowed_actions"]:
        tk.abort(403, _committee_only())
    data = {
        **meeting,
        "starts_at": local_input(meeting["starts_at"]),
        "ends_at": local_input(meeting["ends_at"]),
    }
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        keys = FORM_KEYS + (("summary",) if meeting["has_ended"] else ())
        data = form_data()
        try:
            action("cdm_meeting_update", {"id": id, **_payload(data, keys)})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Meeting saved."))
            return tk.redirect_to("cdm_meeting.read", id=id)
    return _render_form("cdm/meeting/edit.html", data, errors, meeting)


@cdm_meeting.route("/cdm/events/<id>/cancel", methods=["GET", "POST"])
def cancel(id: str) -> Any:
    """A page that asks for confirmation and a reason, then cancels."""
    meeting = _show(id)
    if "cancel" not in meeting["allowed_actions"]:
        tk.abort(403, _committee_only())
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = form_data()
        try:
            action("cdm_meeting_cancel", {"id": id, "reason": data.get("reason", "")})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Meeting cancelled: it stays listed as cancelled."))
            return tk.redirect_to("cdm_meeting.read", id=id)
    return _render_form("cdm/meeting/cancel.html", data, errors, meeting)
