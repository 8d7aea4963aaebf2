"""Pages of the committee's sessions: the public list and page of each
session, and, for the president, convening and running one (agenda,
attendance, proxies, live quorum, minutes, closing).

Views translate between HTTP and the action API; the forms a page shows come
from the session's ``allowed_actions``, the rules live in the actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import config
from ckanext.cdm.logic.text import usable_id
from ckanext.cdm.model.session import AGENDA_STATES
from ckanext.cdm.views._base import action, every, form_data, may, upcoming_and_past

cdm_session = Blueprint("cdm_session", __name__)


def _fields() -> dict[str, tuple[str, str]]:
    """Error key → (id of the control, its label), for the error summary."""
    proxies = tk._("Proxies")
    return {
        "starts_at": ("field-starts-at", tk._("Day and time")),
        "place": ("field-place", tk._("Place")),
        "written_procedure": ("field-written-procedure", tk._("Written procedure")),
        "title": ("field-title", tk._("Title")),
        "agenda": ("agenda", tk._("Agenda")),
        "attendance": ("attendance", tk._("Members present")),
        "proxies": ("field-proxy-giver", proxies),
        "add_proxy": ("field-proxy-giver", proxies),
        "remove_proxy": ("proxies", proxies),
        "minutes": ("field-minutes", tk._("Minutes")),
        "close": ("close", tk._("Close the session")),
    }


def _show(id_: str) -> dict[str, Any]:
    if usable_id(id_) is None:
        tk.abort(404, tk._("Session not found"))
    try:
        return action("cdm_session_show", {"id": id_})
    except (tk.ObjectNotFound, tk.ValidationError):
        tk.abort(404, tk._("Session not found"))


def local_input(iso: str | None) -> str:
    """A stored date as the value of a ``datetime-local`` control, in the
    portal's time zone (the one the action reads it in)."""
    if not iso:
        return ""
    moment = dt.datetime.fromisoformat(iso).astimezone(tk.h.get_display_timezone())
    return moment.strftime("%Y-%m-%dT%H:%M")


def _open_reviews() -> list[dict[str, Any]]:
    """Every review the president may put on an agenda, in the order of
    ``AGENDA_STATES``."""
    reviews = []
    for state in AGENDA_STATES:
        reviews += every("cdm_review_list", {"state": state})
    return reviews


