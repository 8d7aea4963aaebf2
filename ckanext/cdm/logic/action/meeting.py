"""Actions of citizen meetings: the committee announces, changes and cancels
them; everyone reads them.

A meeting ends after it starts; its summary is written once it has taken
place; a cancelled meeting stays listed, marked as cancelled, and refuses
every change. Changes run under the meeting's row lock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import commit, validate
from ckanext.cdm.model.base import utcnow
from ckanext.cdm.model.meeting import DETAILS, CitizenMeeting

MAX_PAGE = 100


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.timezone.utc).isoformat() if moment else None


def allowed_actions(meeting: CitizenMeeting, context: Context) -> list[str]:
    """What the user may do on the meeting now."""
    if meeting.is_cancelled:
        return []
    if not authz.passes("cdm_meeting_update", context.get("user"), {"id": meeting.id}):
        return []
    return ["update"] if meeting.has_ended() else ["update", "cancel"]


def meeting_dict(meeting: CitizenMeeting, context: Context) -> dict[str, Any]:
    data = {
        "id": meeting.id,
        "title": meeting.title,
        "starts_at": _iso(meeting.starts_at),
        "ends_at": _iso(meeting.ends_at),
        "place": meeting.place,
        "description": meeting.description,
        "registration_url": meeting.registration_url,
        "summary": meeting.summary,
        "state": meeting.state,
        "cancellation_note": meeting.cancellation_note,
        "has_ended": meeting.has_ended(),
        "created": _iso(meeting.created),
        "modified": _iso(meeting.modified),
        "allowed_actions": allowed_actions(meeting, context),
    }
    if authz.can_see_drafts(context.get("user")):
        data["created_by"] = meeting.created_by
    return data


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The details given, empty optional texts stored as none."""
    details = {key: data[key] for key in DETAILS if key in data}
    for key in ("description", "summary", "registration_url"):
        if key in details:
            details[key] = (details[key] or "").strip() or None
    return details


def _check(details: dict[str, Any]) -> None:
    """The rules between fields, on the meeting as it will be."""
    if details["ends_at"] <= details["starts_at"]:
        raise tk.ValidationError({"ends_at": [tk._("The meeting must end after it starts.")]})
    if details.get("summary") and details["ends_at"] > utcnow():
        raise tk.ValidationError(
            {"summary": [tk._("A summary is written once the meeting has taken place.")]}
        )


def _locked(id_: str) -> CitizenMeeting:
    meeting = CitizenMeeting.for_update(id_)
    if meeting is None:
        raise tk.ObjectNotFound(tk._("Meeting not found"))
    if meeting.is_cancelled:
        raise tk.ValidationError(
            {"id": [tk._("This meeting is cancelled: it can no longer be changed.")]}
        )
    return meeting


def cdm_meeting_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Announce a citizen meeting (information or training).

    :param title: the title
    :param starts_at: day and time, ``YYYY-MM-DDTHH:MM`` in the portal's time
        zone (``ckan.display_timezone``), or with an offset
    :param ends_at: day and time of the end, after the start
    :param place: where it takes place (an address, a room, "online")
    :param description: what it is about, in markdown (optional)
    :param registration_url: an ``http(s)://`` address where to register (optional)
    :param summary: what was said, in markdown, for a meeting that has taken
        place (optional)
    """
    tk.check_access("cdm_meeting_create", context, data_dict)
    data = validate(data_dict, cdm_schema.meeting_create_schema(), context)
    details = _clean(data)
    _check(details)
    user = context.get("user")
    meeting = CitizenMeeting.announce(user, authz.user_id(user), **details)
    commit(context)
    return meeting_dict(meeting, context)


def cdm_meeting_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a meeting: only the keys given change; an empty description,
    registration link or summary removes it.

    :param id: id of the meeting
    :param title: the title (optional)
    :param starts_at: day and time of the start (optional)
    :param ends_at: day and time of the end (optional)
    :param place: the place (optional)
    :param description: the description, markdown (optional)
    :param registration_url: the registration link (optional)
    :param summary: the summary, once the meeting has taken place (optional)
    """
    tk.check_access("cdm_meeting_update", context, data_dict)
    data = validate(data_dict, cdm_schema.meeting_update_schema(), context)
    meeting = _locked(data["id"])
    details = _clean(data)
    _check({key: details.get(key, getattr(meeting, key)) for key in DETAILS})
    meeting.change(context.get("user"), **details)
    commit(context)
    return meeting_dict(meeting, context)


def cdm_meeting_cancel(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Cancel a meeting that has not taken place: it stays listed, marked as
    cancelled, with the reason given.

    :param id: id of the meeting
    :param reason: why, shown to the public (optional)
    """
    tk.check_access("cdm_meeting_cancel", context, data_dict)
    data = validate(data_dict, cdm_schema.meeting_cancel_schema(), context)
    meeting = _locked(data["id"])
    if meeting.has_ended():
        raise tk.ValidationError(
            {"id": [tk._("A meeting that has taken place cannot be cancelled.")]}
        )
    meeting.cancel(context.get("user"), (data.get("reason") or "").strip() or None)
    commit(context)
    return meeting_dict(meeting, context)


@tk.side_effect_free
def cdm_meeting_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A citizen meeting, with what the user may do on it.

    :param id: id of the meeting
    """
    tk.check_access("cdm_meeting_show", context, data_dict)
    data = validate(data_dict, cdm_schema.meeting_show_schema(), context)
    meeting = CitizenMeeting.get(data["id"])
    if meeting is None:
        raise tk.ObjectNotFound(tk._("Meeting not found"))
    return meeting_dict(meeting, context)


@tk.side_effect_free
def cdm_meeting_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Citizen meetings, cancelled ones included (marked): those to come (or
    under way) soonest first, else the latest first.

    :param upcoming: true for the meetings not yet ended, false for those
        that have ended (optional)
    :param limit: page size (default 20, at most 100)
    :param offset: where the page starts (default 0)
    :returns: ``{"count": n, "results": [...]}``
    """
    tk.check_access("cdm_meeting_list", context, data_dict)
    data = validate(data_dict, cdm_schema.meeting_list_schema(), context)
    query = sa.select(CitizenMeeting)
    order = CitizenMeeting.starts_at.desc()
    if "upcoming" in data:
        now = utcnow()
        if data["upcoming"]:
            query = query.where(CitizenMeeting.ends_at >= now)
            order = CitizenMeeting.starts_at.asc()
        else:
            query = query.where(CitizenMeeting.ends_at < now)
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = model.Session.execute(
        query.order_by(order, CitizenMeeting.id)
        .limit(min(data.get("limit", 20), MAX_PAGE))
        .offset(data.get("offset", 0))
    ).scalars()
    return {"count": count, "results": [meeting_dict(m, context) for m in rows]}
