"""Vega-Lite specs of the desk's charts; the data goes in inline, so nothing is fetched."""

from __future__ import annotations

from typing import Any

FONT = "Noto Naskh Arabic, Noto Sans Arabic, Tahoma, sans-serif"
CONFIG = {"font": FONT, "axis": {"labelFontSize": 11, "titleFontSize": 12},
          "legend": {"orient": "bottom", "labelFontSize": 12, "title": None},
          "view": {"stroke": None}}


def attention_spec(points: list[dict[str, Any]], field: str, title: str) -> dict[str, Any]:
    """A line chart of attention: `field` is n (articles) or share (of all articles)."""
    y_format = ".1%" if field == "share" else "d"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": "container", "height": 220, "autosize": {"type": "fit"},
        "config": CONFIG, "data": {"values": points},
        "mark": {"type": "line", "point": len(points) < 200, "interpolate": "monotone"},
        "encoding": {
            "x": {"field": "bucket", "type": "temporal", "title": None,
                  "axis": {"format": "%Y-%m-%d", "labelAngle": 0, "labelOverlap": True}},
            "y": {"field": field, "type": "quantitative", "title": None,
                  # whole articles: no 0.5 ticks printed as a second "1"
                  "axis": {"format": y_format, **({} if field == "share" else
                                                  {"tickMinStep": 1})}},
            "color": {"field": "series", "type": "nominal", "title": None},
            "tooltip": [{"field": "label", "title": "المدة"},
                        {"field": "series", "title": "السلسلة"},
                        {"field": "n", "title": "مقالات"},
                        {"field": "share", "title": "الحصة", "format": ".2%"}],
        },
    }


def bar_spec(rows: list[dict[str, Any]], label: str, value: str, title: str) -> dict[str, Any]:
    """A horizontal bar chart of a ranked list (outlets, terms, places)."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # A width that fits the page; a height in pixels from the number of bars (a step height
        # is "discrete", which Vega-Lite cannot fit to a container and warns about).
        "title": title, "width": "container", "height": 22 * max(len(rows), 1),
        "autosize": {"type": "fit"}, "config": CONFIG,
        "data": {"values": rows}, "mark": {"type": "bar", "color": "#2b6cb0"},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": value, "type": "quantitative", "title": None,
                  "axis": {"format": "d", "tickMinStep": 1}},
            "tooltip": [{"field": label}, {"field": value}],
        },
    }
