"""Datasette plugin: Arabic-aware full-text search on the normalised articles_fts index."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from archive.arabic_dates import arabic_date
from archive.query import fts_query
from archive.search import register_functions


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Replace Datasette's escape_fts with Arshif's normalising query builder.

    Datasette's escaped search runs `match escape_fts(:search)`; registering our function last
    (trylast) makes the stock search box and ?_search= normalise Arabic the same way the index was
    built, and turns any FTS syntax in a query into plain words instead of an error page.
    """
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    register_functions(conn)


@hookimpl
def prepare_jinja2_environment(env) -> None:
    """The ``arabic_date`` filter for templates: {{ row.published|arabic_date }}."""
    env.filters["arabic_date"] = arabic_date
