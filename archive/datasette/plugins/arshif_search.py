"""Datasette plugin: Arabic-aware full-text search on the normalised articles_fts index."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode
from weakref import WeakKeyDictionary

from datasette import hookimpl
from datasette.utils.asgi import Response

from archive.arabic_dates import arabic_date
from archive.query import (
    MAX_QUERY_CHARS,
    QUERY_LIMITS_MESSAGE,
    fts_query,
    query_too_long,
    read_query,
)
from archive.search import register_functions

# Canned queries (metadata.yml) whose `q` parameter is a search query.
SEARCH_QUERIES = {"search", "search_feed"}
TOO_LONG_TITLE = "بحث طويل جداً · Search too long"
_PAGES: WeakKeyDictionary[Any, str] = WeakKeyDictionary()  # Datasette -> its message page
ORIGINAL = "arshif_search"  # scope key: the `_search` value a request came with
LIGHT = "arshif_light"  # scope key: a searched table page left out its count and/or facets
FACET_PARAMS = {"_facet", "_facet_array", "_facet_date"}  # a visitor asking for one facet


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, datasette) -> None:
    """Replace Datasette's escape_fts with Arshif's normalising query builder.

    Datasette's escaped search runs `match escape_fts(:search)`; registering our function last
    (trylast) makes the stock search box and ?_search= normalise Arabic the same way the index was
    built, and turns any FTS syntax in a query into plain words instead of an error page. The
    Python functions stop at Datasette's sql_time_limit_ms like the SQL around them; OR,
    NOT, -word, (groups) and word* are read as archive/query.py does, never an error.
    """
    limit = datasette.setting("sql_time_limit_ms") if datasette is not None else None
    register_functions(conn, limit, extra=(("escape_fts", 1, fts_query),))


def is_search_param(path: str, name: str) -> bool:
    """True when query-string parameter `name` of a request for `path` is a search query."""
    if name == "_search" or (name.startswith("_search_") and name != "_searchmode"):
        return True  # the table view's search (all columns or one), and the article page
    parts = path.strip("/").split("/")
    return name == "q" and len(parts) == 2 and parts[1].split(".")[0] in SEARCH_QUERIES


def refused(path: str, query_string: bytes) -> bool:
    """True when a search parameter of the request is past the limits (query_too_long)."""
    for part in query_string.split(b"&"):
        key, _, value = part.partition(b"=")
        name = unquote_plus(key.decode("utf-8", "replace"))
        if not is_search_param(path, name):
            continue
        # A character is at most 12 bytes encoded (%F0%9F%98%80): a longer value is refused
        # without decoding it (≈ 5 ms for 10,000 letters, on the event loop).
        if len(value) > 12 * MAX_QUERY_CHARS or query_too_long(
                unquote_plus(value.decode("utf-8", "replace"))):
            return True
    return False


def without_searchmode(query_string: bytes) -> bytes:
    """The query string without its _searchmode parameters (raw mode hands MATCH to visitors)."""
    kept = [p for p in query_string.split(b"&")
            if unquote_plus(p.split(b"=", 1)[0].decode("utf-8", "replace")) != "_searchmode"]
    return b"&".join(kept)


async def too_long(datasette, scope, send) -> None:
    """Answer 400 with the query limits, as JSON, plain text or Datasette's error page."""
    path = scope.get("path", "")
    info = {"ok": False, "error": QUERY_LIMITS_MESSAGE, "status": 400, "title": TOO_LONG_TITLE}
    if path.endswith(".json"):
        response = Response.json(info, status=400)
    elif "." in path.rsplit("/", 1)[-1]:  # .csv, .atom, …: a client that expects no HTML
        response = Response.text(QUERY_LIMITS_MESSAGE + "\n", status=400)
    else:
        if datasette not in _PAGES:  # the page is the same for every request: render it once
            await datasette.invoke_startup()  # the app below would do it on its first call
            # No request: its csrftoken is set by middleware inside the app, not reached here.
            _PAGES[datasette] = await datasette.render_template(["400.html", "error.html"], info)
        response = Response.html(_PAGES[datasette], status=400)
    await response.asgi_send(send)


