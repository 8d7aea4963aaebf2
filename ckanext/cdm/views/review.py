"""Pages of the review workflow: the dataset's ethics tab, the steward's
self-assessment form, the committee's dashboard and the steward's requests.

Views translate between HTTP and the action API; the controls a page shows
come from ``allowed_actions``: the dataset's (``cdm_dataset_ethics_show``,
with or without a review) on the ethics tab and the self-assessment form,
the review's elsewhere.
"""

from __future__ import annotations

from typing import Any

from ckan.lib.helpers import Page
from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import config, forms, labels
from ckanext.cdm.logic.text import usable_id
from ckanext.cdm.model.review import IN_REVIEW, STATES, TRANSITIONS
from ckanext.cdm.views._base import action, context, every, form_data, may

cdm_review = Blueprint("cdm_review", __name__)


def _dataset(id_: str) -> dict[str, Any]:
    """The dataset, for those who may see it by CKAN's permission labels (the
    committee sees the private datasets it examines); as CKAN does, a private
    dataset does not exist for the others."""
    if usable_id(id_) is None:  # CKAN's package_show would send a NUL to PostgreSQL
        tk.abort(404, tk._("Dataset not found"))
    try:
        return action("package_show", {"id": id_})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        tk.abort(404, tk._("Dataset not found"))


