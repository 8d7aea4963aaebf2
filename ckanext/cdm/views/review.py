"""Pages of the review workflow: the dataset's ethics tab, the steward's
self-assessment form, the committee's dashboard and the steward's requests."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import authz, forms
from ckanext.cdm.logic.text import usable_id
from ckanext.cdm.views._base import action, context

cdm_review = Blueprint("cdm_review", __name__)


def _dataset(id_: str) -> dict[str, Any]:
    """The dataset, for those who may see it; the committee sees the private
    datasets it examines."""
    if usable_id(id_) is None:  # CKAN's package_show would send a NUL to PostgreSQL
        tk.abort(404, tk._("Dataset not found"))
    try:
        return action("package_show", {"id": id_})
    except tk.NotAuthorized:
        if authz.can_see_drafts(context()["user"]):
            return tk.get_action("package_show")({**context(), "ignore_auth": True}, {"id": id_})
        # as CKAN does: a private dataset does not exist for those who may not see it
        tk.abort(404, tk._("Dataset not found"))
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Dataset not found"))


def _current_review(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return action("cdm_review_show", {"dataset": pkg_dict["id"]})
    except tk.ObjectNotFound:
        return None


def _may(auth: str, data: dict[str, Any]) -> bool:
    try:
        tk.check_access(auth, context(), data)
    except tk.NotAuthorized:
        return False
    return True


def _back_to_tab(id_: str) -> Any:
    return tk.redirect_to("cdm_review.dataset_ethics", id=id_)


def _run(name: str, data: dict[str, Any], success: str, one_of_many: bool = False) -> bool:
    """Call an action for a form; flash its outcome. True when it succeeded.

    In a bulk operation (``one_of_many``), a refusal is flashed and the others go on.
    """
    try:
        action(name, data)
    except tk.NotAuthorized as error:
        if one_of_many:
            tk.h.flash_error(str(error) or tk._("You are not allowed to do this"))
            return False
        tk.abort(403, tk._("You are not allowed to do this"))
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Review not found"))
    except tk.ValidationError as error:
        tk.h.flash_error(forms.error_summary(error.error_dict))
        return False
    tk.h.flash_success(success)
    return True


@cdm_review.route("/dataset/<id>/ethics")
def dataset_ethics(id: str) -> str:
    pkg_dict = _dataset(id)
    review = _current_review(pkg_dict)
    try:
        charter = action("cdm_charter_show", {"id": review["charter_id"]} if review else {})
    except tk.ObjectNotFound:
        charter = None
    draft = None
    if _may("cdm_self_assessment_show", {"id": pkg_dict["id"]}) and charter:
        draft = action("cdm_self_assessment_show", {"id": pkg_dict["id"]})
    return tk.render(
        "cdm/review/dataset_ethics.html",
        {
            "pkg_dict": pkg_dict,
            "review": review,
            "charter": charter,
            "draft": draft,
            "can_submit": _may("cdm_review_submit", {"id": pkg_dict["id"]}),
            "can_triage": bool(review) and _may("cdm_review_assign", {"id": review["id"]}),
            "can_declare_conflict": _may("cdm_conflict_declare", {"id": pkg_dict["id"]}),
        },
    )


@cdm_review.route("/dataset/<id>/ethics/self-assessment", methods=["GET", "POST"])
def self_assessment(id: str) -> Any:
    pkg_dict = _dataset(id)
    if not _may("cdm_self_assessment_save", {"id": pkg_dict["id"]}):
        tk.abort(403, tk._("Only the stewards of the dataset can do this"))
    try:
        charter = action("cdm_charter_show", {})
    except tk.ObjectNotFound:
        tk.h.flash_error(tk._("The committee has not adopted a charter yet."))
        return _back_to_tab(id)
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        answers = forms.answers_from_form(tk.request.form, charter)
        try:
            action("cdm_self_assessment_save", {"id": pkg_dict["id"], "answers": answers})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            if "submit" not in tk.request.form:
                tk.h.flash_success(tk._("Self-assessment saved."))
                return tk.redirect_to("cdm_review.self_assessment", id=id)
            message = tk.request.form.get("message") or None
            if _run(
                "cdm_review_submit",
                {"id": pkg_dict["id"], "message": message},
                tk._("Dataset submitted to the committee."),
            ):
                return _back_to_tab(id)
            return tk.redirect_to("cdm_review.self_assessment", id=id)
    draft = action("cdm_self_assessment_show", {"id": pkg_dict["id"]})
    return tk.render(
        "cdm/review/self_assessment.html",
        {
            "pkg_dict": pkg_dict,
            "charter": charter,
            "draft": draft,
            "errors": errors,
            "review": _current_review(pkg_dict),
        },
    )


@cdm_review.route("/dataset/<id>/ethics/submit", methods=["POST"])
def submit(id: str) -> Any:
    pkg_dict = _dataset(id)
    data = {"id": pkg_dict["id"], "message": tk.request.form.get("message") or None}
    _run("cdm_review_submit", data, tk._("Dataset submitted to the committee."))
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/withdraw", methods=["POST"])
def withdraw(id: str) -> Any:
    data = {
        "id": tk.request.form.get("review_id", ""),
        "message": tk.request.form.get("message") or None,
    }
    _run("cdm_review_withdraw", data, tk._("Review withdrawn."))
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/conflict", methods=["POST"])
def declare_conflict(id: str) -> Any:
    pkg_dict = _dataset(id)
    data = {"id": pkg_dict["id"], "reason": tk.request.form.get("reason") or None}
    _run("cdm_conflict_declare", data, tk._("Conflict of interest declared."))
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/assign", methods=["POST"])
def assign(id: str) -> Any:
    form = tk.request.form
    data = {
        "id": form.get("review_id", ""),
        "rapporteur": form.get("rapporteur", ""),
        "message": form.get("message") or None,
    }
    _run("cdm_review_assign", data, tk._("Review taken up; the rapporteur is named."))
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/request-changes", methods=["POST"])
def request_changes(id: str) -> Any:
    form = tk.request.form
    data = {"id": form.get("review_id", ""), "message": form.get("message", "")}
    _run("cdm_review_request_changes", data, tk._("Changes requested from the steward."))
    return _back_to_tab(id)


# The committee's dashboard


@cdm_review.route("/cdm/dashboard")
def dashboard() -> str:
    user = context()["user"]
    if not _may("cdm_review_assign", {}):
        tk.abort(403, tk._("The dashboard is for the committee"))
    state = tk.request.args.get("state") or "open"
    page = max(tk.h.get_page_number(tk.request.args), 1)
    try:
        listing = action(
            "cdm_review_list", {"state": state, "limit": 20, "offset": (page - 1) * 20}
        )
    except tk.ValidationError as error:
        tk.abort(400, forms.error_summary(error.error_dict))
    counts = {
        s: action("cdm_review_list", {"state": s, "limit": 0})["count"]
        for s in ("submitted", "in_review", "changes_requested", "opinion_issued", "withdrawn")
    }
    mine = action("cdm_review_list", {"rapporteur": user, "state": "open", "limit": 100})
    members = [s for s in action("cdm_member_list", {}) if s["in_office"]]
    return tk.render(
        "cdm/review/dashboard.html",
        {
            "listing": listing,
            "counts": counts,
            "mine": mine,
            "state": state,
            "page": page,
            "members": members,
        },
    )


@cdm_review.route("/cdm/dashboard/triage", methods=["POST"])
def bulk_triage() -> Any:
    form = tk.request.form
    review_ids = form.getlist("review_id")
    if not review_ids:
        tk.h.flash_error(tk._("Select at least one review."))
        return tk.redirect_to("cdm_review.dashboard")
    if form.get("operation") == "request_changes":
        for review_id in review_ids:
            _run(
                "cdm_review_request_changes",
                {"id": review_id, "message": form.get("message", "")},
                tk._("Changes requested from the steward."),
                one_of_many=True,
            )
    else:
        for review_id in review_ids:
            _run(
                "cdm_review_assign",
                {"id": review_id, "rapporteur": form.get("rapporteur", "")},
                tk._("Review taken up; the rapporteur is named."),
                one_of_many=True,
            )
    return tk.redirect_to("cdm_review.dashboard")


# The steward's requests


@cdm_review.route("/dashboard/ethics")
def my_requests() -> str:
    user = context()["user"]
    if not user:
        return tk.redirect_to("user.login")
    listing = action("cdm_review_list", {"submitted_by": user, "limit": 100})
    return tk.render(
        "cdm/review/my_requests.html", {"listing": listing, "user_dict": tk.current_user}
    )