def without_blank_search(query_string: bytes) -> tuple[bytes, str | None]:
    """The query string without a `_search` that holds nothing searchable, and that value."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    found = [v for k, v in pairs if k == "_search"]
    if not found or not read_query(found[0]).empty:
        return query_string, None
    kept = [(k, v) for k, v in pairs if k != "_search"]
    return urlencode(kept).encode("utf-8"), found[0]


def is_table_path(path: str) -> bool:
    """True for /db/table (and .json, .csv…): not a row page, not /db/-/… pages."""
    parts = path.strip("/").split("/")
    return len(parts) == 2 and not parts[1].startswith("-")


def light_search(query_string: bytes) -> tuple[bytes, dict[str, bool]]:
    """A searched table request without Datasette's count and facets over every match.

    The rows come from a rowid walk of the index (sorted by search_key); counting and faceting
    every match read all of them (1.1 s at 1,000,000 articles, bench/README.md). They come back
    with `_count=1` and `_withfacets=1` (not `_facets`: Datasette reads every `_facet…`
    parameter as a facet) or an explicit `_facet=`. Returns what was left out.
    """
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(is_search_param("", k) and v.strip() for k, v in pairs):
        return query_string, {}
    names = {k for k, _ in pairs}
    asked = dict(pairs)
    want = {"count": asked.get("_count", "") not in ("", "0"),
            "facets": asked.get("_withfacets", "") not in ("", "0") or bool(names & FACET_PARAMS)}
    kept = list(pairs)
    for what, off in (("count", "_nocount"), ("facets", "_nofacet")):
        if want[what]:
            kept = [(k, v) for k, v in kept if k != off]
        elif off not in names:
            kept.append((off, "1"))
    left_out = {what: True for what, on in want.items() if not on}
    return urlencode(kept).encode("utf-8"), left_out


def with_asked(path: str, query_string: bytes, what: str) -> str:
    """The URL of this page with `_count=1` or `_withfacets=1` (and without its _no… opposite)."""
    param, off = {"count": ("_count", "_nocount"), "facets": ("_withfacets", "_nofacet")}[what]
    pairs = [(k, v) for k, v in parse_qsl(query_string.decode("utf-8", "replace"),
                                          keep_blank_values=True) if k not in (param, off)]
    return f"{path}?{urlencode(pairs + [(param, '1')])}"


@hookimpl
def asgi_wrapper(datasette):
    """Refuse search queries past the limits at once; drop ?_searchmode unless SQL is allowed;
    an empty `?_search=` (or one of lone operators) lists the latest rows, not `0 rows`; a
    searched table skips counting and faceting every match unless asked (light_search)."""

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            raw = scope.get("query_string", b"")
            if refused(scope.get("path", ""), raw):
                return await too_long(datasette, scope, send)
            if raw and not datasette.setting("default_allow_sql"):
                scope = {**scope, "query_string": without_searchmode(raw)}
            if b"_search=" in scope.get("query_string", b""):
                query_string, original = without_blank_search(scope["query_string"])
                if original is not None:
                    scope = dict(scope, query_string=query_string, **{ORIGINAL: original})
            if b"_search" in scope.get("query_string", b"") and is_table_path(
                    scope.get("path", "")):
                query_string, left_out = light_search(scope["query_string"])
                if left_out:
                    scope = dict(scope, query_string=query_string, **{LIGHT: left_out})
            return await app(scope, receive, send)

        return guarded

    return wrap


@hookimpl
def prepare_jinja2_environment(env) -> None:
    """The ``arabic_date`` filter for templates: {{ row.published|arabic_date }}."""
    env.filters["arabic_date"] = arabic_date


def reading_context(query: str) -> dict[str, object]:
    """What _arshif_reading.html shows: how the query was read, notes, and an empty-query word."""
    reading = read_query(query)
    return {"query": query, "text": reading.text, "notes": list(reading.notes),
            "empty": reading.empty}


@hookimpl
def extra_template_vars(view_name, table, request):
    """arshif_reading on a searched table page and on the canned search pages; arshif_light
    (the links that bring back a searched table's count and facets)."""
    if request is None or view_name != "table":  # Datasette 0.65 renders canned queries as "table"
        return {}
    if table:
        found: dict[str, object] = {}
        if request.scope.get(LIGHT):  # links that bring back what light_search left out
            raw = request.scope.get("query_string", b"")
            found["arshif_light"] = {what: with_asked(request.path, raw, what)
                                     for what in request.scope[LIGHT]}
        if "_search" in request.args:
            return found | {"arshif_reading": reading_context(request.args["_search"])}
        if ORIGINAL in request.scope:
            return {"arshif_reading": reading_context(request.scope[ORIGINAL])}
        return found
    parts = request.path.strip("/").split("/")
    if len(parts) == 2 and parts[1] in SEARCH_QUERIES:
        return {"arshif_reading": reading_context(request.args.get("q") or "")}
    return {}
