"""`python -m bench places --articles N`: give an existing bench archive its place tags.

The archive a fresh build would make (bench/places.py), without rebuilding it: each article
gets its place sentence (text, word_count, content_sha256 and its search-index row follow),
then the real tagger's tags in articles.places, places_governorates and article_places. Two
worker processes sentence, normalise and tag; the parent writes a batch per transaction.
Running it again changes nothing (a text that ends with its sentence keeps it).
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from collections import deque
from pathlib import Path
from typing import Any

from archive.arabic import index_text
from bench.places import VERSION, content_sha, tag_row, with_place

BATCH = 1000
WINDOW = 4  # batches in flight: workers busy while the parent writes, memory bounded
READ_SQL = ("select id, published, title, description, text from articles where id > ? "
            "order by id limit ?")


def tagged_version(conn: sqlite3.Connection) -> str | None:
    """The bench_places version the archive's tags were made with (None: never tagged)."""
    row = conn.execute("select value from arshif_meta where key = 'bench_places'").fetchone()
    return row[0] if row else None


def _work(rows: list[tuple]) -> list[tuple]:
    out = []
    for article_id, published, title, description, text in rows:
        new = with_place(article_id, text)
        places, governorates, place_rows = tag_row(article_id, published, title, description,
                                                   new)
        changed = new != text
        out.append((article_id, new if changed else None, index_text(new) if changed else None,
                    len(new.split()), content_sha(new), places, governorates, place_rows))
    return out


def _write(conn: sqlite3.Connection, done: list[tuple]) -> None:
    conn.execute("begin")
    for article_id, text, fts_text, words, sha, places, governorates, _ in done:
        if text is not None:
            conn.execute("update articles set text = ?, word_count = ?, content_sha256 = ? "
                         "where id = ?", [text, words, sha, article_id])
            conn.execute("update articles_fts set text = ? where rowid = (select search_key "
                         "from articles where id = ?)", [fts_text, article_id])
        conn.execute("update articles set places = ?, places_governorates = ? where id = ?",
                     [places, governorates, article_id])
    conn.execute("delete from article_places where article_id between ? and ?",
                 [done[0][0], done[-1][0]])
    conn.executemany("insert into article_places (article_id, place, governorate, kind, "
                     "mentions, published) values (?, ?, ?, ?, ?, ?)",
                     [r for d in done for r in d[7]])
    conn.execute("commit")


def add_places(db_path: Path, workers: int = 2) -> dict[str, Any]:
    """Tag every article of the bench archive at db_path; returns counts and seconds."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    if tagged_version(conn) == VERSION:
        conn.close()
        return {"reused": True}
    conn.execute("pragma journal_mode=wal")
    conn.execute("pragma synchronous=off")
    conn.execute("pragma cache_size=-262144")
    total = conn.execute("select count(*) from articles").fetchone()[0]
    t0, last, done = time.perf_counter(), -1, 0
    pending: deque = deque()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        while True:
            rows = conn.execute(READ_SQL, [last, BATCH]).fetchall()
            if rows:
                last = rows[-1][0]
                pending.append(pool.apply_async(_work, (rows,)))
            if pending and (len(pending) >= WINDOW or not rows):
                out = pending.popleft().get()
                _write(conn, out)
                done += len(out)
                if done % 50_000 < BATCH:
                    print(f"  {done:,} / {total:,} articles tagged, "
                          f"{done / (time.perf_counter() - t0):,.0f}/s", flush=True)
            if not rows and not pending:
                break
    tag_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    conn.execute("insert into articles_fts(articles_fts) values ('optimize')")
    conn.execute("insert or replace into arshif_meta (key, value) values ('bench_places', ?)",
                 [VERSION])
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.execute("pragma journal_mode=delete")
    optimize_s = time.perf_counter() - t1
    tagged = conn.execute("select count(distinct article_id) from article_places").fetchone()[0]
    conn.close()
    return {"articles": total, "tagged": tagged, "tag_s": tag_s, "optimize_s": optimize_s}
