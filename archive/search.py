"""The Arabic search index: articles_fts holds normalised, stemmed forms (see archive/arabic.py).

Its rowid is not articles.id but articles.search_key, a unique integer that follows publication
time (seconds since 1970 × KEY_SCALE + a counter). FTS5 walks its rowids in order natively, so
"newest matches first" is `order by rowid desc limit 50` and stops after 50 matches instead of
collecting and sorting every match: newest-first search costs about the same at 10,000 or
1,000,000 articles (bench/README.md).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any

import sqlite_utils

from archive.arabic import index_text
from archive.arabic_dates import arabic_date
from archive.isotime import parse_iso
from archive.query import fts_query
from archive.snippets import snippet_html

FTS_COLUMNS = ("title", "description", "text")
KEY_SCALE = 1 << 20  # keys per second: ties (bare dates, same minute) keep insertion order


def epoch_seconds(value: str | None) -> int | None:
    """Seconds since 1970 of an ISO date or datetime (bare dates and naive times: Baghdad)."""
    parsed = parse_iso(value)
    if parsed is None:
        return None
    return int(parsed.timestamp())


def search_key(db: sqlite_utils.Database, published: str | None, fallback: str | None) -> int:
    """A free search key for an article published at `published` (else first seen at `fallback`)."""
    seconds = epoch_seconds(published)
    if seconds is None:
        seconds = epoch_seconds(fallback) or 0
    base = seconds * KEY_SCALE
    (top,) = db.execute(
        "select max(search_key) from articles where search_key >= ? and search_key < ?",
        [base, base + KEY_SCALE],
    ).fetchone()
    return base if top is None else top + 1


def index_forms(row: Mapping[str, Any]) -> list[str]:
    """The normalised, stemmed forms of an article's title, description and text."""
    return [index_text(row.get(k) or "") for k in FTS_COLUMNS]


def index_article(
    db: sqlite_utils.Database, key: int, row: Mapping[str, Any],
    forms: list[str] | None = None, old_key: int | None = None,
) -> None:
    """(Re)index one article under its search key, in the caller's transaction."""
    db.execute("delete from articles_fts where rowid in (?, ?)", [key, old_key])
    db.execute(
        "insert into articles_fts(rowid, title, description, text) values (?, ?, ?, ?)",
        [key, *(forms or index_forms(row))],
    )


def assign_search_keys(db: sqlite_utils.Database) -> int:
    """Give every article without a search key one, oldest first; returns how many."""
    rows = db.execute(
        "select id, published, first_seen_at, fetched_at from articles where search_key is null "
        "order by coalesce(published, first_seen_at, fetched_at), id"
    ).fetchall()
    for article_id, published, first_seen, fetched in rows:
        key = search_key(db, published, first_seen or fetched)
        db.execute("update articles set search_key = ? where id = ?", [key, article_id])
    return len(rows)


def rebuild_index(db: sqlite_utils.Database, batch: int = 500) -> int:
    """Rebuild articles_fts from the articles table in one transaction; returns rows indexed."""
    count = 0
    with db.conn:
        db.execute("begin immediate")
        assign_search_keys(db)
        db.execute("delete from articles_fts")
        cursor = db.conn.execute(
            "select search_key, title, description, text from articles order by search_key"
        )
        while rows := cursor.fetchmany(batch):
            db.conn.executemany(
                "insert into articles_fts(rowid, title, description, text) values (?, ?, ?, ?)",
                [(r[0], *(index_text(v or "") for v in r[1:])) for r in rows],
            )
            count += len(rows)
    db.execute("insert into articles_fts(articles_fts) values ('optimize')")
    return count


# --- SQL functions for Datasette and sqlite3 users ------------------------------------------


def _nullable(func):
    # SQL NULL in -> NULL out; other non-text values (numbers, blobs) are stringified.
    def wrapper(*args):
        if args[0] is None:
            return None
        return func(*(a if a is None or isinstance(a, str) else str(a) for a in args))

    return wrapper


# arabic_index's input bound (≈ 0.2 s of work): the index itself is built in Python, so only
# hand-written SQL reaches it, and a longer value is an error rather than seconds of CPU.
MAX_INDEX_CHARS = 1_000_000


def _bounded_index(text: str) -> str:
    if len(text) > MAX_INDEX_CHARS:
        raise ValueError(f"arabic_index: text longer than {MAX_INDEX_CHARS:,} characters")
    return index_text(text)


def time_limited(
    conn: sqlite3.Connection, time_limit_ms: int | None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A decorator that interrupts conn's statement once it has run time_limit_ms.

    SQLite's progress handler (Datasette's sql_time_limit_ms) is not called while a Python
    function runs, and only every 1,000 instructions between calls; so each statement's start
    (the trace callback) sets a deadline that every call checks first. The overrun is at most
    one call, and every call is bounded (query limits, SNIPPET_SCAN_CHARS, MAX_INDEX_CHARS).
    """
    if not time_limit_ms:
        return lambda func: func
    deadline = [float("inf")]

    def started(_sql: str) -> None:
        deadline[0] = time.perf_counter() + time_limit_ms / 1000

    conn.set_trace_callback(started)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        def limited(*args: Any) -> Any:
            if time.perf_counter() > deadline[0]:
                conn.interrupt()  # the statement ends with "interrupted", as on a timeout
                return None
            return func(*args)

        return limited

    return decorate


def register_functions(conn: sqlite3.Connection, time_limit_ms: int | None = None,
                       extra: tuple[tuple[str, int, Callable[..., Any]], ...] = ()) -> None:
    """Register arabic_index, arabic_fts_query, arabic_snippet and arabic_date on conn.

    With time_limit_ms, a statement calling them is interrupted once it has run that long;
    extra (name, nargs, function) entries are registered the same way.
    """
    limited = time_limited(conn, time_limit_ms)
    functions = (
        ("arabic_date", 1, arabic_date),
        ("arabic_index", 1, _nullable(_bounded_index)),
        ("arabic_fts_query", 1, lambda q: fts_query("" if q is None else str(q))),
        ("arabic_snippet", 2, _nullable(lambda t, q: snippet_html(t, q or ""))),
        *extra,
    )
    for name, nargs, func in functions:
        func = limited(func)
        try:
            conn.create_function(name, nargs, func, deterministic=True)
        except sqlite3.NotSupportedError:  # SQLite < 3.8.3 has no deterministic flag
            conn.create_function(name, nargs, func)
