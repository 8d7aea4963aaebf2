"""Actions on the committee's composition."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import commit, date_of, validate
from ckanext.cdm.model import audit
from ckanext.cdm.model.member import Member, save_seat


@tk.side_effect_free
def cdm_member_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Seats of the committee, by college.

    The public sees names, colleges, roles, affiliations and mandates; the
    committee and sysadmins also see user names and e-mail addresses.

    :param include_ended: also list ended mandates (history), default false
    """
    tk.check_access("cdm_member_list", context, data_dict)
    include_ended = validate(data_dict, cdm_schema.member_list_schema(), context).get(
        "include_ended", False
    )
    private = authz.can_see_drafts(context.get("user"))
    return [m.as_dict(private=private) for m in Member.seats(include_ended=include_ended)]


def _get_member(id_: str | None) -> Member:
    member = Member.get(id_) if id_ else None
    if member is None:
        raise tk.ObjectNotFound(tk._("Committee seat not found"))
    return member


def cdm_member_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Give a CKAN user a seat on the committee.

    :param user: id or name of the user
    :param college: ``research``, ``civil_society``, ``business`` or ``local_authorities``
    :param role: ``member`` (default) or ``president``
    :param mandate_start: date the mandate starts
    :param mandate_end: date the mandate ends (optional)
    :param affiliation: public affiliation (optional)
    :param form_of_address: ``madame`` or ``monsieur`` (optional): the role is then
        written in the holder's gender ("Présidente")
    """
    tk.check_access("cdm_member_create", context, data_dict)
    data = validate(data_dict, cdm_schema.member_create_schema(), context)
    user = model.User.get(data["user"])
    assert user is not None  # user_id_or_name_exists
    seat = Member(
        user_id=user.id,
        college=data["college"],
        role=data["role"],
        affiliation=data.get("affiliation") or None,
        form_of_address=data.get("form_of_address") or None,
        mandate_start=date_of(data["mandate_start"]),
        mandate_end=date_of(data.get("mandate_end")),
        created_by=context.get("user"),
        modified_by=context.get("user"),
    )
    seat.user = user
    try:
        save_seat(seat)
    except tk.ValidationError:
        model.Session.rollback()  # and the college's lock with it
        raise
    audit.record(
        "member",
        seat.id,
        "create",
        context.get("user"),
        data={"user": user.name, "college": seat.college, "role": seat.role},
    )
    commit(context)
    return seat.as_dict(private=True)


def cdm_member_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a seat: college, role, mandate dates, affiliation, form of address.

    :param id: the seat's id
    """
    tk.check_access("cdm_member_update", context, data_dict)
    data = validate(data_dict, cdm_schema.member_update_schema(), context)
    seat = _get_member(data["id"])
    seat.ensure_not_ended()  # the history is not rewritten
    before = seat.as_dict(private=True)
    for field in ("college", "role", "affiliation", "form_of_address"):
        if field in data:
            optional = field in ("affiliation", "form_of_address")
            setattr(seat, field, data[field] or None if optional else data[field])
    for field in ("mandate_start", "mandate_end"):
        if field in data:
            setattr(seat, field, date_of(data[field]))
    try:
        save_seat(seat)
    except tk.ValidationError:
        model.Session.rollback()
        raise
    seat.modified_by = context.get("user")
    after = seat.as_dict(private=True)
    audit.record(
        "member",
        seat.id,
        "update",
        context.get("user"),
        data={k: after[k] for k in after if after[k] != before[k]},
    )
    commit(context)
    return after


def cdm_member_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End a mandate. The seat is freed; the record stays in the history.

    :param id: the seat's id
    :param ended_on: date the mandate ends (optional, default today)
    :param reason: why (optional)
    """
    tk.check_access("cdm_member_delete", context, data_dict)
    data = validate(data_dict, cdm_schema.member_delete_schema(), context)
    seat = _get_member(data["id"])
    seat.end(date_of(data.get("ended_on")), data.get("reason"))
    seat.modified_by = context.get("user")
    audit.record(
        "member",
        seat.id,
        "end",
        context.get("user"),
        from_state="active",
        to_state="ended",
        message=data.get("reason"),
    )
    commit(context)
    return seat.as_dict(private=True)
