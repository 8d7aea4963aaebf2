"""Pages of the committee's opinions (*avis*): the draft form rendered from the
opinion schema, the draft, its publication with the vote, the permanent public
page ``/cdm/opinions/<number>``, a correction, and the president's
self-referral of a dataset.

Views translate between HTTP and the action API (``cdm_opinion_*``,
``cdm_session_*``, ``cdm_review_open``); the controls a page shows come from
the ``allowed_actions`` the actions return. The form's fields are the opinion
schema's (``opinion_schema.fields()``): a field a portal adds to its copy of
the schema shows in the form and on the pages with no code.
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import badge_display, forms, opinion_schema, report_display
from ckanext.cdm.labels import name_key
from ckanext.cdm.logic.text import usable_id
from ckanext.cdm.views._base import action, form_data, may
from ckanext.cdm.views.review import _current_review, _dataset

cdm_opinion = Blueprint("cdm_opinion", __name__)

VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstain", "votes_not_voting", "votes_proxies")
# what the review's allowed_actions calls drafting its opinion (docs/api.md)
DRAFT_OPINION = "draft_opinion"


# Reading


def _opinion(ref: str) -> dict[str, Any]:
    """The opinion ``ref`` (id or number) as the user may see it; a draft is not
    found for those who may not see it, as CKAN does for private datasets."""
    if usable_id(ref) is None:
        tk.abort(404, tk._("Opinion not found"))
    try:
        return action("cdm_opinion_show", {"id": ref})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        tk.abort(404, tk._("Opinion not found"))


def _stale(opinion: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's badge when this opinion is the one it rests on and it has
    gone stale (the badge « Opinion to be renewed » links here: the page says
    why), else None. Read from the dataset's ``cdm`` summary (badges.py)."""
    if not opinion.get("dataset_exists") or opinion.get("superseded_by"):
        return None
    try:
        pkg = action("package_show", {"id": opinion["package_id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    cdm = badge_display.cdm_of(pkg) or {}
    if (
        not cdm.get("stale_because")
        or (cdm.get("opinion") or {}).get("number") != opinion["number"]
    ):
        return None
    return badge_display.present(cdm)


def _charter(charter_id: str | None) -> dict[str, Any] | None:
    if not charter_id:
        return None
    try:
        return action("cdm_charter_show", {"id": charter_id})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None


def _session_url(session_id: str | None) -> str | None:
    """The session's page, when the sessions' pages are installed."""
    if not session_id:
        return None
    try:
        return tk.h.url_for("cdm_session.read", id=session_id)
    except Exception:  # werkzeug's BuildError: no such page
        return None


def _draft(opinion: dict[str, Any]) -> Any:
    return tk.redirect_to("cdm_opinion.draft", id=opinion["id"])


# The form of the opinion's fields


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def assessments_from_form(rows: Any) -> dict[str, dict[str, str]]:
    """``assessments__<i>__code/status/comment`` rows (as ``form_data`` nests
    them) → ``{code: {"status": …, "comment": …}}``; a principle neither
    assessed nor commented is left out (a draft may leave it for later)."""
    if isinstance(rows, dict):
        rows = list(rows.values())
    result: dict[str, dict[str, str]] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        code, status, comment = (_text(row.get(key)) for key in ("code", "status", "comment"))
        if code and (status or comment):
            result[code] = {"status": status, "comment": comment}
    return result


def opinion_from_form(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of the opinion schema in a posted form, as the actions take them."""
    fields: dict[str, Any] = {}
    for name in opinion_schema.field_names():
        if name == "assessments":
            fields[name] = assessments_from_form(data.get(name))
        elif name in data:
            fields[name] = data[name]
    return fields


def _field_errors(error: tk.ValidationError) -> dict[str, list[str]]:
    """An action's errors as scheming's snippets read them: a list of messages
    by field name."""
    errors: dict[str, list[str]] = {}
    for key, messages in (error.error_dict or {}).items():
        # a stale save keeps its lines: who saved what and when
        errors[key] = list(messages) if key == "version" else [forms.flat_message(messages)]
    return errors


def _error_list(errors: dict[str, list[str]], extra: dict[str, str] | None = None) -> list:
    """The error summary: a link to each field in error, named by its label."""
    labels = {
        field["field_name"]: (
            f"field-{field['field_name']}",
            tk.h.scheming_language_text(field.get("label")),
        )
        for field in opinion_schema.fields()
    }
    for key, label in (extra or {}).items():
        labels[key] = (f"field-{key}", label)
    return tk.h.cdm_error_list(errors, labels)


def _submit(
    name: str, data_dict: dict[str, Any], denied: str
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """Call the action behind a form: its result, or the errors to show on the
    form (a refusal of access is a 403 page saying ``denied``)."""
    try:
        return action(name, data_dict), {}
    except tk.NotAuthorized:
        tk.abort(403, denied)  # raises
    except tk.ValidationError as error:
        return None, _field_errors(error)


def _render_form(template: str, extra: dict[str, Any]) -> str:
    data = extra.get("data") or {}
    errors = extra.get("errors") or {}
    return tk.render(
        template,
        {
            "fields": opinion_schema.fields(),
            "error_list": _error_list(errors, extra.pop("labels", None)),
            **extra,
            "data": {**data, "cdm_charter": extra.get("charter")},
            "errors": errors,
        },
    )


@cdm_opinion.route("/dataset/<id>/ethics/opinion/new", methods=["GET", "POST"])
def new(id: str) -> Any:
    """Draft the opinion of the dataset's review in examination."""
    pkg_dict = _dataset(id)
    review = _current_review(pkg_dict)
    if review is None or DRAFT_OPINION not in review.get("allowed_actions", []):
        tk.abort(403, tk._("You are not allowed to draft the opinion of this review"))
    charter = _charter(review["charter_id"])
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        data = opinion_from_form(form_data())
        opinion, errors = _submit(
            "cdm_opinion_create",
            {**data, "review": review["id"]},
            tk._("You are not allowed to draft the opinion of this review"),
        )
        if opinion is not None:
            tk.h.flash_success(tk._("Draft opinion saved."))
            return _draft(opinion)
    return _render_form(
        "cdm/opinion/form.html",
        {
            "pkg_dict": pkg_dict,
            "review": review,
            "charter": charter,
            "data": data,
            "errors": errors,
        },
    )


@cdm_opinion.route("/cdm/opinions/draft/<id>")
def draft(id: str) -> Any:
    opinion = _opinion(id)
    if opinion["state"] != "draft":
        return tk.redirect_to("cdm_opinion.read", number=opinion["number"])
    charter = _charter(opinion.get("charter_id"))
    return tk.render(
        "cdm/opinion/draft.html",
        {
            "opinion": opinion,
            "fields": opinion_schema.fields(),
            "data": {**opinion, "cdm_charter": charter},
            "charter": charter,
        },
    )


@cdm_opinion.route("/cdm/opinions/draft/<id>/edit", methods=["GET", "POST"])
def edit(id: str) -> Any:
    opinion = _opinion(id)
    if opinion["state"] != "draft" or "update" not in opinion["allowed_actions"]:
        tk.abort(403, tk._("You are not allowed to change this opinion"))
    data: dict[str, Any] = opinion
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = form_data()
        data = opinion_from_form(form)
        version = {"version": form["version"]} if "version" in form else {}
        saved, errors = _submit(
            "cdm_opinion_update",
            {**data, "id": opinion["id"], **version},
            tk._("You are not allowed to change this opinion"),
        )
        if saved is not None:
            tk.h.flash_success(tk._("Draft opinion saved."))
            return _draft(opinion)
        if "version" in errors:  # saved meanwhile: the form gets what is saved now
            opinion = _opinion(id)
    return _render_form(
        "cdm/opinion/form.html",
        {
            "opinion": opinion,
            "charter": _charter(opinion.get("charter_id")),
            "data": data,
            "errors": errors,
            "current": _current(opinion, data) if "version" in errors else [],
        },
    )


def _current(opinion: dict[str, Any], typed: dict[str, Any]) -> list[dict[str, str]]:
    """The fields saved meanwhile that differ from what was typed, in words."""
    current = []
    for field in opinion_schema.fields():
        name = field["field_name"]
        saved, mine = opinion.get(name), typed.get(name)
        if (saved or None) == (mine or None):
            continue
        if name == "assessments":
            label = report_display.choice_label
            value = "\n".join(
                f"{code}: {label(name, a.get('status'))} {a.get('comment', '')}".strip()
                for code, a in (saved or {}).items()
            )
        elif field.get("choices"):
            value = report_display.choice_label(name, saved) if saved else ""
        else:
            value = str(saved or "")
        current.append({"label": tk.h.scheming_language_text(field.get("label")), "value": value})
    return current


# Publication: the vote


def _sessions_for(review_id: str) -> list[dict[str, Any]]:
    """The sessions whose agenda holds the review (the action says which)."""
    try:
        listing = action("cdm_session_list", {"limit": 100})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError, KeyError):
        return []
    sessions = []
    for summary in listing.get("results", []):
        session = summary
        if "agenda" not in session:
            try:
                session = action("cdm_session_show", {"id": summary["id"]})
            except (tk.ObjectNotFound, tk.NotAuthorized):
                continue
        if any(item.get("id") == review_id for item in session.get("agenda") or []):
            sessions.append(session)
    return sessions


def _members_present(sessions: list[dict[str, Any]], chosen: str | None) -> list[dict[str, Any]]:
    """The members a vote may recuse: those present at the chosen session, or,
    none chosen yet, at any session whose agenda holds the review."""
    among = [s for s in sessions if s["id"] == chosen] or sessions
    people: dict[str, dict[str, Any]] = {}
    for session in among:
        for person in session.get("attendance") or []:
            people.setdefault(person.get("id") or person["fullname"], person)
    return sorted(people.values(), key=lambda p: name_key(p["fullname"]))


def vote_from_form(data: dict[str, Any]) -> dict[str, Any]:
    recused = data.get("recused") or []
    if isinstance(recused, str):  # one checkbox checked: a string
        recused = [recused]
    vote: dict[str, Any] = {"session": _text(data.get("session")), "recused": recused}
    for key in VOTE_FIELDS:
        vote[key] = _text(data.get(key))
    if not vote["votes_proxies"]:  # left empty: the session's proxies (the action's default)
        del vote["votes_proxies"]
    return vote


@cdm_opinion.route("/cdm/opinions/draft/<id>/publish", methods=["GET", "POST"])
def publish(id: str) -> Any:
    opinion = _opinion(id)
    if opinion["state"] != "draft":  # the real reason, and where to read it
        tk.h.flash_notice(
            tk._("Opinion {number} is already published.").format(number=opinion["number"])
        )
        return tk.redirect_to("cdm_opinion.read", number=opinion["number"])
    if "publish" not in opinion["allowed_actions"]:
        tk.abort(403, tk._("You are not allowed to publish this opinion"))
    vote: dict[str, Any] = {"recused": []}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        vote = vote_from_form(form_data())
        published, errors = _submit(
            "cdm_opinion_publish",
            {**vote, "id": opinion["id"]},
            tk._("You are not allowed to publish this opinion"),
        )
        if published is not None:
            tk.h.flash_success(
                tk._("Opinion {number} published.").format(number=published["number"])
            )
            return tk.redirect_to("cdm_opinion.read", number=published["number"])
    labels = {
        "session": tk._("Session"),
        "quorum": tk._("Quorum"),
        "votes": tk._("Vote"),
        "votes_for": tk._("For"),
        "votes_against": tk._("Against"),
        "votes_abstain": tk._("Abstention"),
        "votes_not_voting": tk._("Not voting"),
        "votes_proxies": tk._("Of which proxies"),
        "recused": tk._("Members recused"),
    }
    # a vote comes from a session held; those to come are named, not offered
    on_agenda = _sessions_for(opinion["review_id"])
    sessions = [session for session in on_agenda if session.get("held")]
    upcoming = [session for session in on_agenda if not session.get("held")]
    members = _members_present(sessions, vote.get("session"))
    # the members who declared a conflict on the dataset (the review's, as the
    # committee reads it): marked, and ticked when the form is first shown
    review = action("cdm_review_show", {"id": opinion["review_id"]})
    conflicted = {c["user_id"] for c in review.get("conflicts") or []}
    if tk.request.method != "POST":
        vote["recused"] = [m.get("name") or m["id"] for m in members if m.get("id") in conflicted]
    return tk.render(
        "cdm/opinion/publish.html",
        {
            "opinion": opinion,
            "sessions": sessions,
            "upcoming": upcoming,
            "upcoming_dates": forms.and_list([tk.h.cdm_datetime(s["starts_at"]) for s in upcoming]),
            "members": members,
            "conflicted": conflicted,
            "vote": vote,
            "errors": errors,
            "error_list": tk.h.cdm_error_list(
                errors,
                {
                    key: ("field-session" if key == "quorum" else f"field-{key}", label)
                    for key, label in labels.items()
                },
            ),
        },
    )


# The permanent public page


def _withheld(ref: str) -> dict[str, Any] | None:
    """The published opinion numbered ``ref`` as the register lists it to a
    reader who may not see its dataset (number and date only), if any."""
    try:
        listed = action("cdm_opinion_list", {"number": ref, "withheld": True, "limit": 1})
    except (tk.ValidationError, tk.NotAuthorized):
        return None
    found = listed["results"][0] if listed["results"] else None
    return found if found and found.get("withheld") else None


@cdm_opinion.route("/cdm/opinions/<number>")
def read(number: str) -> Any:
    if usable_id(number) is not None and not may("cdm_opinion_show", {"id": number}):
        withheld = _withheld(number)
        if withheld is not None:
            return tk.render("cdm/opinion/withheld.html", {"opinion": withheld})
    opinion = _opinion(number)
    if opinion["state"] == "draft":
        return _draft(opinion)
    charter = _charter((opinion.get("charter") or {}).get("id") or opinion.get("charter_id"))
    session = opinion.get("session") or {}
    return tk.render(
        "cdm/opinion/read.html",
        {
            "opinion": opinion,
            "fields": opinion_schema.fields(),
            "confidential": opinion_schema.confidential_names(),
            "data": {**opinion, "cdm_charter": charter},
            "charter": charter,
            "session": session,
            "session_url": _session_url(session.get("id")),
            "stale": _stale(opinion),
        },
    )


@cdm_opinion.route("/cdm/opinions/<number>/correct", methods=["GET", "POST"])
def correct(number: str) -> Any:
    """A correction: a new draft that will supersede the opinion once published."""
    opinion = _opinion(number)
    if opinion["state"] != "published" or "correct" not in opinion["allowed_actions"]:
        tk.abort(403, tk._("You are not allowed to correct this opinion"))
    data: dict[str, Any] = opinion
    errors: dict[str, list[str]] = {}
    reason = ""
    if tk.request.method == "POST":
        posted = form_data()
        reason = _text(posted.get("reason"))
        data = opinion_from_form(posted)
        draft, errors = _submit(
            "cdm_opinion_correct",
            {**data, "id": opinion["id"], "reason": reason},
            tk._("You are not allowed to correct this opinion"),
        )
        if draft is not None:
            tk.h.flash_success(tk._("Correction saved as a draft: publish it with the vote."))
            return _draft(draft)
    return _render_form(
        "cdm/opinion/correct.html",
        {
            "opinion": opinion,
            "charter": _charter((opinion.get("charter") or {}).get("id")),
            "data": data,
            "errors": errors,
            "reason": reason,
            "labels": {"reason": tk._("Reason for the correction")},
        },
    )


# Self-referral (auto-saisine)


@cdm_opinion.route("/dataset/<id>/ethics/self-referral", methods=["GET", "POST"])
def self_referral(id: str) -> Any:
    """The president opens a review of the dataset on the committee's initiative:
    a page asks for confirmation (it works without JavaScript)."""
    pkg_dict = _dataset(id)
    if not may("cdm_review_open", {"dataset": pkg_dict["id"]}):
        tk.abort(403, tk._("Only the president of the committee can refer a dataset"))
    message = ""
    error = ""
    if tk.request.method == "POST":
        message = _text(form_data().get("message"))
        try:
            action("cdm_review_open", {"dataset": pkg_dict["id"], "message": message or None})
        except tk.NotAuthorized:
            tk.abort(403, tk._("Only the president of the committee can refer a dataset"))
        except tk.ValidationError as refused:
            error = forms.error_summary(refused.error_dict)
        else:
            tk.h.flash_success(
                tk._("The committee has taken up the dataset on its own initiative.")
            )
            return tk.redirect_to("cdm_review.dataset_ethics", id=pkg_dict["name"])
    return tk.render(
        "cdm/opinion/self_referral.html",
        {"pkg_dict": pkg_dict, "message": message, "error": error},
    )
