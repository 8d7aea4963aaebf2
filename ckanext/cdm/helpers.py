"""Template helpers of ckanext-cdm (registered through the helpers blanket)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckan.plugins import toolkit as tk
from markupsafe import Markup, escape

from ckanext.cdm import authz, config, dates, forms, labels
from ckanext.cdm.request_memo import request_memo


def cdm_college_label(college: str) -> str:
    return labels.college_label(college)


def cdm_role_label(role: str, form_of_address: str | None = None) -> str:
    """The role of a seat, in the grammatical gender of its holder when known
    ("Présidente" for Madame)."""
    return labels.role_label(role, form_of_address)


def cdm_form_of_address_label(form_of_address: str) -> str:
    return labels.form_of_address_label(form_of_address)


def cdm_forms_of_address() -> tuple[str, ...]:
    return labels.FORMS_OF_ADDRESS


def cdm_charter_status_label(status: str) -> str:
    return labels.charter_status_label(status)


def cdm_colleges() -> list[dict[str, Any]]:
    """The colleges with their number of seats, in the deliberation's order."""
    return [
        {"name": c, "label": cdm_college_label(c), "seats": config.college_seats(c)}
        for c in config.COLLEGES
    ]


def cdm_charter_licence() -> dict[str, str]:
    """The open licence of the charter (``ckanext.cdm.charter_licence_*``)."""
    return config.charter_licence()


def cdm_can_manage_charter() -> bool:
    return authz.can_manage_charter(tk.current_user.name if tk.current_user else None)


def cdm_is_committee() -> bool:
    return authz.can_see_drafts(tk.current_user.name if tk.current_user else None)