def _current_review(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return action("cdm_review_show", {"dataset": pkg_dict["id"]})
    except tk.ObjectNotFound:
        return None


def _ethics(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset's current review (or None) and what the user may do now
    (``cdm_dataset_ethics_show``)."""
    return action("cdm_dataset_ethics_show", {"id": pkg_dict["id"]})


def _back_to_tab(id_: str) -> Any:
    return tk.redirect_to("cdm_review.dataset_ethics", id=id_)


def _run(name: str, data: dict[str, Any], one_of_many: bool = False) -> dict[str, Any] | None:
    """Call an action for a form; flash a refusal. The action's result when it succeeded.

    In a bulk operation (``one_of_many``), a refusal is flashed and the others go on.
    """
    try:
        return action(name, data)
    except tk.NotAuthorized as error:
        if one_of_many:
            tk.h.flash_error(str(error) or tk._("You are not allowed to do this"))
            return None
        tk.abort(403, tk._("You are not allowed to do this"))
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Review not found"))
    except tk.ValidationError as error:
        tk.h.flash_error(forms.error_summary(error.error_dict))
    return None


def _assigned(review: dict[str, Any]) -> str:
    """« Claire Aubertin est désormais rapporteure de … », in the
    rapporteur's gender (the form of address of their seat)."""
    rapporteur = review["rapporteur"] or {}
    seat = next(
        (s for s in action("cdm_member_list", {}) if s.get("user_id") == rapporteur.get("id")),
        {},
    )
    return labels.rapporteur_assigned(
        rapporteur.get("fullname") or rapporteur.get("name", ""),
        review["dataset_title"],
        seat.get("form_of_address"),
    )


def _flash_submitted(review: dict[str, Any]) -> None:
    """The steward's confirmation, with what happens next (the ``next_step``
    of ``cdm_review_submit``): the session whose agenda holds the review, or
    the committee's usual delay."""
    step = review.get("next_step") or {}
    if step.get("session"):
        after = tk._("Your request is on the agenda of the session of {date}.").format(
            date=tk.h.cdm_datetime(step["session"]["starts_at"])
        )
    elif step.get("median_days") is not None and round(step["median_days"]) < 1:
        after = tk._(
            "Over the last twelve months, the committee gave half of its opinions "
            "on the day of the request."
        )
    elif step.get("median_days") is not None:
        days = round(step["median_days"])
        after = tk.ungettext(
            "Over the last twelve months, the committee gave half of its opinions "
            "within {n} day of the request (median delay).",
            "Over the last twelve months, the committee gave half of its opinions "
            "within {n} days of the request (median delay).",
            days,
        ).format(n=days)
    else:
        after = tk._(
            "The committee has given no opinion in the last twelve months: "
            "it cannot tell its usual delay yet."
        )
    tk.h.flash_success(tk._("Dataset submitted to the committee.") + " " + after)


@cdm_review.route("/dataset/<id>/ethics")
def dataset_ethics(id: str) -> str:
    pkg_dict = _dataset(id)
    ethics = _ethics(pkg_dict)
    review = ethics["review"]
    try:
        charter = action("cdm_charter_show", {"id": review["charter_id"]} if review else {})
    except tk.ObjectNotFound:
        charter = None
    draft = None
    # a deleted dataset keeps its reviews, read only
    may_edit = pkg_dict.get("state") != "deleted" and may(
        "cdm_self_assessment_save", {"id": pkg_dict["id"]}
    )
    if may_edit and may("cdm_self_assessment_show", {"id": pkg_dict["id"]}) and charter:
        try:
            draft = action("cdm_self_assessment_show", {"id": pkg_dict["id"]})
        except tk.ValidationError:  # no adopted charter any more
            draft = None
    adopted = _adopted_charter()
    return tk.render(
        "cdm/review/dataset_ethics.html",
        {
            "pkg_dict": pkg_dict,
            "review": review,
            "charter": charter,
            "adopted": adopted,
            "draft": draft,
            "progress": tk.h.cdm_progress(adopted, draft["answers"]) if draft and adopted else None,
            "may_edit": may_edit and adopted is not None,
            "allowed_actions": ethics["allowed_actions"],
            # naming the rapporteur of a review in examination changes him or her
            "changing_rapporteur": review is not None and review["state"] == IN_REVIEW,
            "opinions": _opinions(pkg_dict),
        },
    )


def _opinions(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's opinions the user may see, newest first: the published ones,
    and the drafts too for the committee (``state=all`` gives them to it alone)."""
    state = "all" if tk.h.cdm_is_committee() else "published"
    try:
        return action("cdm_opinion_list", {"dataset": pkg_dict["id"], "state": state})["results"]
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return []


def _adopted_charter() -> dict[str, Any] | None:
    try:
        return action("cdm_charter_show", {})
    except tk.ObjectNotFound:
        return None


@cdm_review.route("/dataset/<id>/ethics/self-assessment", methods=["GET", "POST"])
def self_assessment(id: str) -> Any:
    pkg_dict = _dataset(id)
    if not may("cdm_self_assessment_save", {"id": pkg_dict["id"]}):
        tk.abort(403, tk._("Only the stewards of the dataset can do this"))
    charter = _adopted_charter()
    if charter is None:
        tk.h.flash_error(tk._("The committee has not adopted a charter yet."))
        return _back_to_tab(id)
    draft = action("cdm_self_assessment_show", {"id": pkg_dict["id"]})
    errors: dict[str, dict[str, Any]] = {}
    general: list[str] = []
    conflict: dict[str, Any] = {}  # a stale save (macros/versions.html)
    current: list[dict[str, str]] = []  # what is saved now, where it differs
    message = ""
    saved = submitting = False
    unsaved: dict[str, dict[str, Any]] = {}
    if tk.request.method == "POST":
        data = form_data()
        message = data.get("message") or ""
        submitting = "submit" in data
        answers = forms.answers_from_form(data, charter)
        # the answers that cannot be saved (a justification without its
        # answer) stay on the page; every other one is saved, even when the
        # submission is then refused
        unsaved = forms.answer_errors(charter, answers, submitting=False)
        valid = {code: answer for code, answer in answers.items() if code not in unsaved}
        version = {"version": data["version"]} if "version" in data else {}
        try:
            draft = action(
                "cdm_self_assessment_save", {"id": pkg_dict["id"], "answers": valid, **version}
            )
            saved = True
        except tk.ValidationError as error:
            conflict = {k: v for k, v in error.error_dict.items() if k == "version"}
            if conflict:  # saved meanwhile: the form gets what is saved now
                draft = action("cdm_self_assessment_show", {"id": pkg_dict["id"]})
                shown, current = forms.answers_after_conflict(charter, draft["answers"], answers)
                draft = {**draft, "answers": shown}
                answers = {}  # what the form shows is decided
            stale = conflict["version"][0] if conflict else None
            general = [stale or forms.error_summary(error.error_dict)]
        if saved and not unsaved:
            if not submitting:
                tk.h.flash_success(tk._("Self-assessment saved."))
                return tk.redirect_to("cdm_review.self_assessment", id=id)
            try:
                review = action(
                    "cdm_review_submit", {"id": pkg_dict["id"], "message": message or None}
                )
            except tk.ValidationError as error:
                general = [forms.error_summary(error.error_dict)]
            else:
                _flash_submitted(review)
                return _back_to_tab(id)
        # every typed value stays on the page, the refused answers included
        draft = {**draft, "answers": {**draft["answers"], **answers}}
        errors = forms.answer_errors(charter, draft["answers"], submitting=submitting)
        if errors and saved:
            general = []  # the questions say why the submission is refused
    summary = forms.answer_summary(errors)
    if saved and (errors or general):
        summary["intro"].append(
            tk._("Your other answers are saved.") if unsaved else tk._("Your answers are saved.")
        )
    ethics = _ethics(pkg_dict)
    return tk.render(
        "cdm/review/self_assessment.html",
        {
            "pkg_dict": pkg_dict,
            "charter": charter,
            "draft": draft,
            "progress": tk.h.cdm_progress(charter, draft["answers"]),
            "errors": errors,
            "error_intro": summary["intro"],
            "error_list": summary["items"]
            + [{"href": "#cdm-form", "text": text} for text in general],
            "error_title": tk._("The self-assessment cannot be submitted yet")
            if submitting
            else tk._("Some answers cannot be saved"),
            "message": message,
            "conflict": conflict,
            "conflict_current": current,
            "review": ethics["review"],
            "allowed_actions": ethics["allowed_actions"],
        },
    )


@cdm_review.route("/dataset/<id>/ethics/submit", methods=["POST"])
def submit(id: str) -> Any:
    pkg_dict = _dataset(id)
    data = {"id": pkg_dict["id"], "message": form_data().get("message") or None}
    review = _run("cdm_review_submit", data)
    if review:
        _flash_submitted(review)
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/withdraw", methods=["GET", "POST"])
def withdraw(id: str) -> Any:
    """A page that asks for confirmation (it works without JavaScript), then withdraws."""
    pkg_dict = _dataset(id)
    review = _current_review(pkg_dict)
    if review is None or "withdraw" not in review["allowed_actions"]:
        tk.abort(403, tk._("You are not allowed to do this"))
    if tk.request.method == "POST":
        data = form_data()
        payload = {"id": review["id"], "message": data.get("message") or None}
        if _run("cdm_review_withdraw", payload):
            tk.h.flash_success(tk._("Review withdrawn."))
        return _back_to_tab(id)
    return tk.render("cdm/review/withdraw.html", {"pkg_dict": pkg_dict, "review": review})


@cdm_review.route("/dataset/<id>/ethics/conflict", methods=["POST"])
def declare_conflict(id: str) -> Any:
    pkg_dict = _dataset(id)
    data = {"id": pkg_dict["id"], "reason": form_data().get("reason") or None}
    if _run("cdm_conflict_declare", data):
        tk.h.flash_success(tk._("Conflict of interest declared."))
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/assign", methods=["POST"])
def assign(id: str) -> Any:
    form = form_data()
    data = {
        "id": form.get("review_id", ""),
        "rapporteur": form.get("rapporteur", ""),
        "message": form.get("message") or None,
    }
    review = _run("cdm_review_assign", data)
    if review:
        tk.h.flash_success(_assigned(review))
    return _back_to_tab(id)


@cdm_review.route("/dataset/<id>/ethics/request-changes", methods=["POST"])
def request_changes(id: str) -> Any:
    form = form_data()
    data = {"id": form.get("review_id", ""), "message": form.get("message", "")}
    if _run("cdm_review_request_changes", data):
        tk.h.flash_success(tk._("Changes requested from the steward."))
    return _back_to_tab(id)


# The committee's dashboard


def _page(listing: dict[str, Any], page: int, **params: Any) -> Page:
    """CKAN's pagination over one page of a ``cdm_review_list`` result."""

    def url(page: int = 1, **_: Any) -> str:
        return tk.h.url_for(tk.request.endpoint, page=page, **params)

    return Page(
        collection=listing["results"],
        page=page,
        item_count=listing["count"],
        items_per_page=config.page_size(),
        presliced_list=True,
        url=url,
    )


def _listing(data: dict[str, Any]) -> dict[str, Any]:
    """A page of ``cdm_review_list``; junk in the address (a state, a page
    far beyond the last) is a 400 naming it."""
    try:
        return action("cdm_review_list", data)
    except tk.ValidationError as error:
        tk.abort(400, forms.error_summary(error.error_dict))


def _page_number() -> int:
    return max(tk.h.get_page_number(tk.request.args), 1)


@cdm_review.route("/cdm/dashboard")
def dashboard() -> str:
    user = context()["user"]
    if not may("cdm_review_assign", {}):
        tk.abort(403, tk._("The dashboard is for the committee"))
    state = tk.request.args.get("state") or "open"  # a junk state is a 400 (the action)
    page, size = _page_number(), config.page_size()
    listing = _listing({"state": state, "limit": size, "offset": (page - 1) * size})
    counts = {s: action("cdm_review_list", {"state": s, "limit": 0})["count"] for s in STATES}
    mine = every("cdm_review_list", {"rapporteur": user, "state": "open"})
    members = [s for s in action("cdm_member_list", {}) if s["in_office"]]
    return tk.render(
        "cdm/review/dashboard.html",
        {
            "page": _page(listing, page, state=state),
            "listing": listing,
            "counts": counts,
            "mine": mine,
            "state": state,
            "members": members,
            "triage_states": TRANSITIONS["assign"][0],
        },
    )


@cdm_review.route("/cdm/dashboard/triage", methods=["POST"])
def bulk_triage() -> Any:
    if not may("cdm_review_assign", {}):
        tk.abort(403, tk._("The dashboard is for the committee"))
    data = form_data()
    review_ids = data.get("review_id") or []
    if isinstance(review_ids, str):  # parse_params gives one value as a string
        review_ids = [review_ids]
    if not review_ids:
        tk.h.flash_error(tk._("Select at least one review."))
        return tk.redirect_to("cdm_review.dashboard")
    if data.get("operation") == "request_changes" and not str(data.get("message", "")).strip():
        tk.h.flash_error(tk._("Write the changes you ask of the steward."))
        return tk.redirect_to("cdm_review.dashboard")
    if data.get("operation") != "request_changes" and not data.get("rapporteur"):
        tk.h.flash_error(tk._("Choose the rapporteur."))
        return tk.redirect_to("cdm_review.dashboard")
    for review_id in review_ids:
        if data.get("operation") == "request_changes":
            payload = {"id": review_id, "message": data.get("message", "")}
            if _run("cdm_review_request_changes", payload, one_of_many=True):
                tk.h.flash_success(tk._("Changes requested from the steward."))
        else:
            payload = {"id": review_id, "rapporteur": data.get("rapporteur", "")}
            review = _run("cdm_review_assign", payload, one_of_many=True)
            if review:
                tk.h.flash_success(_assigned(review))
    return tk.redirect_to("cdm_review.dashboard")


# The steward's requests


@cdm_review.route("/dashboard/ethics")
def my_requests() -> Any:
    user = context()["user"]
    if not user:
        return tk.redirect_to("user.login")
    page, size = _page_number(), config.page_size()
    listing = _listing({"submitted_by": user, "limit": size, "offset": (page - 1) * size})
    return tk.render(
        "cdm/review/my_requests.html",
        {
            "page": _page(listing, page),
            "listing": listing,
            "awaiting": tk.h.cdm_reviews_awaiting_me(),
            "user_dict": tk.current_user,
        },
    )
