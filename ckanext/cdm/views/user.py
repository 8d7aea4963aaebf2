"""A user's preferences for the committee's e-mails: /user/<id>/cdm-preferences
(their language, the kinds received, the daily digest)."""

from __future__ import annotations

from typing import Any

from babel import Locale
from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import user_extras
from ckanext.cdm.views._base import action as _action
from ckanext.cdm.views._base import context as _context

cdm_user = Blueprint("cdm_user", __name__)


def _page_of(id_: str) -> dict[str, Any]:
    """What CKAN's user pages (user/read_base.html) expect."""
    if user_extras.user_for(id_) is None:  # junk (NUL bytes…) never reaches SQL
        tk.abort(404, tk._("User not found"))
    try:
        user_dict = _action("user_show", {"id": id_})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("User not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("You are not allowed to see this page"))
    return {
        "user_dict": user_dict,
        "is_myself": user_dict["name"] == _context()["user"],
        "is_sysadmin": tk.h.check_access("sysadmin"),
        "about_formatted": tk.h.render_markdown(user_dict.get("about") or ""),
    }


def _native_name(code: str) -> str:
    """A language's name in that language ("Français", "English")."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except ValueError:
        name = code
    return name[:1].upper() + name[1:]


def _kind_labels() -> dict[str, str]:
    """What each kind of e-mail (``user_extras.KINDS``) is, for its checkbox."""
    return {
        "agenda": tk._("Sessions convened, with their agenda"),
        "submissions": tk._("New review requests to the committee"),
        "opinions": tk._("Opinions published"),
        "changes": tk._("The committee's requests to stewards (changes, self-referrals)"),
    }


def _chosen(preferences: dict[str, Any]) -> dict[str, Any]:
    """The preferences the form sends (no box ticked: no kind)."""
    form = tk.request.form
    chosen: dict[str, Any] = {
        "language": form.get("language", ""),
        "notifications": form.getlist("notifications"),
    }
    if preferences["digest_offered"] or preferences["digest"]:
        chosen["digest"] = form.get("digest", "")
    return chosen


@cdm_user.route("/user/<id>/cdm-preferences", methods=["GET", "POST"])
def preferences(id: str) -> Any:
    page = _page_of(id)
    target = {"id": page["user_dict"]["id"]}
    try:
        preferences = _action("cdm_user_preferences_show", target)
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the user themselves or a sysadmin can see these preferences"))
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        chosen = _chosen(preferences)
        try:
            preferences = _action("cdm_user_preferences_update", {**target, **chosen})
        except tk.ValidationError as error:
            errors = error.error_dict
            preferences = {**preferences, **chosen}
        else:
            tk.h.flash_success(tk._("Your e-mail preferences have been saved."))
            return tk.redirect_to("cdm_user.preferences", id=page["user_dict"]["name"])
    languages = [(code, _native_name(code)) for code in preferences["languages"]]
    labels = _kind_labels()
    kinds = [(kind, labels.get(kind, kind)) for kind in preferences["kinds"]]
    return tk.render(
        "cdm/user/preferences.html",
        {
            **page,
            "preferences": preferences,
            "languages": languages,
            "kinds": kinds,
            "errors": errors,
        },
    )