def cdm_seats_by_college(seats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seats grouped by college, with the count of seats filled and free today.

    The president comes first in their college.
    """
    groups = []
    for college in cdm_colleges():
        members = [s for s in seats if s["college"] == college["name"]]
        members.sort(key=lambda s: (s["role"] != "president", not s["in_office"], s["fullname"]))
        filled = sum(1 for s in members if s["in_office"])
        groups.append(
            {
                **college,
                "members": members,
                "filled": filled,
                "free": max(college["seats"] - filled, 0),
            }
        )
    return groups


def cdm_president(seats: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((s for s in seats if s["role"] == "president" and s["in_office"]), None)


def cdm_review_state_label(state: str) -> str:
    return labels.review_state_label(state)


def cdm_answer_status_label(status: str) -> str:
    return labels.answer_status_label(status)


def cdm_answer_statuses() -> tuple[str, ...]:
    from ckanext.cdm.model.self_assessment import ANSWER_STATUSES

    return ANSWER_STATUSES


def cdm_waiting_days(review: dict[str, Any]) -> int:
    """Whole days since the review was last submitted."""
    submitted = dt.datetime.fromisoformat(review["last_submitted_at"])
    from ckanext.cdm.model.base import utcnow

    return (utcnow() - submitted).days


# Dates


def cdm_datetime(value: str | dt.date | None, with_hours: bool = False) -> str:
    """A date in the words of the page's language (``dates.in_words``)."""
    return dates.in_words(value, with_hours)


# The review workflow, as the pages show it


def cdm_principle_name(charter: dict[str, Any], code: str) -> str:
    """A principle as the steward reads it: its number and title ("3. Fairness")."""
    for number, principle in enumerate(charter["principles"], start=1):
        if principle["code"] == code:
            return tk._("{number}. {title}").format(
                number=number, title=tk.h.scheming_language_text(principle["title"])
            )
    return code


def cdm_progress(charter: dict[str, Any], answers: dict[str, Any]) -> dict[str, int]:
    """How many guiding questions of ``charter`` the self-assessment answers."""
    from ckanext.cdm.model.self_assessment import is_answered

    codes = [q["code"] for p in charter["principles"] for q in p["questions"]]
    answered = sum(1 for code in codes if is_answered(answers.get(code)))
    return {"answered": answered, "total": len(codes)}


def cdm_latest_request(review: dict[str, Any] | None) -> dict[str, Any] | None:
    """The committee's latest request for changes, while the steward has to answer it
    (and only for those who may read the exchanges: the message is empty otherwise)."""
    if not review or review.get("state") != "changes_requested":
        return None
    requests = [e for e in review.get("history", []) if e.get("to_state") == "changes_requested"]
    return requests[-1] if requests and requests[-1].get("message") else None


def cdm_reviews_awaiting_me() -> list[dict[str, Any]]:
    """Reviews waiting for the current user's changes: those they submitted, and those
    of the organizations whose datasets they may edit, sent back by the committee."""
    user = tk.current_user
    if not user or not user.is_authenticated:
        return []
    context = {"user": user.name}
    list_reviews = tk.get_action("cdm_review_list")
    waiting = {"state": "changes_requested", "limit": 100}
    found = {
        r["id"]: r for r in list_reviews(context, {**waiting, "submitted_by": user.name})["results"]
    }
    if not user.sysadmin:
        organizations = tk.get_action("organization_list_for_user")(
            context, {"id": user.id, "permission": "update_dataset"}
        )
        editable = {org["id"] for org in organizations}
        if editable:  # one list for all of them, not one per organization
            found.update(
                (r["id"], r)
                for r in list_reviews(context, waiting)["results"]
                if r["organization_id"] in editable
            )
    return sorted(found.values(), key=lambda r: r["last_submitted_at"])


def cdm_render_once(render: Any, *key: Any) -> Any:
    """``render()`` (a template block's ``super``), rendered once per request
    for ``key``: CKAN's ``page.html`` renders the side bar once to see whether
    it is empty, then again to show it."""
    rendered = request_memo("cdm_rendered")
    if key not in rendered:
        rendered[key] = render()
    return rendered[key]


def cdm_dataset_review(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The state of the dataset's current (else latest) review, as the current
    user may see it (``cdm_review_state_show``), or None. Asked once per
    request: CKAN renders a page's side bar twice (``page.html`` tests whether
    it is empty), and this is the dataset page's only committee query."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    memo = request_memo("cdm_review_states")
    key = (pkg_dict["id"], user)
    if key not in memo:
        try:
            memo[key] = tk.get_action("cdm_review_state_show")(
                {"user": user}, {"dataset": pkg_dict["id"]}
            )
        except (tk.ObjectNotFound, tk.NotAuthorized):
            memo[key] = None
    return memo[key]


# The home page


def cdm_home() -> dict[str, Any]:
    """What the home page presents: the charter in force and the committee."""
    context = {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}
    try:
        charter = tk.get_action("cdm_charter_show")(context, {})
    except tk.ObjectNotFound:
        charter = None
    seats = [s for s in tk.get_action("cdm_member_list")(context, {}) if s["in_office"]]
    return {
        "charter": charter,
        "seats": len(seats),
        "president": cdm_president(seats),
        "colleges": cdm_seats_by_college(seats),
    }


# Forms


def cdm_time(value: str | None) -> str:
    """The time of day of an ISO datetime ("18:00", ``dates.time_of_day``)."""
    return dates.time_of_day(value)


def cdm_field_attrs(field_id: str, error: Any, **extra: str) -> dict[str, str]:
    """Attributes of a form control: ``aria-invalid`` and ``aria-describedby`` its
    error message when it has one (CKAN's form macros take them as ``attrs``)."""
    attrs = {"class": "form-control", **extra}
    if error:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field_id}-error"
    return attrs


def cdm_error_list(
    errors: dict[str, Any], fields: dict[str, tuple[str, str]]
) -> list[dict[str, str]]:
    """The error summary of a form: one link per field in error.

    ``fields`` maps an error key to (id of the control, its label); keys not
    named there link to the form's top.
    """
    items = []
    for key, messages in errors.items():
        if key == "version" and isinstance(messages, list) and messages:
            # a stale save: its block (macros/versions.html) says who saved what
            items.append({"href": "#edit-conflict", "text": str(messages[0])})
            continue
        field_id, label = fields.get(key, ("", ""))
        text = forms.flat_message(messages)
        items.append(
            {
                "href": f"#{field_id}" if field_id else "#cdm-form",
                "text": tk._("{label}: {message}").format(label=label, message=text)
                if label
                else text,
            }
        )
    return items


