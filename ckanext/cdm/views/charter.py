"""Pages of the committee: the charter, the composition, their management.

Views only translate between HTTP and the action API; every rule lives in the
actions.
"""

from __future__ import annotations

import json
from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, make_response

from ckanext.cdm import config, forms, labels
from ckanext.cdm.data import charter_document, read_charter
from ckanext.cdm.views._base import action as _action
from ckanext.cdm.views._base import context as _context
from ckanext.cdm.views._base import for_this_reader, form_data

cdm = Blueprint("cdm", __name__, url_prefix="/cdm")
DEFAULT_CHARTER = "default"  # the draft shipped with ckanext-cdm (data/charter.yaml)


def _abort_for(error: Exception) -> None:
    if isinstance(error, (tk.ObjectNotFound, tk.ValidationError)):  # junk in the URL
        tk.abort(404, tk._("Charter version not found"))
    tk.abort(403, tk._("You are not allowed to see this page"))


# Charter


@cdm.route("/charter")
def charter() -> str:
    versions = _action("cdm_charter_list", {})
    try:
        current = _action("cdm_charter_show", {})
    except tk.ObjectNotFound:
        current = None
    return tk.render("cdm/charter/read.html", {"charter": current, "versions": versions})


@cdm.route("/charter/<number>")
def charter_version(number: str) -> str:
    try:
        version = _action("cdm_charter_show", {"id": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as error:
        _abort_for(error)
    versions = _action("cdm_charter_list", {})
    return tk.render("cdm/charter/read.html", {"charter": version, "versions": versions})


def _version(number: str) -> dict[str, Any]:
    try:
        return _action("cdm_charter_show", {"id": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as error:
        _abort_for(error)
        raise  # unreachable: abort raises


@cdm.route("/charter/<number>.json")
def charter_json(number: str) -> Any:
    """The version as reusable data, under the portal's open licence: what
    ``ckan cdm charter load`` reads on another portal."""
    version = _version(number)
    for_this_reader()  # a draft is for the committee only
    source = tk.h.url_for("cdm.charter_version", number=version["number"], _external=True)
    document = charter_document(version, config.charter_licence(), source)
    response = make_response(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="charter-{version["number"]}.json"'
    return response


@cdm.route("/charter/<number>/print")
def charter_print(number: str) -> str:
    """The whole version on one page, every guiding question shown, for a
    clean A4 print or PDF from the browser."""
    version = _version(number)
    return tk.render(
        "cdm/charter/print.html", {"charter": version, "licence": config.charter_licence()}
    )


@cdm.route("/charter/new", methods=["GET", "POST"])
def charter_new() -> Any:
    try:
        tk.check_access("cdm_charter_create", _context(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the president of the committee can write the charter"))
    data: dict[str, Any] = form_data() if tk.request.method == "POST" else {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        if data.get("copy_from") == DEFAULT_CHARTER:
            new = {**read_charter(), "number": data.get("number")}
        else:
            new = {"number": data.get("number"), "copy_from": data.get("copy_from")}
        try:
            created = _action("cdm_charter_create", new)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Draft {number} created.").format(number=created["number"]))
            return tk.redirect_to("cdm.charter_edit", number=created["number"])
    versions = _action("cdm_charter_list", {})
    return tk.render("cdm/charter/new.html", {"data": data, "errors": errors, "versions": versions})


@cdm.route("/charter/<number>/edit", methods=["GET", "POST"])
def charter_edit(number: str) -> Any:
    try:
        tk.check_access("cdm_charter_update", _context(), {"id": number})
        version = _action("cdm_charter_show", {"id": number})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as error:
        _abort_for(error)
    if version["status"] != "draft":
        tk.h.flash_error(
            tk._("Version {number} is no longer a draft: create a new draft from it.").format(
                number=number
            )
        )
        return tk.redirect_to("cdm.charter_new")
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = forms.charter_from_form(form_data(), version)
        try:
            _action("cdm_charter_update", data)
        except tk.ValidationError as error:
            errors = error.error_dict
            version = {**version, **data}
        else:
            tk.h.flash_success(tk._("Draft {number} saved.").format(number=data["number"]))
            return tk.redirect_to("cdm.charter_version", number=data["number"])
    return tk.render("cdm/charter/edit.html", {"charter": version, "errors": errors})


@cdm.route("/charter/<number>/adopt", methods=["POST"])
def charter_adopt(number: str) -> Any:
    form = form_data()
    data = {"id": number, "decision_reference": form.get("decision_reference", "")}
    if form.get("adopted_on"):
        data["adopted_on"] = form["adopted_on"]
    try:
        adopted = _action("cdm_charter_adopt", data)
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the president of the committee can write the charter"))
    except tk.ObjectNotFound as error:
        _abort_for(error)
    except tk.ValidationError as error:
        tk.h.flash_error(forms.error_summary(error.error_dict))
        return tk.redirect_to("cdm.charter_version", number=number)
    tk.h.flash_success(tk._("Version {number} adopted.").format(number=adopted["number"]))
    return tk.redirect_to("cdm.charter")


# Committee


@cdm.route("/formatting")
def formatting() -> str:
    """What the simple formatting (Markdown) of the long texts accepts."""
    return tk.render("cdm/formatting.html", {})


@cdm.route("/committee")
def committee() -> str:
    history = tk.request.args.get("history") or False
    try:
        seats = _action("cdm_member_list", {"include_ended": history})
    except tk.ValidationError:
        tk.abort(400, tk._("The history parameter is true or false."))
    return tk.render(
        "cdm/committee/read.html",
        {"seats": seats, "history": tk.asbool(history)},
    )


@cdm.route("/committee/manage", methods=["GET", "POST"])
def committee_manage() -> Any:
    try:
        tk.check_access("cdm_member_create", _context(), {})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only sysadmins manage the composition of the committee"))
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = {k: v for k, v in form_data().items() if v}
        try:
            seat = _action("cdm_member_create", data)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(
                tk._("{name} now sits on the committee.").format(name=seat["fullname"])
            )
            return tk.redirect_to("cdm.committee_manage")
    seats = _action("cdm_member_list", {})
    return tk.render(
        "cdm/committee/manage.html",
        {"seats": seats, "data": data, "errors": errors},
    )


@cdm.route("/committee/<seat_id>/end", methods=["POST"])
def committee_end(seat_id: str) -> Any:
    data = {"id": seat_id, "reason": form_data().get("reason") or None}
    try:
        seat = _action("cdm_member_delete", data)
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only sysadmins manage the composition of the committee"))
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Committee seat not found"))
    except tk.ValidationError as error:
        tk.h.flash_error(forms.error_summary(error.error_dict))
    else:
        tk.h.flash_success(
            labels.with_names(tk._("Mandate of {name} ended."), name=seat["fullname"])
        )
    return tk.redirect_to("cdm.committee_manage")
