"""Research snapshots: a dated, consistent, single-file copy of the archive with a manifest.

`VACUUM INTO` reads the archive inside one read transaction, so a crawl writing at the same
time (WAL) neither blocks it nor leaks half a run into it. The copy is then optimised, switched
to journal_mode=DELETE (one immutable file, no -wal/-shm) and described: sha256, counts per
source and topic, date range, crawl runs, and a data dictionary of every column.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from archive.dictionary import describe_column, describe_table
from archive.search_help import write_search_help


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=60)
    try:
        src.execute("vacuum into ?", [str(target)])
    finally:
        src.close()
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("pragma journal_mode=delete")
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
        if "articles_fts" in tables:
            conn.execute("insert into articles_fts(articles_fts) values ('optimize')")
            write_search_help(conn)  # the index holds stemmed forms: say how to query it
        conn.execute("analyze")
        conn.execute("pragma optimize")
        conn.execute("vacuum")  # FTS optimize leaves free pages; the file should be minimal
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:
        # Only a table or column an older archive does not have is expected; any other error
        # (a malformed query, bad JSON) must surface rather than become an empty count.
        if str(exc).startswith(("no such table:", "no such column:")):
            return []
        raise


def manifest(path: Path) -> dict[str, Any]:
    """Describe a snapshot from its own contents (so counts always match its rows)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        objects = conn.execute(
            "select name, type from sqlite_master where type in ('table', 'view') "
            "and name not like 'sqlite_%' and name not like 'articles_fts_%' order by name"
        ).fetchall()
        dictionary = {}
        for name, kind in objects:
            cols = conn.execute(f"pragma table_info([{name}])").fetchall()
            dictionary[name] = {
                "type": kind, "description": describe_table(name),
                "columns": {c[1]: {"type": c[2] or None, "description": describe_column(name, c[1])}
                            for c in cols},
            }
            if kind == "table":
                count = conn.execute(f"select count(*) from [{name}]").fetchone()[0]
                dictionary[name]["rows"] = count
        meta = dict(_rows(conn, "select key, value from arshif_meta"))
        first, last = (_rows(conn, "select min(published), max(published) from articles")
                       or [(None, None)])[0]
        f_first, f_last = (_rows(conn, "select min(fetched_at), max(fetched_at) from articles")
                           or [(None, None)])[0]
        topics = _rows(conn, """
            select case when t.type = 'object' then json_extract(t.value, '$.topic')
                        else t.value end, count(distinct a.id)
            from articles a, json_each(a.topics) t where json_valid(a.topics)
            group by 1 order by 2 desc""")
        runs = _rows(conn, "select run, min(started), max(finished), group_concat(source) "
                           "from crawl_runs group by run order by 2")
        return {
            "schema_version": int(meta.get("schema_version", 0) or 0),
            "arshif_version": version("arshif"),
            "articles": dictionary.get("articles", {}).get("rows", 0),
            "articles_per_source": dict(_rows(conn, "select source, count(*) from articles "
                                                    "group by source order by source")),
            "articles_per_topic": dict(topics),
            "published_range": {"first": first, "last": last},
            "fetched_range": {"first": f_first, "last": f_last},
            "crawl_runs": [{"run": r[0], "started": r[1], "finished": r[2],
                            "sources": sorted((r[3] or "").split(","))} for r in runs],
            "tables": dictionary,
        }
    finally:
        conn.close()


def take_snapshot(db_path: Path, out_dir: Path, compress: bool = False,
                  day: str | None = None, warc_dir: Path | None = None) -> dict[str, Any]:
    """Write arshif-YYYY-MM-DD.db, .db.sha256 and .manifest.json (and .db.gz); the manifest.

    With warc_dir, also arshif-YYYY-MM-DD.wacz of the snapshot's articles' captures.
    """
    if not db_path.is_file():
        raise FileNotFoundError(f"no archive at {db_path}")
    day = day or datetime.now(UTC).date().isoformat()
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"arshif-{day}"
    target = out_dir / f"{stem}.db"
    tmp = out_dir / f".{stem}.db.tmp"
    tmp.unlink(missing_ok=True)
    try:
        _copy(db_path, tmp)
        conn = sqlite3.connect(tmp)
        try:
            check = conn.execute("pragma integrity_check").fetchone()[0]
        finally:
            conn.close()
        if check != "ok":
            raise RuntimeError(f"snapshot failed integrity_check: {check}")
        os.replace(tmp, target)  # readers of an older same-day snapshot never see half a file
    finally:
        # A damaged archive (or a full disk) must not leave a half-written copy behind.
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
    digest = sha256_file(target)
    (out_dir / f"{stem}.db.sha256").write_text(f"{digest}  {target.name}\n", "ascii")
    info = {"file": target.name, "sha256": digest, "bytes": target.stat().st_size,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "source_database": db_path.name, **manifest(target)}
    if compress:
        gz = out_dir / f"{target.name}.gz"
        with open(target, "rb") as src, gzip.GzipFile(gz, "wb", mtime=0) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        info["gzip"] = {"file": gz.name, "sha256": sha256_file(gz), "bytes": gz.stat().st_size}
    if warc_dir is not None:
        from archive.wacz_export import export_wacz  # py-wacz is loaded only when asked for

        # The snapshot's own rows, so the WACZ holds exactly the articles the .db does.
        info["wacz"] = export_wacz(target, warc_dir, out_dir / f"{stem}.wacz",
                                   title=f"Arshif snapshot {day}")
    (out_dir / f"{stem}.manifest.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return info