def cdm_markdown_under(text: str | None, level: int) -> Any:
    """Markdown rendered by CKAN, its headings moved under a heading of
    ``level``: the text's highest heading becomes ``level + 1`` (at most 6),
    so that minutes written with ``#`` or ``##`` keep the page's outline."""
    import re

    html = str(tk.h.render_markdown(text or ""))
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
    if not levels:
        return Markup(html)
    shift = level + 1 - min(levels)

    def moved(match: re.Match) -> str:
        return f"<{match.group(1)}h{min(6, max(1, int(match.group(2)) + shift))}"

    return Markup(re.sub(r"<(/?)h([1-6])(?=[\s>])", moved, html))


def cdm_pager(page: Any, **params: Any) -> Any:
    """CKAN's pager (``page.pager(**params)``) with arrows that have a name.

    CKAN draws "previous" and "next" as bare icons: links without an
    accessible name (WCAG 2.4.4 and 4.1.2, axe's ``link-name``).
    """
    from dominate import tags

    def arrow(icon: str, text: str) -> Any:
        return tags.span(
            tags.i(cls=f"fa-solid {icon}", aria_hidden="true"),
            tags.span(text, cls="visually-hidden"),
        )

    return page.pager(
        symbol_previous=arrow("fa-chevron-left", tk._("Previous page")),
        symbol_next=arrow("fa-chevron-right", tk._("Next page")),
        **params,
    )


# Opinions


def cdm_verdict_label(verdict: str | None) -> str:
    """The verdict of an opinion in words, as the opinion schema labels it."""
    from ckanext.cdm import report_display

    return report_display.choice_label("verdict", verdict)


# Badges (presentation only: badge_display.py; the rules: badges.py)


