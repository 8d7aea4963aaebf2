"""The annual report as files: JSON, CSV (one figure a row) and a standalone
HTML document. Used by ``ckan cdm report``; the pages of the report (next)
offer the same downloads."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup, escape

CSV_COLUMNS = ("year", "scope", "section", "item", "measure", "value")


def as_json(result: dict[str, Any]) -> str:
    """``cdm_report_show``'s answer, without what the reader may do."""
    data = {key: value for key, value in result.items() if key != "allowed_actions"}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def rows(figures: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """Every figure as (section, item, measure, value)."""
    for measure, value in figures["reviews"].items():
        yield "reviews", "", measure, value
    opinions = figures["opinions"]
    yield "opinions", "", "published", opinions["published"]
    yield "opinions", "", "corrections", opinions["corrections"]
    for verdict, value in opinions["by_verdict"].items():
        yield "opinions_by_verdict", verdict, "opinions", value
    for principle in figures["principles"]:
        for status in ("compliant", "partially_compliant", "non_compliant", "not_applicable"):
            yield "principles", principle["code"], status, principle[status]
    for organization in figures["organizations"]:
        item = organization["name"] or ""
        yield "organizations", item, "reviews_received", organization["reviews_received"]
        yield "organizations", item, "opinions", organization["opinions"]
        for verdict, value in organization["by_verdict"].items():
            yield "organizations", item, verdict, value
    for measure, value in figures["delays"].items():
        yield "delays", "", measure, value
    for measure, value in figures["sessions"].items():
        yield "sessions", "", measure, value
    badges = figures["badges"]
    yield "badges", "", "as_of", badges["as_of"]
    yield "badges", "", "datasets", badges["datasets"]
    for code, value in badges["by_code"].items():
        yield "badges", code, "datasets", value
    for reason, value in badges["stale"].items():
        yield "stale_opinions", reason, "datasets", value


def as_csv(figures: dict[str, Any]) -> str:
    """UTF-8 text with a byte order mark, comma-separated, a header row; no
    cell a spreadsheet would run as a formula (as the register's CSV)."""
    from ckanext.cdm.views.register import inert

    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for section, item, measure, value in rows(figures):
        cells = (figures["year"], figures["scope"], section, item, measure, value)
        writer.writerow([inert("" if cell is None else cell) for cell in cells])
    return out.getvalue()


def _markdown(text: str) -> Markup:
    from ckan.lib.helpers import render_markdown

    return Markup(render_markdown(text or ""))


def _table(caption: str, header: list[str], body: list[list[Any]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    lines = "".join(
        "<tr>" + "".join(f"<td>{escape('' if c is None else c)}</td>" for c in row) + "</tr>"
        for row in body
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{lines}</tbody></table>"
    )


def as_html(result: dict[str, Any], lang: str = "fr") -> str:
    """A simple standalone HTML document: the text, then the figures as tables."""
    from ckan.plugins import toolkit as tk

    from ckanext.cdm import report_display

    figures = result["figures"]
    report = result.get("report") or {}
    title = tk._("Annual evaluation report {year}").format(year=result["year"])
    parts = [f"<h1>{escape(title)}</h1>"]
    if report.get("state") == "draft":
        parts.append(f"<p><strong>{escape(tk._('Draft report'))}</strong></p>")
    for section, heading in report_display.sections():
        if report.get(section):
            parts.append(f"<h2>{escape(heading)}</h2>{_markdown(report[section])}")
    parts.append(f"<h2>{escape(tk._('Figures'))}</h2>")
    by_section: dict[str, list[list[Any]]] = {}
    for section, item, measure, value in rows(figures):
        by_section.setdefault(section, []).append([item, measure, value])
    for section, body in by_section.items():
        parts.append(_table(section, [tk._("Item"), tk._("Measure"), tk._("Value")], body))
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "table{border-collapse:collapse;margin:1em 0}"
        "th,td{border:1px solid #666;padding:.2em .5em;text-align:left}"
        "caption{font-weight:bold;text-align:left}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{style}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )
