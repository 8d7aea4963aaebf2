"""Actions on the Charte métropolitaine de la donnée."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz, badge_refresh
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import commit, date_of, validate
from ckanext.cdm.model import audit
from ckanext.cdm.model.charter import DRAFT, Charter, Principle


def _get_charter(id_or_number: str | None) -> Charter:
    charter = Charter.get(id_or_number) if id_or_number else Charter.adopted()
    if charter is None:
        raise tk.ObjectNotFound(tk._("Charter version not found"))
    return charter


def _principles(items: list[dict[str, Any]]) -> list[Principle]:
    """The validated principles (their codes are unique: see the schema)."""
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
    data = validate(data_dict, cdm_schema.charter_show_schema(), context)
    return _get_charter(data.get("id")).as_dict()


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
    data = validate(data_dict, cdm_schema.charter_create_schema(), context)
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
    commit(context)
    return charter.as_dict()


def cdm_charter_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft version. Adopted and superseded versions never change.

    :param id: id or number of the draft
    :param number, title, preamble, principles: the fields to replace
    """
    tk.check_access("cdm_charter_update", context, data_dict)
    data = validate(data_dict, cdm_schema.charter_update_schema(), context)
    charter = _get_charter(data["id"])
    charter.ensure_draft()
    if "principles" in data_dict and not data.get("principles"):
        raise tk.ValidationError({"principles": [tk._("A charter needs at least one principle.")]})
    # everything that may refuse the change comes before the first change
    new_principles = _principles(data["principles"]) if data.get("principles") else None
    if "number" in data:
        _ensure_number_free(data["number"], charter)
    changed = []
    if "number" in data:
        charter.number = data["number"]
        changed.append("number")
    for field in ("title", "preamble"):
        if field in data:
            setattr(charter, field, data[field])
            changed.append(field)
    if new_principles is not None:
        charter.principles = []
        model.Session.flush()
        charter.principles = new_principles
        changed.append("principles")
    charter.modified_by = context.get("user")
    audit.record("charter", charter.id, "update", context.get("user"), data={"fields": changed})
    commit(context)
    return charter.as_dict()


def cdm_charter_adopt(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Adopt a draft; the version adopted until now becomes superseded.

    :param id: id or number of the draft
    :param decision_reference: reference of the deciding act (e.g. the minutes)
    :param adopted_on: date of adoption (optional, default today)
    """
    tk.check_access("cdm_charter_adopt", context, data_dict)
    data = validate(data_dict, cdm_schema.charter_adopt_schema(), context)
    charter = _get_charter(data["id"])
    user = context.get("user")
    previous = charter.adopt(date_of(data.get("adopted_on")), data["decision_reference"])
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
    commit(context)
    if previous is not None:
        # the opinions given under the superseded version are now out of date:
        # their datasets' indexed badges are mended in the background
        tk.enqueue_job(
            badge_refresh.refresh_job,
            title=f"cdm badges: charter {charter.number} adopted",
            rq_kwargs={"timeout": tk.config.get("ckanext.cdm.badges.refresh_timeout")},
        )
    return charter.as_dict()
