"""Everything arshif_desk.html shows for one request, read through Datasette's connections."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from archive.arabic_dates import arabic_date
from archive.datasette.plugins.arshif_article import safe_link, topic_matches
from archive.desk.attention import attention, places_over_time, top_outlets
from archive.desk.charts import attention_spec, bar_spec
from archive.desk.export import _names
from archive.desk.params import PAGE_SIZE, DeskParams
from archive.desk.sql import DeskSQL, Layout, totals_per_day
from archive.snippets import snippet_html

TOPIC_SAMPLE = 5000  # topic names offered: those of the newest articles (no full-table scan)
SLOW_MS = 10_000  # aggregates may take longer than one page of rows on a huge range
DEFAULT_DAYS = 365  # the panels' window when no date range is asked


async def _rows(db, query: tuple[str, dict[str, Any]], slow: bool = False) -> list[dict]:
    sql, params = query
    result = await db.execute(sql, params, custom_time_limit=SLOW_MS if slow else None)
    return [dict(r) for r in result.rows]


_TOPICS: dict[tuple[str, str | None], tuple[float, list[str]]] = {}
TOPICS_TTL = 300.0  # seconds: a live archive gains topics only as fast as crawls add them


async def topic_names(db, selected: str) -> list[str]:
    """Topic names for the filter: those of the newest articles, and the selected one."""
    # Read once per database every few minutes, not per page (≈ 7 ms at 1,000,000 articles).
    key = (db.name, db.path)
    cached = _TOPICS.get(key)
    if cached and cached[0] > time.monotonic():
        names = cached[1]
    else:
        rows = await _rows(db, (
            "select distinct t.value as name from (select topics from articles "
            f"order by search_key desc limit {TOPIC_SAMPLE}) a, json_each(case when "
            "json_valid(a.topics) then a.topics else '[]' end) t order by name", {}))
        names = [str(r["name"]) for r in rows if r["name"]]
        _TOPICS[key] = (time.monotonic() + TOPICS_TTL, names)
    return names if not selected or selected in names else [selected, *names]


def result_row(datasette, database: str, row: dict[str, Any], q: str) -> dict[str, Any]:
    """One result as the template shows it."""
    # topic_matches() gives each matched term as {term, count} (the article page shows counts).
    terms = [t["term"] for m in topic_matches(row.get("topic_matches")) for t in m["terms"]]
    return {
        "id": row["id"], "title": row["title"] or row["url"], "source": row["source"],
        "published": row["published"], "date": arabic_date(row["published"]) or "",
        "snippet": Markup(snippet_html(row["text"] or "", q)),
        "topics": _names(row["topics"]), "terms": list(dict.fromkeys(terms)),
        "places": _names(row.get("places")),
        "page_url": datasette.urls.row(database, "articles", str(row["id"])),
        "link": safe_link(row["url"]),
    }


def _pivot(points: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    # The chart's data as a table: one row per bucket, a count and a share per series.
    series = list(dict.fromkeys(p["series"] for p in points))
    rows: dict[str, dict[str, Any]] = {}
    for p in points:
        row = rows.setdefault(p["bucket"], {"bucket": p["bucket"], "label": p["label"],
                                            "total": 0, "cells": {}})
        row["cells"][p["series"]] = p
        row["total"] = max(row["total"], p["total"]) if len(series) == 1 else None
    return series, list(rows.values())


async def window(db, params: DeskParams) -> DeskParams | None:
    """The parameters the coverage panels use: the asked range, else the archive's last year.

    Counting every match of a common word over the whole archive grows with the archive
    (≈ 5 µs a match); a year keeps the panels' cost bounded, and a range asks for more.
    """
    if params.start and params.end:
        return params
    # Two subqueries: SQLite answers a lone min() or max() from the day index in one probe,
    # but min() and max() together scan the whole index (60 ms at 1,000,000 articles).
    first, last = (await db.execute(
        "select (select min(day) from articles where day is not null), "
        "(select max(day) from articles)")).rows[0]
    if not first:
        return None
    end = params.end or date.fromisoformat(last[:10])
    start = params.start or max(date.fromisoformat(first[:10]), end - timedelta(days=DEFAULT_DAYS))
    return replace(params, start=start, end=max(start, end))


async def _coverage(db, params: DeskParams, shape: Layout) -> dict[str, Any]:
    """Attention over time, top outlets and the total for the query (and comparisons)."""
    start, end = params.start, params.end
    totals = await _rows(db, totals_per_day(params), slow=True)
    series: dict[str, list[dict]] = {}
    for query in params.queries:
        if not query and not params.topic and not (params.place and shape.places.any):
            series["كل المقالات"] = totals  # nothing narrower than the totals: no second scan
        else:
            series[query or "كل المقالات"] = await _rows(
                db, DeskSQL(params, shape, query).per_day(), slow=True)
    main = next(iter(series.values()))
    split = params.split and len(params.queries) == 1
    chart = attention(series, totals, start, end, split=split)
    return {"start": start, "end": end, "chart": chart, "main_rows": main,
            "totals": totals, "total": sum(r["n"] for r in main)}


def _places_time(rows: list[dict], cov: dict[str, Any]) -> dict[str, Any] | None:
    """The most named governorates over the panels' window, as a chart and its table."""
    over = places_over_time(rows, cov["main_rows"], cov["start"], cov["end"])
    if not over["places"]:
        return None
    series, table = _pivot(over["points"])
    return {**over, "series": series, "rows": table}


