"""The SVG charts: valid markup, every value in text, lengths proportional,
labels escaped and clipped, series told apart by pattern as well as colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ckanext.cdm import charts

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup) -> ET.Element:
    text = str(markup)
    return ET.fromstring(text[text.index("<svg") : text.index("</svg>") + 6])


def test_bar_chart_is_named_described_and_proportional():
    markup = charts.bar_chart(
        "c1",
        "Avis <publiés>",
        "Favorable : 6 ; Défavorable : 2.",
        [charts.Bar("Favorable", 6, "6"), charts.Bar("Défavorable", 2, "2")],
    )
    svg = _svg(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Avis <publiés>"  # escaped, then parsed back
    assert svg.find(f"{SVG}desc").text == "Favorable : 6 ; Défavorable : 2."
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] == charts.WIDTH - charts.VALUE_ROOM
    assert widths[0] == 3 * widths[1]
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["Favorable", "6", "Défavorable", "2"]
    assert "<figcaption" in str(markup)
    assert 'id="c1"' in str(markup)


def test_zero_values_and_hostile_labels():
    label = '<script>alert("x")</script>' + "é" * 100
    svg = _svg(charts.bar_chart("c2", "t", "d", [charts.Bar(label, 0, "0")]))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts[0].startswith('<script>alert("x")</script>')
    assert len(texts[0]) == charts.MAX_LABEL
    assert texts[0].endswith("…")
    assert [float(r.get("width")) for r in svg.iter(f"{SVG}rect")] == [0.0]


def test_stacked_chart_has_a_legend_and_patterns():
    series = [
        charts.Series("Conforme", "#1e6b3a"),
        charts.Series("Partiellement conforme", "#8a4b00", "stripes"),
        charts.Series("Non conforme", "#a4161a", "dots"),
    ]
    bars = [
        charts.StackedBar("P1 — Transparence", (2, 1, 1), "4"),
        charts.StackedBar("P2 — Finalité", (2, 0, 0), "2"),
    ]
    svg = _svg(charts.stacked_chart("c3", "t", "d", series, bars))
    patterns = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert patterns == {"c3-p1", "c3-p2"}
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts[:3] == ["Conforme", "Partiellement conforme", "Non conforme"]  # the legend
    assert texts[3:] == ["P1 — Transparence", "4", "P2 — Finalité", "2"]
    fills = [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("height") == str(charts.BAR)]
    # first bar: three parts; second bar: one (zero parts are not drawn)
    assert fills == ["#1e6b3a", "url(#c3-p1)", "url(#c3-p2)", "#1e6b3a"]
    widths = [
        float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("height") == str(charts.BAR)
    ]
    assert sum(widths[:3]) == 2 * widths[3]