def cdm_badge(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's badge as a template shows it, from ``pkg_dict["cdm"]``."""
    from ckanext.cdm import badge_display

    return badge_display.present(badge_display.cdm_of(pkg_dict))


def cdm_search_badge(pkg_dict: dict[str, Any]) -> Any:
    """The compact badge of a search result (``cdm/macros/badge.html``), from
    ``pkg_dict["cdm"]``. A page of results shows a handful of different
    badges: each is rendered once per request, and each result's opinion
    number and link put in its place (docs/performance.md)."""
    from ckanext.cdm import badge_display

    return badge_display.compact_html(badge_display.cdm_of(pkg_dict))


def cdm_facet_links(
    name: str,
    items: list[dict[str, Any]],
    extras: dict[str, Any] | None = None,
    alternative_url: str | None = None,
) -> list[str]:
    """The address of each item of a facet list (``facet_links.py``)."""
    from ckanext.cdm.facet_links import facet_links

    return facet_links(name, items, extras, alternative_url)


def cdm_badge_embed(pkg_dict: dict[str, Any]) -> dict[str, str]:
    from ckanext.cdm import badge_display

    return badge_display.embed_snippets(pkg_dict)


# The dataset page

# the fields that scheming's « Additional Info » leaves out (shown elsewhere on the page)
_NOT_ADDITIONAL = ("id", "title", "name", "notes", "tag_string", "license_id", "owner_org")


def cdm_additional_fields(schema: dict[str, Any], pkg_dict: dict[str, Any]) -> list[dict]:
    """The fields of the dataset's schema that « Additional Info » shows: those
    with a value. An empty « Legal basis (GDPR) » would read as a compliance gap."""
    return [
        field
        for field in schema.get("dataset_fields", [])
        if field["field_name"] not in _NOT_ADDITIONAL
        and field.get("display_snippet", "") is not None
        and pkg_dict.get(field["field_name"]) not in (None, "", [], {})
    ]


# Badges


def cdm_badge_label(code: str) -> str:
    """The name of a badge (``cdm_badge``), in the page's language."""
    from ckanext.cdm.labels import badge_label

    return badge_label(code)


# The annual report (presentation: report_display.py; the figures: figures.py)


def cdm_report_charts(figures: dict[str, Any]) -> dict[str, Any]:
    """The charts of a report page, as accessible SVG (``None``: nothing to draw)."""
    from ckanext.cdm import report_display

    return report_display.report_charts(figures)


def cdm_assessment_label(status: str) -> str:
    """An assessment of a principle in an opinion, in words."""
    from ckanext.cdm import report_display

    return report_display.choice_label("assessments", status)


def cdm_principle_label(principle: dict[str, Any]) -> str:
    """The title of a principle counted in the report's figures."""
    from ckanext.cdm import report_display

    return report_display.principle_name(principle)


def cdm_number(value: float | int | None) -> str:
    """A figure in the page's language (« 4,5 » in French), a dash for none."""
    from ckanext.cdm import report_display

    return report_display.number(value)


def cdm_report_sections() -> list[tuple[str, str]]:
    """The sections of the committee's text: (key, heading)."""
    from ckanext.cdm import report_display

    return report_display.sections()


def cdm_report_order() -> dict[str, tuple[str, ...]]:
    """The order of the figures' verdicts, assessments and badges on a page
    (a published report's snapshot keeps no key order)."""
    from ckanext.cdm import badges, figures

    return {"verdicts": figures.VERDICTS, "statuses": figures.STATUSES, "badges": badges.CODES}


def cdm_vote_sentence(opinion: dict[str, Any]) -> str:
    """The vote of a published opinion in one sentence (``opinion_display``)."""
    from ckanext.cdm import opinion_display

    return opinion_display.vote_sentence(opinion)


def cdm_signature(signatory: dict[str, Any] | None) -> str:
    """« Pour le Comité, la Présidente, <name> » (``opinion_display``)."""
    from ckanext.cdm import opinion_display

    return opinion_display.signature(signatory)


def cdm_page_numbers_css() -> str:
    """The CSS ``content`` of the printed page numbers, in the page's
    language: « "Page " counter(page) " sur " counter(pages) ». The
    translation's words become CSS strings (quotes and backslashes escaped,
    no markup possible), its placeholders the page counters."""
    import re

    text = tk._("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", text):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            escaped = re.sub(r'[\\"<>\n\r]', lambda m: f"\\{ord(m.group()):x} ", piece)
            parts.append(f'"{escaped}"')
    return " ".join(parts)


def cdm_error_page(code: Any, name: str | None, content: Any) -> dict[str, Any]:
    """The heading and text of CKAN's error page in the reader's language:
    « 403 Accès refusé » instead of werkzeug's "403 Forbidden", and a text of
    ours instead of werkzeug's English default description (a reason given by
    ``tk.abort(code, reason)`` is kept)."""
    import werkzeug.exceptions

    # CKAN gives [500] for an unexpected exception
    status = code[0] if isinstance(code, list | tuple) and code else code
    status = status if isinstance(status, int) else 500
    default = werkzeug.exceptions.default_exceptions.get(status)
    english = {"Internal server error", default.description if default else None}
    text = content if content and str(content) not in english else labels.http_status_text(status)
    return {
        "code": status,
        "heading": f"{status} {labels.http_status_label(status, name)}",
        "text": text,
    }


def cdm_with_names(message: str, **names: str) -> str:
    """A message with names in it, elided in French (« d’Aminata Diallo »)."""
    return labels.with_names(message, **names)


def cdm_committee_name() -> str:
    """The committee's name in the page's language (from the configuration)."""
    return config.committee_name()


def cdm_lang_attr(text: Any = None, field: dict[str, Any] | None = None) -> Any:
    """` lang="fr"` on an element holding people's text when the page is in
    another language (``config.content_language()``, or the scheming field's
    ``content_language``), nothing otherwise. A translated text (a dict by
    language) is marked only when it lacks the page's language and another
    is shown instead."""
    if text is None and field is None:
        return _page_lang_attr()
    page = tk.h.lang()
    if isinstance(text, dict):
        if text.get(page):
            return Markup("")
        shown = next((lang for lang in (config.content_language(), *text) if text.get(lang)), page)
    else:
        shown = (field or {}).get("content_language") or config.content_language()
    return Markup(f' lang="{escape(shown)}"') if shown != page else Markup("")


def _page_lang_attr() -> Any:
    """``cdm_lang_attr()`` of the page: the same for every element of a
    request (a search page asks it twice per result), so computed once."""
    memo = request_memo("cdm_page_lang")
    if "attr" not in memo:
        page, shown = tk.h.lang(), config.content_language()
        memo["attr"] = Markup(f' lang="{escape(shown)}"') if shown != page else Markup("")
    return memo["attr"]
