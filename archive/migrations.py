"""Numbered data migrations, applied once each by ensure_schema and recorded in _migrations.

archive/schema.py declares tables, columns, indexes and views; ensure_schema creates what is
missing (new columns included) and then calls apply_migrations for what a declaration cannot
say: back-filling values, re-indexing, reshaping rows. Append new migrations to MIGRATIONS with
the next number; never renumber or edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from archive.store import now_iso

Migration = Callable[[sqlite_utils.Database], None]


def _baseline(db: sqlite_utils.Database) -> None:
    """Archives made before migrations existed are at version 1 as they stand."""


def _backfill_day_and_first_seen(db: sqlite_utils.Database) -> None:
    """Rows written before day/first_seen_at were filled by save_article get them now."""
    db.execute("update articles set day = substr(published, 1, 10) "
               "where day is null and published is not null")
    db.execute("update articles set first_seen_at = fetched_at where first_seen_at is null")


def _index_missing_fts_rows(db: sqlite_utils.Database) -> None:
    """Articles written without a search-index row (older writers) get one."""
    from archive.search import index_article

    rows = db.execute(
        "select id, title, description, text from articles "
        "where id not in (select rowid from articles_fts)"
    ).fetchall()
    # Written when the index's rowid was articles.id; migration 4 moves these rows to search keys.
    for rowid, title, description, text in rows:
        index_article(db, rowid, {"title": title, "description": description, "text": text})


def _publication_ordered_search_keys(db: sqlite_utils.Database) -> None:
    """articles_fts rowids become articles.search_key (publication order) instead of id.

    The normalised forms already in the index are moved, not recomputed, so this costs a copy
    of the index rather than a re-normalisation of every text.
    """
    from archive.search import assign_search_keys

    assign_search_keys(db)
    db.execute("drop table if exists temp.fts_move")
    db.execute(
        "create temp table fts_move as select a.search_key as key, f.title, f.description, "
        "f.text from articles a join articles_fts f on f.rowid = a.id"
    )
    db.execute("delete from articles_fts")
    db.execute(
        "insert into articles_fts(rowid, title, description, text) "
        "select key, title, description, text from temp.fts_move order by key"
    )
    db.execute("drop table temp.fts_move")


def _tag_places(db: sqlite_utils.Database) -> None:
    """Articles stored before place tagging get their places (articles.places, article_places)."""
    from archive.places import backfill_places

    backfill_places(db)


def _covering_search_key_index(db: sqlite_utils.Database) -> None:
    """The desk's covering index articles(search_key, day, source) (archive/schema.py)."""
    # ensure_schema creates declared indexes first; this keeps the step whole on its own.
    db.execute("create index if not exists idx_articles_search_key_day_source "
               "on articles (search_key, day, source)")


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "baseline", _baseline),
    (2, "backfill_day_and_first_seen", _backfill_day_and_first_seen),
    (3, "index_missing_fts_rows", _index_missing_fts_rows),
    (4, "publication_ordered_search_keys", _publication_ordered_search_keys),
    (5, "tag_places", _tag_places),
    (6, "covering_search_key_index", _covering_search_key_index),
]
LATEST = MIGRATIONS[-1][0]


def applied(db: sqlite_utils.Database) -> set[int]:
    """Numbers of the migrations already applied to this archive."""
    if not db.table("_migrations").exists():
        return set()
    return {r[0] for r in db.execute("select number from _migrations").fetchall()}


def apply_migrations(db: sqlite_utils.Database) -> list[int]:
    """Apply pending migrations in order, each in its own transaction; the numbers applied."""
    db.execute(
        "create table if not exists _migrations "
        "(number integer primary key, name text not null, applied_at text not null)"
    )
    done = []
    for number, name, migrate in MIGRATIONS:
        if number in applied(db):
            continue
        with db.conn:
            db.execute("begin immediate")
            # Another process may have applied it while we waited for the write lock.
            if db.execute("select 1 from _migrations where number = ?", [number]).fetchone():
                continue
            migrate(db)
            db.execute("insert into _migrations (number, name, applied_at) values (?, ?, ?)",
                       [number, name, now_iso()])
        done.append(number)
    return done