def _render_read(
    session: dict[str, Any],
    errors: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> str:
    manage = "update" in session["allowed_actions"]
    stale = "version" in (errors or {})
    return tk.render(
        "cdm/session/read.html",
        {
            "session": session,
            "errors": errors or {},
            "error_list": tk.h.cdm_error_list(errors or {}, _fields()),
            "data": data or {},
            "starts_at_local": local_input(session["starts_at"]),
            "open_reviews": _open_reviews() if manage else [],
            "proxy_cap": config.proxies_per_member(),
            "current": _current(session, data or {}) if stale else [],
        },
    )


def _current(session: dict[str, Any], typed: dict[str, Any]) -> list[dict[str, str]]:
    """What is saved now of the parts of the record a refused form typed,
    where it differs from what was typed."""
    saved = {
        "place": session["place"] or "",
        "title": session["title"] or "",
        "minutes": session["minutes"] or "",
        "attendance": sorted(p["name"] for p in session["attendance"]),
        "agenda": [r["id"] for r in session["agenda"]],
    }
    shown = {
        "attendance": ", ".join(p["fullname"] for p in session["attendance"]),
        "agenda": ", ".join(r["dataset_title"] for r in session["agenda"]),
    }
    return [
        {"label": _fields()[key][1], "value": shown.get(key, saved[key])}
        for key in saved
        if key in typed
        and (sorted(typed[key]) if key == "attendance" else typed[key] or "") != saved[key]
    ]


def _change(
    id_: str, payload: dict[str, Any], done: str, data: dict[str, Any] | None = None
) -> Any:
    """Run ``cdm_session_update`` (with the version the form was drawn
    from); on a refusal, the page again with the error summary and the
    values typed."""
    version = form_data().get("version")
    if version is not None:
        payload = {**payload, "version": version}
    try:
        action("cdm_session_update", {"id": id_, **payload})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the president of the committee runs its sessions"))
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Session not found"))
    except tk.ValidationError as error:
        return _render_read(_show(id_), error.error_dict, data or payload)
    tk.h.flash_success(done)
    return tk.redirect_to("cdm_session.read", id=id_)


def _values(data: dict[str, Any], key: str) -> list[str]:
    """A repeated form field (checkboxes) as a list."""
    value = data.get(key) or []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


# The public pages


@cdm_session.route("/cdm/sessions")
def index() -> str:
    return tk.render(
        "cdm/session/index.html",
        {
            **upcoming_and_past("cdm_session_list", "cdm_session.index", 100),
            "can_convene": may("cdm_session_create", {}),
        },
    )


@cdm_session.route("/cdm/sessions/new", methods=["GET", "POST"])
def new() -> Any:
    if not may("cdm_session_create", {}):
        tk.abort(403, tk._("Only the president of the committee runs its sessions"))
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = form_data()
        payload = {
            "starts_at": data.get("starts_at", ""),
            "place": data.get("place") or None,
            "written_procedure": bool(data.get("written_procedure")),
            "title": data.get("title") or None,
            "agenda": _values(data, "agenda"),
        }
        try:
            session = action(
                "cdm_session_create", {k: v for k, v in payload.items() if v is not None}
            )
        except tk.ValidationError as error:
            errors = error.error_dict
            data["agenda"] = payload["agenda"]
        else:
            tk.h.flash_success(
                tk._("Session convened: the members in office are e-mailed its agenda.")
                if not session["held"]
                else tk._("Session recorded: it has already taken place, so nobody is e-mailed.")
            )
            return tk.redirect_to("cdm_session.read", id=session["id"])
    return tk.render(
        "cdm/session/new.html",
        {
            "data": data,
            "errors": errors,
            "error_list": tk.h.cdm_error_list(errors, _fields()),
            "open_reviews": _open_reviews(),
        },
    )


@cdm_session.route("/cdm/sessions/<id>")
def read(id: str) -> str:
    return _render_read(_show(id))


# The president's forms


@cdm_session.route("/cdm/sessions/<id>/details", methods=["POST"])
def details(id: str) -> Any:
    data = form_data()
    payload = {
        "starts_at": data.get("starts_at", ""),
        "place": data.get("place", ""),
        "written_procedure": bool(data.get("written_procedure")),
        "title": data.get("title", ""),
    }
    return _change(id, payload, tk._("Session details saved."))


@cdm_session.route("/cdm/sessions/<id>/agenda", methods=["POST"])
def agenda(id: str) -> Any:
    payload = {"agenda": _values(form_data(), "agenda")}
    return _change(id, payload, tk._("Agenda saved."))


@cdm_session.route("/cdm/sessions/<id>/attendance", methods=["POST"])
def attendance(id: str) -> Any:
    payload = {"attendance": _values(form_data(), "attendance")}
    return _change(id, payload, tk._("Attendance saved."))


@cdm_session.route("/cdm/sessions/<id>/proxies", methods=["POST"])
def add_proxy(id: str) -> Any:
    data = form_data()
    proxy = {"giver": data.get("giver", ""), "holder": data.get("holder", "")}
    return _change(id, {"add_proxy": proxy}, tk._("Proxy recorded."), {"proxy": proxy})


@cdm_session.route("/cdm/sessions/<id>/proxies/remove", methods=["POST"])
def remove_proxy(id: str) -> Any:
    payload = {"remove_proxy": form_data().get("giver", "")}
    return _change(id, payload, tk._("Proxy withdrawn."))


@cdm_session.route("/cdm/sessions/<id>/minutes", methods=["POST"])
def minutes(id: str) -> Any:
    payload = {"minutes": form_data().get("minutes", "")}
    return _change(id, payload, tk._("Minutes saved."))


@cdm_session.route("/cdm/sessions/<id>/close", methods=["GET", "POST"])
def close(id: str) -> Any:
    """A page that asks for confirmation (it works without JavaScript), then closes."""
    session = _show(id)
    if "close" not in session["allowed_actions"]:
        tk.abort(403, tk._("Only the president of the committee runs its sessions"))
    if tk.request.method == "POST":
        return _change(id, {"close": True}, tk._("Session closed: its minutes are now public."))
    return tk.render("cdm/session/close.html", {"session": session})
