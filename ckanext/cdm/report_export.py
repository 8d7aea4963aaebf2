"""The annual report as files: JSON, CSV (one figure a row; also « for
Excel », with semicolons and a decimal comma) and a standalone HTML
document. Used by ``ckan cdm report``; the report's pages offer the JSON and
CSV downloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

CSV_COLUMNS = ("year", "scope", "section", "item", "measure", "value")


def as_json(result: dict[str, Any]) -> str:
    """``cdm_report_show``'s answer, without what the reader may do."""
    reader_only = ("allowed_actions", "refused_actions")
    data = {key: value for key, value in result.items() if key not in reader_only}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def rows(figures: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """Every figure as (section, item, measure, value), always in the same
    order (``figures.py``'s), whether the figures are live or a snapshot."""
    from ckanext.cdm import badges
    from ckanext.cdm import figures as f

    for measure in f.REVIEW_MEASURES:
        yield "reviews", "", measure, figures["reviews"][measure]
    opinions = figures["opinions"]
    yield "opinions", "", "published", opinions["published"]
    yield "opinions", "", "corrections", opinions["corrections"]
    if "non_public" in opinions:  # not in the snapshots of reports published before it
        yield "opinions", "", "non_public", opinions["non_public"]
    for verdict in f.VERDICTS:
        yield "opinions_by_verdict", verdict, "opinions", opinions["by_verdict"][verdict]
    for principle in figures["principles"]:
        for status in f.STATUSES:
            yield "principles", principle["code"], status, principle[status]
    for organization in figures["organizations"]:
        item = organization["name"] or ""
        yield "organizations", item, "reviews_received", organization["reviews_received"]
        yield "organizations", item, "opinions", organization["opinions"]
        for verdict in f.VERDICTS:
            yield "organizations", item, verdict, organization["by_verdict"][verdict]
    for measure in f.DELAY_MEASURES:
        yield "delays", "", measure, figures["delays"][measure]
    for measure in f.SESSION_MEASURES:
        yield "sessions", "", measure, figures["sessions"][measure]
    counted = figures["badges"]
    yield "badges", "", "as_of", counted["as_of"]
    yield "badges", "", "datasets", counted["datasets"]
    for code in badges.CODES:
        yield "badges", code, "datasets", counted["by_code"].get(code, 0)
    for reason in f.STALE_REASONS:
        yield "stale_opinions", reason, "datasets", counted["stale"][reason]


def as_csv(figures: dict[str, Any], excel: bool = False) -> str:
    """UTF-8 text with a byte order mark, comma-separated, a header row; no
    cell a spreadsheet would run as a formula (as the register's CSV);
    ``excel``: semicolons between cells and a decimal comma (``2,5``)."""
    from ckanext.cdm import spreadsheet

    return spreadsheet.csv_text(
        CSV_COLUMNS,
        (
            (figures["year"], figures["scope"], section, item, measure, value)
            for section, item, measure, value in rows(figures)
        ),
        excel=excel,
    )


def as_html(result: dict[str, Any], lang: str = "fr") -> str:
    """A standalone HTML document (no script, no external file): the text
    and the figures with their charts and tables, as on the report's page
    (the same snippet, ``cdm/report/snippets/figures.html``)."""
    from ckan.plugins import toolkit as tk

    return tk.render(
        "cdm/report/document.html",
        {"result": result, "report": result.get("report"), "lang": lang},
    )
