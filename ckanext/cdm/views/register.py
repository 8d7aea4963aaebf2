"""The register of the committee's opinions (*registre des avis*): every
published opinion the reader may see, searchable and filterable, with CSV and
JSON exports of the same list and an Atom feed of the newest opinions.

Every output calls ``cdm_opinion_list`` as the reader, with ``withheld``: an
opinion on a dataset the reader may not see (private, or deleted while
private) is a row that gives its number and its date only, and says that it
is about a non-public dataset (no title, organization, verdict or text), so
that a gap in the numbers is not read as a hidden opinion; the filters on
what such an opinion hides leave it out. The exports carry the public
columns listed in ``COLUMNS`` only (never a confidential field of the
opinion schema, whoever asks).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

import sqlalchemy as sa
from ckan import model
from ckan.lib.helpers import Page
from ckan.plugins import toolkit as tk
from flask import Blueprint, Response, stream_with_context

from ckanext.cdm import config, forms, opinion_schema, spreadsheet
from ckanext.cdm.logic import opinion_export
from ckanext.cdm.model import base
from ckanext.cdm.views._base import action, context, for_this_reader

cdm_register = Blueprint("cdm_register", __name__)

FILTERS = ("q", "verdict", "year", "organization", "principle", "assessment")
EXPORT_MAX = 5_000  # rows of an export (the API pages through more)
FEED_SIZE = 20
ATOM = "http://www.w3.org/2005/Atom"
# the columns of the exports, in this order (the CSV header row)
COLUMNS = (
    "number",
    "url",
    "published_at",
    "verdict",
    "verdict_label",
    "dataset_title",
    "dataset_name",
    "dataset_url",
    "organization",
    "summary",
    "supersedes",
    "superseded_by",
    "withheld",
)


def _filters() -> dict[str, str]:
    """The filters of the request's query string (empty ones dropped)."""
    args = tk.request.args
    return {key: args.get(key, "").strip() for key in FILTERS if args.get(key, "").strip()}


def _field_labels() -> dict[str, str]:
    """The words of the register's form for each filter of ``cdm_opinion_list``
    (``offset`` and ``limit`` come from the page number)."""
    return {
        "q": tk._("Words"),
        "verdict": tk._("Verdict"),
        "year": tk._("Year of publication"),
        "organization": tk._("Organization"),
        "principle": tk._("Principle"),
        "assessment": tk._("Assessed as"),
        "offset": tk._("Page"),
        "limit": tk._("Page"),
    }


def refused(errors: dict[str, Any]) -> str:
    """The messages of a refused filter, each after the name of its field
    as the form shows it (« Année de publication : … »)."""
    names = _field_labels()
    return " ".join(
        tk._("{field}: {message}").format(
            field=names.get(key, key), message=forms.error_summary({key: messages})
        )
        for key, messages in errors.items()
        if messages
    )


def _list(filters: dict[str, str], limit: int, offset: int = 0) -> dict[str, Any]:
    """``cdm_opinion_list`` as the reader; a refused filter is a 400 page
    naming it."""
    try:
        return action(
            "cdm_opinion_list", {**filters, "withheld": True, "limit": limit, "offset": offset}
        )
    except tk.ValidationError as error:
        tk.abort(400, refused(error.error_dict))
        raise  # unreachable: abort raises


def _export(filters: dict[str, str]) -> opinion_export.Export:
    """The export of the filtered list (``EXPORT_MAX`` rows at most), checked
    now: a refused filter is a 400 page naming it, before anything is sent."""
    try:
        return opinion_export.prepare(context(), {**filters, "withheld": True}, EXPORT_MAX)
    except tk.ValidationError as error:
        tk.abort(400, refused(error.error_dict))
        raise  # unreachable: abort raises


def _organizations() -> list[dict[str, str]]:
    """The active organizations (public in CKAN), by title: the filter's
    choices and the table's names. One query: ``organization_list`` gives
    titles 25 at a time only."""
    query = sa.select(model.Group.id, model.Group.name, model.Group.title).where(
        model.Group.is_organization.is_(True), model.Group.state == "active"
    )
    organizations = [
        {"id": id_, "name": name, "title": title or name}
        for id_, name, title in model.Session.execute(query)
    ]
    return sorted(organizations, key=lambda o: o["title"].lower())


def _choices(field_name: str) -> list[tuple[str, str]]:
    """(value, label in the reader's language) of a choice field of the opinion schema."""
    language = tk.h.lang() or "fr"
    return [
        (value, opinion_schema.choice_label(field_name, value, language))
        for value in opinion_schema.choices(field_name)
    ]


def _principles() -> list[dict[str, str]]:
    """The principles of the adopted charter: code and title."""
    try:
        charter = action("cdm_charter_show", {})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return []
    return [
        {"code": p["code"], "title": tk.h.scheming_language_text(p["title"])}
        for p in charter.get("principles", [])
    ]


def _org_names() -> dict[str, str]:
    return {o["id"]: o["title"] for o in _organizations()}


def _url(endpoint: str, **params: Any) -> str:
    return tk.h.url_for(endpoint, _external=True, **params)


def withheld_text() -> str:
    """What the register says of an opinion on a dataset the reader may not see."""
    return tk._("about a non-public dataset")


