"""The annual report's figures as the pages show them: the charts, with
their text alternative, in the reader's language. The figures come from
``cdm_report_show`` (``figures.py``); the drawing is ``charts.py``; the
data tables are in the template (``cdm/report/snippets/figures.html``).
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from markupsafe import Markup

from ckanext.cdm import badges, charts
from ckanext.cdm.figures import STATUSES, VERDICTS
from ckanext.cdm.model.report import SECTIONS

# Colours of the assessments (white patterns on them; each ≥ 3:1 on white)
# and a pattern for two of them, so that the parts differ without colour.
STATUS_STYLE = {
    "compliant": ("#1e6b3a", None),
    "partially_compliant": ("#8a4b00", "stripes"),
    "non_compliant": ("#a4161a", "dots"),
    "not_applicable": ("#595959", None),
}


def sections() -> list[tuple[str, str]]:
    """The sections of the committee's text (``model/report.py``): (key, heading)."""
    headings = {
        "introduction": tk._("Introduction"),
        "notable_cases": tk._("Notable cases"),
        "recommendations": tk._("Recommendations"),
    }
    return [(key, headings[key]) for key in SECTIONS]


def choice_label(field_name: str, value: str | None) -> str:
    """A choice of the opinion schema (verdict, assessment) in words."""
    from ckanext.scheming.helpers import scheming_language_text

    from ckanext.cdm import opinion_schema

    field = next((f for f in opinion_schema.fields() if f["field_name"] == field_name), {})
    for choice in field.get("choices", []):
        if choice["value"] == value:
            return scheming_language_text(choice["label"])
    return value or ""


def number(value: float | int | None) -> str:
    """A figure in the page's language (« 4,5 » in French); a dash for none."""
    return "—" if value is None else tk.h.localised_number(value)


def principle_name(principle: dict[str, Any]) -> str:
    """The principle's title in the page's language (its code, an identifier,
    only when the charter no longer names it)."""
    from ckanext.scheming.helpers import scheming_language_text

    title = principle.get("title") or {}
    return (scheming_language_text(title) if title else "") or principle["code"]


def _said(pairs: list[tuple[str, Any]]) -> str:
    """« Favorable : 6 ; Défavorable : 2 » — every value of a chart in words."""
    separator = tk._("; ")
    return separator.join(
        tk._("{label}: {value}").format(label=label, value=number(value)) for label, value in pairs
    )


def _bars(id_: str, title: str, pairs: list[tuple[str, Any]]) -> Markup:
    """A bar chart of (label, value) pairs, described by every pair in words."""
    bars = [charts.Bar(label, value, number(value)) for label, value in pairs]
    return charts.bar_chart(id_, title, _said(pairs) + ".", bars)


def verdict_chart(figures: dict[str, Any]) -> Markup | None:
    by_verdict = figures["opinions"]["by_verdict"]
    if not figures["opinions"]["published"]:
        return None
    pairs = [(choice_label("verdict", v), by_verdict[v]) for v in VERDICTS]
    title = tk._("Opinions published in {year}, by verdict").format(year=figures["year"])
    return _bars("chart-verdicts", title, pairs)


def principle_chart(figures: dict[str, Any]) -> Markup | None:
    principles = figures["principles"]
    if not principles:
        return None
    series = [charts.Series(choice_label("assessments", s), *STATUS_STYLE[s]) for s in STATUSES]
    description = " ".join(
        tk._("{principle}: {values}.").format(
            principle=principle_name(p),
            values=_said([(part.name, p[s]) for part, s in zip(series, STATUSES, strict=True)]),
        )
        for p in principles
    )
    bars = [
        charts.StackedBar(
            principle_name(p),
            tuple(p[s] for s in STATUSES),
            number(sum(p[s] for s in STATUSES)),
        )
        for p in principles
    ]
    title = tk._("Assessment of each principle in the opinions of {year}").format(
        year=figures["year"]
    )
    return charts.stacked_chart("chart-principles", title, description, series, bars)


def organization_chart(figures: dict[str, Any]) -> Markup | None:
    organizations = [o for o in figures["organizations"] if o["reviews_received"]]
    if not organizations:
        return None
    pairs = [(o["title"] or o["name"] or "—", o["reviews_received"]) for o in organizations]
    title = tk._("Reviews received in {year}, by organization").format(year=figures["year"])
    return _bars("chart-organizations", title, pairs)


def badge_chart(figures: dict[str, Any]) -> Markup | None:
    from ckanext.cdm.labels import badge_label

    counted = figures["badges"]
    if not counted["datasets"]:
        return None
    pairs = [(badge_label(code), counted["by_code"].get(code, 0)) for code in badges.CODES]
    title = tk._("Badges of the catalogue's datasets on {day}").format(
        day=tk.h.cdm_datetime(counted["as_of"])
    )
    return _bars("chart-badges", title, pairs)


def report_charts(figures: dict[str, Any]) -> dict[str, Markup | None]:
    """Every chart of the report page, ``None`` where there is nothing to draw."""
    return {
        "verdicts": verdict_chart(figures),
        "principles": principle_chart(figures),
        "organizations": organization_chart(figures),
        "badges": badge_chart(figures),
    }
