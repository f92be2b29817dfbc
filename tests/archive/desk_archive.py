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


def without_places(db: Path, dest: Path) -> Path:
    """A copy of the archive as an older one was, before place tags (no article_places table
    and no places columns)."""
    shutil.copy(db, dest)
    conn = sqlite3.connect(dest)
    with conn:
        conn.execute("drop table article_places")
        for column in ("places", "places_governorates"):
            conn.execute(f"alter table articles drop column {column}")
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