def row(opinion: dict[str, Any], organizations: dict[str, str]) -> dict[str, Any]:
    """An opinion as the exports give it: public columns only; of a withheld
    opinion (``cdm_opinion_list``'s ``withheld``), its number, address and
    date only."""
    if opinion.get("withheld"):
        return {
            **dict.fromkeys(COLUMNS),
            "number": opinion["number"],
            "url": _url("cdm_opinion.read", number=opinion["number"]),
            "published_at": opinion.get("published_at"),
            "withheld": True,
        }
    dataset_url = (
        _url("dataset.read", id=opinion["package_id"]) if opinion.get("dataset_exists") else None
    )
    return {
        "number": opinion["number"],
        "url": _url("cdm_opinion.read", number=opinion["number"]),
        "published_at": opinion.get("published_at"),
        "verdict": opinion.get("verdict"),
        "verdict_label": tk.h.cdm_verdict_label(opinion.get("verdict")),
        "dataset_title": opinion.get("dataset_title"),
        "dataset_name": opinion.get("dataset_name"),
        "dataset_url": dataset_url,
        "organization": organizations.get(opinion.get("organization_id") or ""),
        "summary": opinion.get("summary") or "",
        "supersedes": (opinion.get("supersedes") or {}).get("number"),
        "superseded_by": (opinion.get("superseded_by") or {}).get("number"),
        "withheld": False,
    }


# The page


@cdm_register.route("/cdm/opinions")
def index() -> str:
    filters = _filters()
    page_number = max(tk.h.get_page_number(tk.request.args), 1)
    size = config.page_size()
    listed = _list(filters, size, (page_number - 1) * size)

    def url(page: int = 1, **_: Any) -> str:
        return tk.h.url_for("cdm_register.index", page=page, **filters)

    pager = Page(
        collection=listed["results"],
        page=page_number,
        item_count=listed["count"],
        items_per_page=size,
        presliced_list=True,
        url=url,
    )
    organizations = _organizations()
    return tk.render(
        "cdm/opinion/register.html",
        {
            "filters": filters,
            "listed": listed,
            "page": pager,
            "organizations": organizations,
            "organization_names": {o["id"]: o["title"] for o in organizations},
            "principles": _principles(),
            "verdicts": _choices("verdict"),
            "statuses": _choices("assessments"),
        },
    )


# The exports


def _csv(excel: bool) -> Response:
    """The CSV, streamed: written a row at a time as the opinions are read."""
    for_this_reader()
    organizations = _org_names()
    export = _export(_filters())

    def lines() -> Iterator[bytes]:
        rows = (row(opinion, organizations) for opinion in opinion_export.rows(export))
        cells = ([values[key] for key in COLUMNS] for values in rows)
        for line in spreadsheet.csv_lines(COLUMNS, cells, excel=excel):
            yield line.encode("utf-8")

    name = "avis-cdm-excel.csv" if excel else "avis-cdm.csv"
    return Response(
        stream_with_context(lines()),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@cdm_register.route("/cdm/opinions.csv")
def export_csv() -> Response:
    """The filtered list as CSV: a header row (``COLUMNS``), UTF-8 with a byte
    order mark (so that spreadsheets read the accents), comma-separated."""
    return _csv(excel=False)


@cdm_register.route("/cdm/opinions-excel.csv")
def export_excel_csv() -> Response:
    """The same « for Excel »: semicolons between cells (a spreadsheet set to
    French reads the comma as its decimal mark)."""
    return _csv(excel=True)


@cdm_register.route("/cdm/opinions.json")
def export_json() -> Response:
    """The filtered list as JSON, streamed: ``{"results": [row, …], "count":
    n}`` (the count last: the rows are counted as they are sent)."""
    for_this_reader()
    organizations = _org_names()
    export = _export(_filters())

    def parts() -> Iterator[bytes]:
        yield b'{"results": ['
        count = 0
        for opinion in opinion_export.rows(export):
            separator = ", " if count else ""
            text = json.dumps(row(opinion, organizations), ensure_ascii=False)
            yield (separator + text).encode("utf-8")
            count += 1
        yield f'], "count": {count}}}'.encode()

    return Response(stream_with_context(parts()), content_type="application/json; charset=utf-8")


# The Atom feed


def _atom_date(value: str | None) -> str:
    moment = dt.datetime.fromisoformat(value) if value else base.utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# characters XML 1.0 does not allow (ElementTree writes them as they are,
# and the feed is then not well-formed): C0 controls but tab and newlines,
# surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document may not contain."""
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(opinions: list[dict[str, Any]], organizations: dict[str, str]) -> bytes:
    """An Atom 1.0 feed of ``opinions`` (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    feed.set("xml:lang", tk.h.lang() or "fr")
    _sub(
        feed, "title", tk._("Opinions of the {committee}").format(committee=config.committee_name())
    )
    _sub(feed, "id", _url("cdm_register.atom"))
    _sub(feed, "link", rel="self", href=_url("cdm_register.atom"), type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=_url("cdm_register.index"), type="text/html")
    _sub(feed, "updated", _atom_date(opinions[0]["published_at"] if opinions else None))
    author = _sub(feed, "author")
    _sub(author, "name", config.committee_name())
    for opinion in opinions:
        values = row(opinion, organizations)
        entry = _sub(feed, "entry")
        title = tk._("Opinion {number}: {title}").format(
            number=values["number"],
            title=withheld_text() if values["withheld"] else values["dataset_title"],
        )
        _sub(entry, "title", title)
        _sub(entry, "id", values["url"])
        _sub(entry, "link", rel="alternate", href=values["url"], type="text/html")
        _sub(entry, "updated", _atom_date(values["published_at"]))
        _sub(entry, "published", _atom_date(values["published_at"]))
        if values["withheld"]:
            summary = tk._("This opinion is about a non-public dataset.")
        else:
            summary = f"{values['verdict_label']}. {values['summary']}".strip()
        _sub(entry, "summary", summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@cdm_register.route("/cdm/opinions.atom")
def atom() -> Response:
    """The newest published opinions (the register's filters apply)."""
    for_this_reader()
    opinions = _list(_filters(), FEED_SIZE)["results"]
    return Response(
        atom_feed(opinions, _org_names()), content_type="application/atom+xml; charset=utf-8"
    )
