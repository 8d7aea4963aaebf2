"""How a badge looks: its words, its one-line explanation, its icon and the
embed snippets, from the public ``cdm`` summary of a dataset (``pkg_dict["cdm"]``,
put there by ``package_show`` and the search index), and that summary itself,
in the reader's language (:func:`summary`, :func:`localized`). Nothing here
decides a badge: ``badges.py`` does."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ckan.plugins import toolkit as tk
from markupsafe import escape

from ckanext.cdm import badges, dates, labels
from ckanext.cdm.request_memo import request_memo

# Font Awesome 6 icons shipped with CKAN 2.12 (a shape per code: never colour alone)
ICONS = {
    "compliant": "circle-check",
    "compliant_with_reservations": "circle-exclamation",
    "non_compliant": "circle-xmark",
    "outdated": "clock-rotate-left",
    "under_review": "hourglass-half",
    "not_reviewed": "circle-minus",
}
# background of the right half of the SVG badge (the text says the meaning)
COLOURS = {
    "compliant": "#1e7b34",
    "compliant_with_reservations": "#8a5a00",
    "non_compliant": "#b42318",
    "outdated": "#5d6470",
    "under_review": "#1d4ed8",
    "not_reviewed": "#5d6470",
}


def meaning(code: str) -> str:
    """What a badge means in general, for the page that explains them (a
    dataset's own explanation, with its opinion, is ``cdm["explanation"]``)."""
    texts = {
        "compliant": tk._("The committee found this dataset compliant with the charter."),
        "compliant_with_reservations": tk._(
            "The committee found this dataset compliant with the charter, with reservations."
        ),
        "non_compliant": tk._("The committee found this dataset not compliant with the charter."),
        "outdated": tk._(
            "The committee's opinion is out of date: too old, its charter version"
            " superseded, or the dataset changed since."
        ),
        "under_review": tk._("The committee is examining this dataset."),
        "not_reviewed": tk._("The committee has not examined this dataset."),
    }
    return texts.get(code, "")


def how_earned(code: str) -> str:
    """How a dataset earns the badge, for the page that explains them."""
    texts = {
        "compliant": tk._(
            "The latest published opinion of the committee on the dataset is favourable,"
            " and it is still valid."
        ),
        "compliant_with_reservations": tk._(
            "The latest published opinion is favourable with reservations, and it is"
            " still valid: read the reservations in the opinion."
        ),
        "non_compliant": tk._(
            "The latest published opinion is unfavourable, and it is still valid."
        ),
        "outdated": tk._(
            "The latest opinion has gone stale: it is older than the validity of"
            " opinions, the charter version it applied has been superseded, or an"
            " ethics-relevant field of the dataset changed after it. A new review"
            " brings the badge back."
        ),
        "under_review": tk._(
            "The dataset has no valid opinion and its review is open: submitted by"
            " its steward or opened by the committee."
        ),
        "not_reviewed": tk._("The dataset has never been reviewed, or its review was withdrawn."),
    }
    return texts.get(code, "")


# The public summary, in the reader's language


def summary(badge: badges.Badge) -> dict[str, Any]:
    """The public ``cdm`` summary of a dataset (public values only)."""
    opinion = None
    if badge.opinion_number is not None:
        opinion = {
            "number": badge.opinion_number,
            "date": badge.opinion_date.isoformat() if badge.opinion_date else None,
            "url": _opinion_url(badge.opinion_number),
        }
    return localized(
        {
            "badge": badge.code,
            "stale_because": badge.stale_because,
            "opinion": opinion,
            "charter_version": badge.charter_version,
            "reexamination": badge.reexamination,
        }
    )


def localized(
    cdm: dict[str, Any], memo: dict[tuple[Any, ...], str] | None = None
) -> dict[str, Any]:
    """``cdm`` with its ``label`` and ``explanation`` in the request's
    language (the summary stored in the search index was written in the
    language of whoever indexed it).

    ``memo`` keeps the translations and dates already looked up: the results
    of one search share it, so that each is translated once per search, not
    once per result (docs/performance.md)."""
    memo = {} if memo is None else memo
    label, explanation = words(cdm, memo)
    return {**cdm, "label": label, "explanation": explanation}


def words(cdm: dict[str, Any], memo: dict[tuple[Any, ...], Any]) -> tuple[str, str]:
    """(label, explanation) of the summary ``cdm`` in the request's language,
    looked up once per ``memo`` for each different summary."""
    opinion = cdm.get("opinion") or {}
    number, day = opinion.get("number"), opinion.get("date")
    key = (
        "words",
        cdm.get("badge"),
        cdm.get("stale_because"),
        number,
        day,
        cdm.get("charter_version"),
        bool(cdm.get("reexamination")),
    )
    found = memo.get(key)
    if found is None:
        if ("locale",) not in memo:
            memo[("locale",)] = _locale()
        shared = (memo[("locale",)], *key)
        found = _PROCESS_WORDS.get(shared)
        if found is None:
            code = key[1] or badges.NOT_REVIEWED
            found = _words(cdm, code, key[2], number, day, memo)
            if len(_PROCESS_WORDS) >= _PROCESS_WORDS_MAX:
                _PROCESS_WORDS.clear()
            _PROCESS_WORDS[shared] = found
        memo[key] = found
    return found


# The words of a summary in a language never change while the process runs
# (the catalogues are compiled and read at start): the API's searches, page
# after page, find them here (docs/performance.md). At most this many.
_PROCESS_WORDS: dict[tuple[Any, ...], tuple[str, str]] = {}
_PROCESS_WORDS_MAX = 20_000


def _locale() -> str:
    import flask
    import flask_babel

    return str(flask_babel.get_locale()) if flask.has_request_context() else ""


def _words(
    cdm: dict[str, Any],
    code: str,
    stale: str | None,
    number: str | None,
    day: str | None,
    memo: dict[tuple[Any, ...], Any],
) -> tuple[str, str]:
    """(label, explanation) of a summary, each sentence looked up once per memo."""

    def once(key: tuple[Any, ...], compute: Any) -> str:
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    template = once(
        ("explanation", code, stale, bool(number)),
        lambda: labels.badge_explanation_template(code, stale, bool(number)),
    )
    explanation = template.format(
        number=number or "",
        date=_date(day) or "",
        version=cdm.get("charter_version") or "",
    )
    if cdm.get("reexamination"):
        explanation = "{} {}".format(
            explanation, once(("reexamination",), labels.reexamination_note)
        )
    return once(("label", code), lambda: labels.badge_label(code)), explanation


def _date(value: str | None) -> str | None:
    """The date in the words of the request's language (ISO outside a request)."""
    import flask

    if not value or not flask.has_app_context():
        return value
    return dates.in_words(value)


def _opinion_url(number: str) -> str:
    """The opinion's address in the summary that the API and the search index
    keep: language-neutral (whoever indexed it, in whatever language). A page
    links to the opinion in its own language (:func:`present`)."""
    try:
        return tk.url_for("cdm_opinion.read", number=number, locale="default")
    except RuntimeError:  # no application context
        return f"/cdm/opinions/{number}"


_NUMBER = "0000-000"


def _opinion_page(number: str, memo: dict[tuple[Any, ...], str] | None = None) -> str:
    """The opinion's page in the language of the page being rendered. With a
    request's ``memo``, the route is built once per page and each number put
    in its place (a search page links 20 opinions; an opinion number is
    ``YYYY-NNN``, which a URL carries as it is)."""
    try:
        if memo is None:
            return tk.h.url_for("cdm_opinion.read", number=number)
        if ("opinion_page",) not in memo:
            memo[("opinion_page",)] = tk.h.url_for("cdm_opinion.read", number=_NUMBER)
    except RuntimeError:  # no application context
        return f"/cdm/opinions/{number}"
    return memo[("opinion_page",)].replace(_NUMBER, number, 1)


# What a template shows


def _request_memo() -> dict[tuple[Any, ...], str]:
    """Translations already made during this request (a search page shows
    many badges: each sentence is translated once for the page)."""
    return request_memo("cdm_badge_memo")


def present(cdm: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a template shows of the summary ``cdm``; labels in the request's language."""
    if not cdm or not cdm.get("badge"):
        return None
    memo = _request_memo()
    cdm = localized(cdm, memo)
    code = cdm["badge"]
    opinion = cdm.get("opinion") or None
    if ("name",) not in memo:
        memo[("name",)] = tk._("Committee opinion: {label}")
    return {
        "code": code,
        # the accessible name, « Avis du comité : Conforme à la Charte »
        "name": memo[("name",)].format(label=cdm["label"]),
        "name_prefix": memo[("name",)].format(label=""),
        "label": cdm["label"],
        "explanation": cdm["explanation"],
        "icon": ICONS.get(code, "circle-question"),
        "opinion": opinion,
        # built at render time, in the page's language (the stored ``url`` is neutral)
        "opinion_url": opinion and _opinion_page(opinion["number"], memo),
        "charter_version": cdm.get("charter_version"),
        "reexamination": bool(cdm.get("reexamination")),
    }


_URL = "/cdm-opinion-url"


def compact_html(cdm: dict[str, Any] | None) -> Any:
    """The compact badge (``cdm/macros/badge.html``) of the summary ``cdm``:
    rendered once per request for each kind of badge (its code, whether it
    has an opinion, whether a re-examination is open), then given each
    result's opinion number and link."""
    from markupsafe import Markup, escape

    if not cdm or not cdm.get("badge"):
        return Markup("")
    opinion = cdm.get("opinion") or {}
    number = opinion.get("number")
    memo = _request_memo()
    key = ("compact", cdm["badge"], bool(number), bool(cdm.get("reexamination")))
    if key not in memo:
        shown = present({**cdm, "opinion": {**opinion, "number": _NUMBER} if number else None})
        if shown and number:
            shown["opinion_url"] = _URL
        memo[key] = str(_macro("badge")(shown, compact=True))
    html = memo[key]
    if number:
        html = html.replace(_URL, str(escape(_opinion_page(number, memo)))).replace(
            _NUMBER, str(escape(number))
        )
    return Markup(html)


def _macro(name: str) -> Any:
    import flask

    template = flask.current_app.jinja_env.get_template("cdm/macros/badge.html")
    return getattr(template.module, name)


def cdm_of(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's ``cdm`` summary as package_show and the index give it
    (``badges.py``): never a query."""
    return pkg_dict.get("cdm")


def committee_label() -> str:
    return tk._("Committee opinion")


def _text_width(text: str) -> int:
    """An estimate of the width of ``text`` in 11px Verdana (shields' font)."""
    return 10 + sum(7 if c.isupper() or c in "mwMW" else 6 for c in text)


def svg(cdm: dict[str, Any], lang: str) -> str:
    """A shields-style badge: « Avis du comité | Conforme à la Charte »."""
    code = cdm.get("badge") or "not_reviewed"
    left, right = committee_label(), labels.badge_label(code)
    lw, rw = _text_width(left), _text_width(right)
    width = lw + rw
    title = tk._("Committee opinion: {label}").format(label=right)
    colour = COLOURS.get(code, "#5d6470")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" lang="{lang}"'
        f' role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"'
        ' text-anchor="middle">'
        f'<text x="{lw / 2}" y="14">{escape(left)}</text>'
        f'<text x="{lw + rw / 2}" y="14">{escape(right)}</text>'
        "</g></svg>"
    )


def etag(body: str | bytes) -> str:
    data = body.encode() if isinstance(body, str) else body
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def json_body(cdm: dict[str, Any]) -> str:
    return json.dumps(cdm, ensure_ascii=False, sort_keys=True)


def embed_snippets(pkg_dict: dict[str, Any]) -> dict[str, str]:
    """The HTML and Markdown a publisher pastes to show the dataset's badge, and
    the image's address (a preview). The badge speaks the language of the page
    the snippet was copied from (``?lang=``): without it, another site would
    get the portal's default language whatever the publisher read."""
    site = tk.config.get("ckan.site_url").rstrip("/")
    lang = tk.h.lang() or "fr"
    image = f"{site}/cdm/badge/{pkg_dict['name']}.svg?lang={lang}"
    page = f"{site}/dataset/{pkg_dict['name']}"
    alt = committee_label()
    return {
        "image": image,
        "html": f'<a href="{page}"><img src="{escape(image)}" alt="{escape(alt)}"></a>',
        "markdown": f"[![{alt}]({image})]({page})",
    }
