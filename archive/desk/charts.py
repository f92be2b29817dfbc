"""Vega-Lite specs of the desk's charts; the data goes in inline, so nothing is fetched."""

from __future__ import annotations

from typing import Any

FONT = "Noto Naskh Arabic, Noto Sans Arabic, Tahoma, sans-serif"
CONFIG = {"font": FONT, "axis": {"labelFontSize": 11, "titleFontSize": 12},
          "legend": {"orient": "bottom", "labelFontSize": 12, "title": None},
          "view": {"stroke": None}}


def count_ticks(top: int) -> list[int] | None:
    """Whole-number ticks for a small count axis (Vega would put 0.5 there, printed as "1")."""
    if top >= 10:
        return None  # Vega's own ticks are whole numbers from here on
    return list(range(0, top + 1))  # [0] alone when nothing matched: no "1" drawn over it


def attention_spec(points: list[dict[str, Any]], field: str, title: str) -> dict[str, Any]:
    """A line chart of attention: `field` is n (articles) or share (of all articles)."""
    y_format = ".1%" if field == "share" else "d"
    ticks = None if field == "share" else count_ticks(max((p["n"] for p in points), default=0))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "width": "container", "height": 220, "autosize": {"type": "fit"},
        "config": CONFIG, "data": {"values": points},
        # Straight segments: a smoothed curve would draw counts between whole articles.
        "mark": {"type": "line", "point": len(points) < 200},
        "encoding": {
            "x": {"field": "bucket", "type": "temporal", "title": None,
                  "axis": {"format": "%Y-%m-%d", "labelAngle": 0, "labelOverlap": True}},
            "y": {"field": field, "type": "quantitative", "title": None,
                  "axis": {"format": y_format, **({"values": ticks} if ticks else {})}},
            "color": {"field": "series", "type": "nominal", "title": None},
            "tooltip": [{"field": "label", "title": "المدة"},
                        {"field": "series", "title": "السلسلة"},
                        {"field": "n", "title": "مقالات"},
                        {"field": "share", "title": "الحصة", "format": ".2%"}],
        },
    }


def bar_spec(rows: list[dict[str, Any]], label: str, value: str, title: str) -> dict[str, Any]:
    """A horizontal bar chart of a ranked list (outlets, terms, places)."""
    ticks = count_ticks(max((int(r[value] or 0) for r in rows), default=0))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # The width fits the page; the height is the bars' own (22 px each): "fit-x" leaves it
        # alone, where "fit" squeezed the title and axis into it and overlapped three bars' labels.
        # (A step height is "discrete", which Vega-Lite cannot fit to a container.)
        "title": title, "width": "container", "height": 22 * max(len(rows), 1),
        "autosize": {"type": "fit-x", "contains": "padding"}, "config": CONFIG,
        "data": {"values": rows}, "mark": {"type": "bar", "color": "#2b6cb0"},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": value, "type": "quantitative", "title": None,
                  "axis": {"format": "d", **({"values": ticks} if ticks else {})}},
            "tooltip": [{"field": label}, {"field": value}],
        },
    }
