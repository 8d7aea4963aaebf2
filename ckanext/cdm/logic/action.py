"""Actions of ckanext-cdm (registered by name through the actions blanket).

Each action reads the same way: validate → check access → change → record in
the audit trail → commit → return the dictized object.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.model import audit
from ckanext.cdm.model.charter import DRAFT, Charter, Principle
from ckanext.cdm.model.member import Member, check_composition


def _validate(data_dict: DataDict, schema: dict[str, Any], context: Context) -> DataDict:
    data, errors = tk.navl_validate(data_dict, schema, context)
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    return data


def _commit(context: Context) -> None:
    if not context.get("defer_commit"):
        model.repo.commit()


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _get_charter(id_or_number: str | None) -> Charter:
    charter = Charter.get(id_or_number) if id_or_number else Charter.adopted()
    if charter is None:
        raise tk.ObjectNotFound(tk._("Charter version not found"))
    return charter


def _principles(items: list[dict[str, Any]]) -> list[Principle]:
    codes = [item["code"] for item in items]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise tk.ValidationError(
            {
                "principles": [
                    tk._("Principle codes must be unique: {codes}.").format(
                        codes=", ".join(repeated)
                    )
                ]
            }
        )
    return [
        Principle(
            position=position,
            code=item["code"],
            title=item["title"],
            description=item["description"],
            questions=item["questions"],
        )
        for position, item in enumerate(items, start=1)
    ]


def _ensure_number_free(number: str, charter: Charter | None = None) -> None:
    existing = Charter.get(number)
    if existing is not None and existing is not charter:
        raise tk.ValidationError(
            {"number": [tk._("Version {number} already exists.").format(number=number)]}
        )


# Charter


@tk.side_effect_free
def cdm_charter_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A version of the charter with its principles.

    :param id: id or number of the version (optional: the adopted version)
    """
    tk.check_access("cdm_charter_show", context, data_dict)
    return _get_charter(data_dict.get("id")).as_dict()


@tk.side_effect_free
def cdm_charter_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Versions of the charter, newest first, without their principles.

    Drafts are listed for the committee and sysadmins only.
    """
    tk.check_access("cdm_charter_list", context, data_dict)
    versions = Charter.all_versions()
    if not authz.can_see_drafts(context.get("user")):
        versions = [c for c in versions if c.status != DRAFT]
    result = []
    for charter in versions:
        summary = charter.as_dict()
        summary["principle_count"] = len(summary.pop("principles"))
        result.append(summary)
    return result


def cdm_charter_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a draft version, either from scratch or by copying another one.

    :param number: the new version's number, e.g. ``1.1``
    :param copy_from: id or number of a version to copy (optional)
    :param title: ``{"fr": …, "en": …}`` (required without ``copy_from``)
    :param preamble: ``{"fr": …, "en": …}`` markdown (optional)
    :param principles: list of ``{code, title, description, questions}``
        (required without ``copy_from``)
    """
    tk.check_access("cdm_charter_create", context, data_dict)
    data = _validate(data_dict, cdm_schema.charter_create_schema(), context)
    _ensure_number_free(data["number"])
    user = context.get("user")
    if data.get("copy_from"):
        charter = _get_charter(data["copy_from"]).copy_as_draft(data["number"])
        if "title" in data:
            charter.title = data["title"]
        if "preamble" in data:
            charter.preamble = data["preamble"]
        if data.get("principles"):
            charter.principles = _principles(data["principles"])
    else:
        errors = {
            field: [tk._("Missing value")]
            for field in ("title", "principles")
            if not data.get(field)
        }
        if errors:
            raise tk.ValidationError(errors)
        charter = Charter(
            number=data["number"],
            title=data["title"],
            preamble=data.get("preamble") or {"fr": "", "en": ""},
            status=DRAFT,
        )
        charter.principles = _principles(data["principles"])
    charter.created_by = charter.modified_by = user
    model.Session.add(charter)
    model.Session.flush()
    audit.record(
        "charter",
        charter.id,
        "create",
        user,
        to_state=DRAFT,
        data={"number": charter.number, "copy_from": data.get("copy_from")},
    )
    _commit(context)
    return charter.as_dict()


