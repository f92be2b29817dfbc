"""Datasette plugin: Arabic-aware full-text search on the normalised articles_fts index."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from archive.query import fts_query, read_query
from archive.search import register_functions

# Canned queries whose `q` is a search: their pages say how the query was read.
SEARCH_QUERIES = {"search", "search_feed"}
ORIGINAL = "arshif_search"  # scope key: the `_search` value a request came with


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Replace Datasette's escape_fts with Arshif's normalising query builder.

    Datasette's escaped search runs `match escape_fts(:search)`; registering our function last
    (trylast) makes the stock search box and ?_search= normalise Arabic the same way the index was
    built, and read OR, NOT, -word, (groups) and word* as archive/query.py does, never an error.
    """
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    register_functions(conn)


def without_blank_search(query_string: bytes) -> tuple[bytes, str | None]:
    """The query string without a `_search` that holds nothing searchable, and that value."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    found = [v for k, v in pairs if k == "_search"]
    if not found or not read_query(found[0]).empty:
        return query_string, None
    kept = [(k, v) for k, v in pairs if k != "_search"]
    return urlencode(kept).encode("utf-8"), found[0]


@hookimpl
def asgi_wrapper(datasette):
    """An empty `?_search=` (or one of lone operators) lists the latest rows, not `0 rows`."""

    def wrap(app):
        async def search_or_latest(scope, receive, send):
            if scope.get("type") == "http" and b"_search=" in scope.get("query_string", b""):
                query_string, original = without_blank_search(scope["query_string"])
                if original is not None:
                    scope = dict(scope, query_string=query_string, **{ORIGINAL: original})
            return await app(scope, receive, send)

        return search_or_latest

    return wrap


def reading_context(query: str) -> dict[str, object]:
    """What _arshif_reading.html shows: how the query was read, notes, and an empty-query word."""
    reading = read_query(query)
    return {"query": query, "text": reading.text, "notes": list(reading.notes),
            "empty": reading.empty}


@hookimpl
def extra_template_vars(view_name, table, request):
    """arshif_reading on a searched table page and on the canned search pages."""
    if request is None or view_name != "table":  # Datasette 0.65 renders canned queries as "table"
        return {}
    if table:
        if "_search" in request.args:
            return {"arshif_reading": reading_context(request.args["_search"])}
        if ORIGINAL in request.scope:
            return {"arshif_reading": reading_context(request.scope[ORIGINAL])}
        return {}
    parts = request.path.strip("/").split("/")
    if len(parts) == 2 and parts[1] in SEARCH_QUERIES:
        return {"arshif_reading": reading_context(request.args.get("q") or "")}
    return {}
