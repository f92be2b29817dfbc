"""`python -m bench desk --articles N`: the journalist's desk on a large archive.

Through Datasette in-process (hot cache, the 50 queries of bench/search.py after a warm-up):
the desk's results page newest first and by relevance, its panels (attention chart, outlets,
terms, places: desk.js fetches them from /-/desk/panels) with no dates and for one year, and
both in one request (?panels=1); then each of the page's parts on its own
(archive/desk/sql.py on a read-only connection); then the CSV export through the ASGI app:
time to first byte and to 100,000 rows.
"""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from archive.desk.params import parse_params
from archive.desk.sql import DeskSQL, read_layout, totals_per_day
from archive.publish import build_datasette, database_name
from archive.schema import connect
from archive.search import register_functions
from bench.places_add import add_places
from bench.search import QUERIES, _timed
from bench.search_build import archive_path, ensure

YEAR = {"from": ["2020-01-01"], "to": ["2020-12-31"]}
CSV_ROWS = 100_000


def page_timings(db_path: Path) -> dict[str, Any]:
    """The whole desk page through Datasette, per query."""
    ds = build_datasette(db_path)
    name = database_name(db_path)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())
    errors: list[str] = []
    tick = itertools.count()

    def get(params: dict[str, str], path: str = "/-/desk") -> None:
        # A new URL each time: the server's response cache (plugins/arshif_cache.py) would
        # answer a repeated one in ≈ 3 ms; this times the work, SQLite's page cache hot.
        params = {**params, "_nocache": str(next(tick))}
        resp = loop.run_until_complete(ds.client.get(f"/{name}{path}?" + urlencode(params)))
        if resp.status_code != 200 or 'class="msg error"' in resp.text:
            errors.append(f"{resp.status_code} {params}")

    year = {"from": "2020-01-01", "to": "2020-12-31"}
    out = {}
    # The results page (what the journalist sees first) and the panels (fetched by desk.js
    # from /-/desk/panels) are two requests; "inline" is both in one (?panels=1, no script).
    for label, extra, path in (
            ("desk results page, newest first", {}, "/-/desk"),
            ("desk results page, by relevance", {"sort": "relevance"}, "/-/desk"),
            ("desk results page, newest first, one year", year, "/-/desk"),
            ("desk panels, no dates (the archive's last year)", {}, "/-/desk/panels"),
            ("desk panels, one year", year, "/-/desk/panels"),
            ("desk page with panels inline, one year", {**year, "panels": "1"}, "/-/desk")):
        out[label] = _timed(lambda q, e=extra, p=path: get({"q": q, **e}, p))
    out["csv"] = csv_timing(ds, name, loop)
    loop.close()
    return out | {"errors": len(errors), "last_error": errors[-1] if errors else None}


def csv_timing(ds, name: str, loop) -> dict[str, Any]:
    """First byte and CSV_ROWS rows of the export of every article, through the ASGI app."""
    app = ds.app()
    query = b""  # the empty query: every article, newest first
    state: dict[str, Any] = {"rows": 0, "first": None}

    class Enough(Exception):
        pass

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.body" and message.get("body"):
            if state["first"] is None:
                state["first"] = time.perf_counter()
            state["rows"] += message["body"].count(b"\n")
            if state["rows"] > CSV_ROWS:
                raise Enough

    scope = {"type": "http", "method": "GET", "path": f"/{name}/-/desk.csv",
             "raw_path": f"/{name}/-/desk.csv".encode(), "query_string": query,
             "headers": [(b"host", b"localhost")], "scheme": "http", "http_version": "1.1",
             "server": ("localhost", 80), "client": ("127.0.0.1", 1)}
    t0 = time.perf_counter()
    try:
        loop.run_until_complete(app(scope, receive, send))
    except Enough:
        pass
    end = time.perf_counter()
    return {"first_byte_ms": (state["first"] - t0) * 1000 if state["first"] else None,
            "rows": min(state["rows"] - 1, CSV_ROWS), "seconds": end - t0}


def part_timings(db_path: Path) -> dict[str, Any]:
    """Each part of the page on its own (archive/desk/sql.py), as the desk runs it here."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    register_functions(conn)
    conn.row_factory = sqlite3.Row

    def run(query: tuple[str, dict[str, Any]]) -> None:
        conn.execute(*query).fetchall()

    def params(q: str, **extra: list[str]) -> Any:
        return parse_params({"q": [q], **extra})

    shape = read_layout(conn)  # as the desk reads it: place tags, the covering index

    def sql(q: str, **extra: list[str]) -> DeskSQL:
        return DeskSQL(params(q, **extra), shape, q)

    parts = {
        "results, newest first": lambda q: run(sql(q).results()),
        "results, by relevance": lambda q: run(sql(q).results(sort="relevance")),
        "attention, one year (matches per day × outlet)": lambda q: run(sql(q, **YEAR).per_day()),
        "attention denominator, one year": lambda q: run(totals_per_day(params(q, **YEAR))),
        "top outlets, whole archive (matches per day × outlet)": lambda q: run(
            sql(q).per_day()),
        "topic terms, one year": lambda q: run(sql(q, **YEAR).top_terms()),
        "top places, one year": lambda q: run(sql(q, **YEAR).top_places()),
        "top places, whole archive": lambda q: run(sql(q).top_places()),
    }
    out = {label: _timed(fn) for label, fn in parts.items()}
    conn.close()
    return out


def desk_bench(articles: int, corpus: Path) -> dict[str, Any]:
    """Build (or reuse) the bench archive, time the desk and print a table."""
    db_path = archive_path(articles)
    build = ensure(db_path, articles, corpus.resolve())
    db = connect(db_path)  # an older bench archive gets the schema's new indexes (migrations)
    db.execute("pragma journal_mode=delete")  # one file again: read-only readers need no -shm
    db.close()
    places = add_places(db_path)  # a build made before bench/places.py gets its place tags
    pages = page_timings(db_path)
    parts = part_timings(db_path)
    print(f"\nthe desk on {articles:,} articles, {len(QUERIES)} queries, warm cache; ms\n")
    print(f"{'what':<56} {'median':>8} {'p95':>8} {'max':>8}")
    for group in (pages, parts):
        for name, t in group.items():
            if isinstance(t, dict) and "median_ms" in t:
                print(f"{name:<56} {t['median_ms']:>8.1f} {t['p95_ms']:>8.1f} {t['max_ms']:>8.1f}")
    csv = pages["csv"]
    print(f"\nCSV of every article: first byte {csv['first_byte_ms']:.0f} ms, "
          f"{csv['rows']:,} rows in {csv['seconds']:.1f} s")
    if pages["errors"]:
        print(f"desk errors: {pages['errors']} (last: {pages['last_error']})")
    return {"build": build, "places": places, "pages": pages, "parts": parts}