def cdm_charter_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft version. Adopted and superseded versions never change.

    :param id: id or number of the draft
    :param number, title, preamble, principles: the fields to replace
    """
    tk.check_access("cdm_charter_update", context, data_dict)
    data = _validate(data_dict, cdm_schema.charter_update_schema(), context)
    charter = _get_charter(data["id"])
    charter.ensure_draft()
    changed = []
    if "number" in data:
        _ensure_number_free(data["number"], charter)
        charter.number = data["number"]
        changed.append("number")
    for field in ("title", "preamble"):
        if field in data:
            setattr(charter, field, data[field])
            changed.append(field)
    if data.get("principles"):
        charter.principles = []
        model.Session.flush()
        charter.principles = _principles(data["principles"])
        changed.append("principles")
    charter.modified_by = context.get("user")
    audit.record("charter", charter.id, "update", context.get("user"), data={"fields": changed})
    _commit(context)
    return charter.as_dict()


def cdm_charter_adopt(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Adopt a draft; the version adopted until now becomes superseded.

    :param id: id or number of the draft
    :param decision_reference: reference of the deciding act (e.g. the minutes)
    :param adopted_on: date of adoption (optional, default today)
    """
    tk.check_access("cdm_charter_adopt", context, data_dict)
    data = _validate(data_dict, cdm_schema.charter_adopt_schema(), context)
    charter = _get_charter(data["id"])
    user = context.get("user")
    previous = charter.adopt(_date(data.get("adopted_on")), data["decision_reference"])
    charter.modified_by = user
    if previous is not None:
        audit.record(
            "charter",
            previous.id,
            "supersede",
            user,
            from_state="adopted",
            to_state="superseded",
            data={"by": charter.number},
        )
    audit.record(
        "charter",
        charter.id,
        "adopt",
        user,
        from_state=DRAFT,
        to_state="adopted",
        message=data["decision_reference"],
    )
    _commit(context)
    return charter.as_dict()


# Committee


@tk.side_effect_free
def cdm_member_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Seats of the committee, by college.

    The public sees names, colleges, roles, affiliations and mandates; the
    committee and sysadmins also see user names and e-mail addresses.

    :param include_ended: also list ended mandates (history), default false
    """
    tk.check_access("cdm_member_list", context, data_dict)
    include_ended = tk.asbool(data_dict.get("include_ended", False))
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
    """
    tk.check_access("cdm_member_create", context, data_dict)
    data = _validate(data_dict, cdm_schema.member_create_schema(), context)
    user = model.User.get(data["user"])
    assert user is not None  # user_id_or_name_exists
    seat = Member(
        user_id=user.id,
        college=data["college"],
        role=data["role"],
        affiliation=data.get("affiliation") or None,
        mandate_start=_date(data["mandate_start"]),
        mandate_end=_date(data.get("mandate_end")),
        created_by=context.get("user"),
        modified_by=context.get("user"),
    )
    seat.user = user
    check_composition(seat)
    model.Session.add(seat)
    model.Session.flush()
    audit.record(
        "member",
        seat.id,
        "create",
        context.get("user"),
        data={"user": user.name, "college": seat.college, "role": seat.role},
    )
    _commit(context)
    return seat.as_dict(private=True)


def cdm_member_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a seat: college, role, mandate dates, affiliation.

    :param id: the seat's id
    """
    tk.check_access("cdm_member_update", context, data_dict)
    data = _validate(data_dict, cdm_schema.member_update_schema(), context)
    seat = _get_member(data["id"])
    before = seat.as_dict(private=True)
    for field in ("college", "role", "affiliation"):
        if field in data:
            setattr(seat, field, data[field] or None if field == "affiliation" else data[field])
    for field in ("mandate_start", "mandate_end"):
        if field in data:
            setattr(seat, field, _date(data[field]))
    with model.Session.no_autoflush:
        try:
            check_composition(seat)
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
    _commit(context)
    return after


def cdm_member_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End a mandate. The seat is freed; the record stays in the history.

    :param id: the seat's id
    :param ended_on: date the mandate ends (optional, default today)
    :param reason: why (optional)
    """
    tk.check_access("cdm_member_delete", context, data_dict)
    data = _validate(data_dict, cdm_schema.member_delete_schema(), context)
    seat = _get_member(data["id"])
    seat.end(_date(data.get("ended_on")), data.get("reason"))
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
    _commit(context)
    return seat.as_dict(private=True)
