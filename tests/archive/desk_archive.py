"""The demo outlets crawled once per test session into an archive the desk tests read."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from archive.query import fts_query
from tests.conftest import FAST, run_arshif

_CRAWLED: dict[str, Path] = {}


def crawled_archive(sites, root: Path) -> Path:
    """A real `arshif crawl --all-topics` of the fixture outlets (made once, then reused)."""
    if "db" not in _CRAWLED:
        root.mkdir(parents=True, exist_ok=True)
        sources = sites.write_sources(root / "sources.yaml")
        db = root / "arshif.db"
        result = run_arshif("crawl", "--sources", sources, "--db", db, "--all-topics", *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        _CRAWLED["db"] = db
    return _CRAWLED["db"]


def with_places(db: Path, dest: Path) -> Path:
    """A copy of the archive with place tags in an article_places table (as archive/places.py
    writes them): Kirkuk and Diyala for the articles whose text names them."""
    shutil.copy(db, dest)
    conn = sqlite3.connect(dest)
    with conn:
        conn.execute("create table article_places (article_id integer, place text, "
                     "governorate text)")
        for place, gov in (("كركوك", "كركوك"), ("ديالى", "ديالى"), ("الحويجة", "كركوك")):
            conn.execute("insert into article_places select id, ?, ? from articles "
                         "where text like ?", [place, gov, f"%{place}%"])
    conn.close()
    return dest


def matching_ids(db: Path, q: str = "", where: str = "1", params: tuple = ()) -> list[int]:
    """Article ids matching q (the archive's own search) and a filter, newest first."""
    conn = sqlite3.connect(db)
    try:
        if q:
            sql = ("select a.id from articles_fts f join articles a on a.search_key = f.rowid "
                   f"where articles_fts match ? and {where} order by f.rowid desc")
            return [r[0] for r in conn.execute(sql, [fts_query(q), *params])]
        sql = f"select a.id from articles a where {where} order by a.search_key desc"
        return [r[0] for r in conn.execute(sql, params)]
    finally:
        conn.close()