def _chart_json(charts: dict[str, Any]) -> dict[str, Markup]:
    # JSON inside <script type="application/json">: no "<", ">" or "&" that could end it.
    return {k: Markup(json.dumps(v, ensure_ascii=False).replace("<", "\\u003c")
                      .replace(">", "\\u003e").replace("&", "\\u0026"))
            for k, v in charts.items()}


async def panels_context(db, params: DeskParams, outlets: dict[str, str],
                         shape: Layout) -> dict[str, Any]:
    """The coverage panels (attention, outlets, terms, places) and the match count."""
    scope = await window(db, params)
    sql = DeskSQL(scope or params, shape)  # terms and places: the panels' window too
    place_query, place_days = sql.top_places(), sql.places_per_day()
    # The aggregates are independent: Datasette runs them on its SQL threads side by side.
    cov, terms, place_rows, place_day_rows = await asyncio.gather(
        _coverage(db, scope, shape) if scope else _none({}),
        _rows(db, sql.top_terms(), slow=True),
        _rows(db, place_query, slow=True) if place_query else _none([]),
        _rows(db, place_days, slow=True) if place_days and scope else _none([]))
    charts: dict[str, Any] = {}
    outlets_top: list[dict[str, Any]] = []
    if cov:
        points = cov["chart"]["points"]
        charts["attention_n"] = attention_spec(points, "n", "عدد المقالات")
        charts["attention_share"] = attention_spec(points, "share", "الحصة من كل المقالات")
        outlets_top = top_outlets(cov["main_rows"], cov["totals"], outlets)
        if outlets_top:
            charts["outlets"] = bar_spec(outlets_top, "title", "n", "المصادر")
    if terms:
        charts["terms"] = bar_spec(terms, "term", "articles", "المصطلحات")
    if place_rows:
        charts["places"] = bar_spec(place_rows, "place", "articles", "الأماكن")
    places_time = _places_time(place_day_rows, cov) if place_rows and cov else None
    if places_time:
        charts["places_time"] = attention_spec(places_time["points"], "n",
                                               "المحافظات عبر الزمن")
    series, table = _pivot(cov["chart"]["points"]) if cov else ([], [])
    defaulted = bool(scope) and scope is not params
    return {
        "places_enabled": shape.places.any, "defaulted": defaulted,
        "window_url": scope.url() if defaulted else None,
        "total": cov.get("total"), "coverage": cov, "series": series, "chart_rows": table,
        "top_outlets": outlets_top, "terms": terms, "place_rows": place_rows,
        "places_time": places_time, "charts": _chart_json(charts),
    }


async def _none(value: Any) -> Any:
    return value


async def desk_context(datasette, request, db, params: DeskParams, outlets: dict[str, str],
                       shape: Layout, run: bool = True, panels: bool = True
                       ) -> dict[str, Any]:
    """The template's context; with errors (or run=False) only the form and the messages.

    panels=False leaves the coverage panels out: the page then loads them from
    /<db>/-/desk/panels (desk.js), so the results do not wait for the aggregates.
    """
    name = db.name
    path = datasette.urls.path
    base = {"p": params, "outlets": outlets, "places_enabled": shape.places.any,
            "topics": await topic_names(db, params.topic),
            "db_url": datasette.urls.database(name),
            "table_url": datasette.urls.table(name, "articles"),
            "index_url": path("/-/index"), "desk_url": path(f"/{name}/-/desk"),
            "static": lambda rel: path(f"/arshif-static/{rel}"), "ran": False}
    if params.errors or not run:
        return base
    rows = await _rows(db, DeskSQL(params, shape).results(params.page, params.sort))
    results = [result_row(datasette, name, r, params.q) for r in rows[:PAGE_SIZE]]
    export = params.state(page=None, sort=None, split=None)
    context = {
        **base, "ran": True, "results": results, "has_next": len(rows) > PAGE_SIZE,
        "first_rank": (params.page - 1) * PAGE_SIZE + 1,
        "prev_url": params.url(page=params.page - 1) if params.page > 1 else None,
        "next_url": params.url(page=params.page + 1) if len(rows) > PAGE_SIZE else None,
        "csv_url": path(f"/{name}/-/desk.csv?") + urlencode(export, doseq=True),
        "csv_bom_url": path(f"/{name}/-/desk.csv?") + urlencode({**export, "bom": "1"},
                                                                doseq=True),
        "json_url": path(f"/{name}/-/desk.json?") + urlencode(export, doseq=True),
        "feed_url": (path(f"/{name}/search_feed.atom?") + urlencode({"q": params.q})
                     if params.q else None),
        "search_url": (path(f"/{name}/search?") + urlencode({"q": params.q})
                       if params.q else None),
        "panels_url": path(f"/{name}/-/desk/panels") + params.url(page=None, sort=None),
        "inline_url": params.url(panels="1"),
        "panels_inline": panels,
    }
    if panels:
        context.update(await panels_context(db, params, outlets, shape))
    return context
