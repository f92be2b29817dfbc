"""Attention over time and who covered it, from per-(day, outlet) counts.

Counts come from DeskSQL.per_day (matches) and totals_per_day (everything the archive holds);
the share is Media Cloud's normalised attention: a crawl gap lowers both, so it does not look
like a news lull.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from archive.arabic_dates import arabic_day, arabic_month

UNIT_LABELS = {"day": "يومياً", "week": "أسبوعياً", "month": "شهرياً"}
Rows = Iterable[Mapping[str, Any]]  # {day, source, n}


def choose_unit(start: date, end: date) -> str:
    """Days for up to three months, weeks up to two years, months beyond."""
    span = (end - start).days
    return "day" if span <= 92 else "week" if span <= 731 else "month"


def bucket(day: date, unit: str) -> date:
    """The first day of the day's bucket (weeks start on Saturday, as in Iraq)."""
    if unit == "week":
        return day - timedelta(days=(day.weekday() - 5) % 7)
    if unit == "month":
        return day.replace(day=1)
    return day


def buckets(start: date, end: date, unit: str) -> list[date]:
    """Every bucket from start to end, so a day without matches is a 0, not a gap."""
    out, current = [], bucket(start, unit)
    while current <= end:
        out.append(current)
        if unit == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if unit == "week" else 1)
    return out


def bucket_label(start: date, unit: str) -> str:
    """A bucket in Arabic: its day, «أسبوع …» or its month."""
    if unit == "month":
        return arabic_month(start)
    return ("أسبوع " if unit == "week" else "") + arabic_day(start)


def _by_bucket(rows: Rows, unit: str, key: str | None = None) -> Counter:
    # key: the column that splits the counts (source, place); None sums them per bucket.
    counts: Counter = Counter()
    for r in rows:
        if not r["day"]:
            continue  # undated articles are counted in the total, not on the chart
        try:
            b = bucket(date.fromisoformat(r["day"][:10]), unit)
        except ValueError:
            continue
        counts[(b, r[key]) if key else b] += r["n"]
    return counts


def attention(series: Mapping[str, list[Mapping[str, Any]]], totals: list[Mapping[str, Any]],
              start: date, end: date, split: bool = False) -> dict[str, Any]:
    """Chart points {bucket, label, series, n, total, share} for each query (or outlet)."""
    unit = choose_unit(start, end)
    grid = buckets(start, end, unit)
    all_counts = _by_bucket(totals, unit)
    points = []
    for name, rows in series.items():
        if split:  # one line per outlet, each a share of that outlet's own output
            per = _by_bucket(rows, unit, key="source")
            per_total = _by_bucket(totals, unit, key="source")
            lines = [(s, {b: per[(b, s)] for b in grid}, {b: per_total[(b, s)] for b in grid})
                     for s in sorted({s for _, s in per})]
        else:
            counts = _by_bucket(rows, unit)
            lines = [(name, counts, all_counts)]
        for label, n_of, total_of in lines:
            for b in grid:
                n, total = n_of.get(b, 0), total_of.get(b, 0)
                points.append({"bucket": b.isoformat(), "label": bucket_label(b, unit),
                               "series": label, "n": n, "total": total,
                               "share": round(n / total, 4) if total else 0.0})
    return {"unit": unit, "unit_label": UNIT_LABELS[unit], "points": points}


def top_outlets(rows: Rows, totals: Rows, titles: Mapping[str, str], limit: int = 15
                ) -> list[dict[str, Any]]:
    """Outlets by matching articles, with each one's share of its own output in the range."""
    matched: Counter = Counter()
    for r in rows:
        matched[r["source"]] += r["n"]
    output: dict[str, int] = defaultdict(int)
    for r in totals:
        output[r["source"]] += r["n"]
    out = []
    for source, n in matched.most_common(limit):
        total = output.get(source, 0)
        out.append({"source": source, "title": titles.get(source) or source, "n": n,
                    "total": total, "share": round(n / total, 4) if total else None})
    return out


def places_over_time(rows: Rows, matches: Rows, start: date, end: date, limit: int = 5
                     ) -> dict[str, Any]:
    """Points for the `limit` most named places, each a share of the query's matches per bucket.

    rows: {day, place, n} (DeskSQL.places_per_day); matches: {day, source, n} (per_day), so
    a week with few matching articles does not look like a week the place was forgotten.
    """
    unit = choose_unit(start, end)
    grid = buckets(start, end, unit)
    rows = list(rows)
    per = _by_bucket(rows, unit, key="place")
    overall: Counter = Counter()
    for r in rows:
        if r["day"]:
            overall[r["place"]] += r["n"]
    top = [name for name, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
    all_matches = _by_bucket(matches, unit)
    points = [{"bucket": b.isoformat(), "label": bucket_label(b, unit), "series": place,
               "n": per[(b, place)], "total": all_matches.get(b, 0),
               "share": round(per[(b, place)] / all_matches[b], 4) if all_matches.get(b) else 0.0}
              for place in top for b in grid]
    return {"unit": unit, "unit_label": UNIT_LABELS[unit], "places": top, "points": points}
