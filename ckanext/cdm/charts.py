"""Charts drawn on the server as SVG, readable without script and in print.

Each chart is a ``<figure>`` holding an ``<svg role="img">`` named by its
``<title>`` and described by its ``<desc>`` (the text alternative: every value
in words), with a visible caption. Every bar carries its label and its value
in text, so no value is told by colour or length alone; the series of a
stacked chart also differ by pattern, and a legend names them. The page puts
the data table next to each chart (WCAG 1.1.1, 1.4.1, 1.4.11).

On a narrow screen a chart keeps a readable size and scrolls sideways
(its ``<figure>`` takes the keyboard focus for that); the table beside it
reflows.

The drawing knows nothing of the report: callers pass labels already
translated (``report_display.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
LABEL_SIZE = 14
ROW = 46  # a label line above a bar
BAR = 18
VALUE_ROOM = 70  # right of the longest bar, for its value
MAX_LABEL = 80  # characters of a label drawn in the chart (the table has it whole)
COLOUR = "#1f4e79"  # 9.3:1 on white (text and bars, WCAG 1.4.3 / 1.4.11)
TEXT = "#1b1b1b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as written next to the bar, e.g. "12" or "4,5 j"


@dataclass(frozen=True)
class Series:
    """One part of a stacked bar: its name (legend), colour and pattern."""

    name: str
    colour: str
    pattern: str | None = None  # "stripes", "dots" or None (solid)


@dataclass(frozen=True)
class StackedBar:
    label: str
    values: tuple[float, ...]  # one per series, in the order of the series
    shown: str  # the total as written next to the bar


def _clip(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(id_: str, title: str, description: str, height: int, body: str) -> Markup:
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cdm-chart-svg" role="img" '
        f'aria-labelledby="{id_}-title {id_}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">'
        f'<title id="{id_}-title">{escape(title)}</title>'
        f'<desc id="{id_}-desc">{escape(description)}</desc>'
        f'<g font-family="sans-serif" font-size="{LABEL_SIZE}" fill="{TEXT}">{body}</g></svg>'
    )
    return Markup(
        f'<figure class="cdm-chart" id="{id_}" tabindex="0">{svg}'
        f'<figcaption class="cdm-chart-caption">{escape(title)}</figcaption></figure>'
    )


def _scale(largest: float) -> float:
    """Pixels per unit: the largest bar fills the room left for bars."""
    return (WIDTH - VALUE_ROOM) / largest if largest > 0 else 0.0


def bar_chart(id_: str, title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one a row: the label above, the value after the bar."""
    scale = _scale(max((bar.value for bar in bars), default=0))
    rows = []
    for n, bar in enumerate(bars):
        top = n * ROW
        length = bar.value * scale
        rows.append(
            f'<text x="0" y="{top + LABEL_SIZE}">{escape(_clip(bar.label))}</text>'
            f'<rect x="0" y="{top + 20}" width="{_number(length)}" height="{BAR}" '
            f'fill="{COLOUR}"/>'
            f'<text x="{_number(length + 6)}" y="{top + 20 + BAR - 4}" font-weight="bold">'
            f"{escape(bar.shown)}</text>"
        )
    return _frame(id_, title, description, max(len(bars), 1) * ROW, "".join(rows))


def _patterns(id_: str, series: Sequence[Series]) -> str:
    defs = []
    for n, part in enumerate(series):
        if part.pattern == "stripes":
            defs.append(
                f'<pattern id="{id_}-p{n}" width="8" height="8" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{part.colour}"/>'
                f'<rect width="3" height="8" fill="#fff" fill-opacity="0.55"/></pattern>'
            )
        elif part.pattern == "dots":
            defs.append(
                f'<pattern id="{id_}-p{n}" width="7" height="7" patternUnits="userSpaceOnUse">'
                f'<rect width="7" height="7" fill="{part.colour}"/>'
                f'<circle cx="3.5" cy="3.5" r="1.6" fill="#fff" fill-opacity="0.7"/></pattern>'
            )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(id_: str, n: int, part: Series) -> str:
    return f"url(#{id_}-p{n})" if part.pattern else part.colour


def stacked_chart(
    id_: str,
    title: str,
    description: str,
    series: Sequence[Series],
    bars: Sequence[StackedBar],
) -> Markup:
    """Horizontal bars cut in parts, one per series, with a legend above."""
    legend = []
    x = 0.0
    for n, part in enumerate(series):
        legend.append(
            f'<rect x="{_number(x)}" y="2" width="16" height="16" fill="{_fill(id_, n, part)}" '
            f'stroke="{TEXT}" stroke-width="0.5"/>'
            f'<text x="{_number(x + 22)}" y="15">{escape(part.name)}</text>'
        )
        x += 22 + 8 * len(part.name) + 18
    legend_rows = 1 if x <= WIDTH else 0
    if not legend_rows:  # too wide for one line: one series a line
        legend = [
            f'<rect x="0" y="{2 + n * 22}" width="16" height="16" fill="{_fill(id_, n, part)}" '
            f'stroke="{TEXT}" stroke-width="0.5"/>'
            f'<text x="22" y="{15 + n * 22}">{escape(part.name)}</text>'
            for n, part in enumerate(series)
        ]
    legend_height = 22 * (1 if legend_rows else len(series)) + 14
    scale = _scale(max((sum(bar.values) for bar in bars), default=0))
    rows = []
    for row, bar in enumerate(bars):
        top = legend_height + row * ROW
        rows.append(f'<text x="0" y="{top + LABEL_SIZE}">{escape(_clip(bar.label))}</text>')
        x = 0.0
        for n, (part, value) in enumerate(zip(series, bar.values, strict=True)):
            if value <= 0:
                continue
            length = value * scale
            rows.append(
                f'<rect x="{_number(x)}" y="{top + 20}" width="{_number(length)}" '
                f'height="{BAR}" fill="{_fill(id_, n, part)}" stroke="#fff" stroke-width="1"/>'
            )
            x += length
        rows.append(
            f'<text x="{_number(x + 6)}" y="{top + 20 + BAR - 4}" font-weight="bold">'
            f"{escape(bar.shown)}</text>"
        )
    height = legend_height + max(len(bars), 1) * ROW
    body = _patterns(id_, series) + "".join(legend) + "".join(rows)
    return _frame(id_, title, description, height, body)
