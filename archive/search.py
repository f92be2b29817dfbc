"""The Arabic search index: articles_fts holds normalised, stemmed forms (see archive/arabic.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils

from archive.arabic import index_text

FTS_COLUMNS = ("title", "description", "text")


def index_forms(row: Mapping[str, Any]) -> list[str]:
    """The normalised, stemmed forms of an article's title, description and text."""
    return [index_text(row.get(k) or "") for k in FTS_COLUMNS]


def index_article(
    db: sqlite_utils.Database, rowid: int, row: Mapping[str, Any],
    forms: list[str] | None = None,
) -> None:
    """(Re)index one article in its transaction; forms may come precomputed from a worker."""
    db.execute("delete from articles_fts where rowid = ?", [rowid])
    db.execute(
        "insert into articles_fts(rowid, title, description, text) values (?, ?, ?, ?)",
        [rowid, *(forms or index_forms(row))],
    )


def rebuild_index(db: sqlite_utils.Database, batch: int = 500) -> int:
    """Rebuild articles_fts from the articles table in one transaction; returns rows indexed."""
    count = 0
    with db.conn:
        db.execute("begin immediate")
        db.execute("delete from articles_fts")
        cursor = db.conn.execute("select id, title, description, text from articles order by id")
        while rows := cursor.fetchmany(batch):
            db.conn.executemany(
                "insert into articles_fts(rowid, title, description, text) values (?, ?, ?, ?)",
                [(r[0], *(index_text(v or "") for v in r[1:])) for r in rows],
            )
            count += len(rows)
    db.execute("insert into articles_fts(articles_fts) values ('optimize')")
    return count
