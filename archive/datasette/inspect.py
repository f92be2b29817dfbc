"""Datasette's inspect data for immutable archives: bounded table counts, no whole-file hash.

Without it Datasette 0.65 counts every table of an immutable database on each worker's first
request (at 1,000,000 articles the FTS shadow tables alone take 5–28 s, every request waiting)
and hashes the whole file on the event loop when /-/databases.json or the download is asked
for (10 GB: 20 s in which the worker answers nothing; bench/README.md, "Load").
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from archive.datasette.meta import database_name

# A table counted for longer is shown without its count ("Many rows"); the limit stops
# a count between SQLite's steps, so a plain table's count(*) (one step) may take longer.
COUNT_MS = 100
_SHA256 = re.compile(r"^([0-9a-f]{64})\s")


def bounded_count(conn: sqlite3.Connection, table: str, limit_ms: int = COUNT_MS) -> int | None:
    """count(*) of the table, or None when it takes longer than limit_ms."""
    deadline = time.monotonic() + limit_ms / 1000
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        quoted = '"' + table.replace('"', '""') + '"'
        return conn.execute(f"select count(*) from {quoted}").fetchone()[0]
    except sqlite3.DatabaseError:  # interrupted (or a virtual table that cannot be counted)
        return None
    finally:
        conn.set_progress_handler(None, 0)


def is_index_table(name: str, virtual: list[str]) -> bool:
    """A full-text index or one of its shadow tables (articles_fts, articles_fts_data…): not
    counted (hidden by Datasette; a count of a shadow table reads all of it, ≈ 0.8 s at 1M)."""
    return any(name == v or name.startswith(v + "_") for v in virtual)


def file_sha256(path: Path) -> str | None:
    """The SHA-256 that `arshif snapshot` wrote beside the file (<name>.sha256), if any."""
    beside = path.with_name(path.name + ".sha256")
    try:
        found = _SHA256.match(beside.read_text("ascii"))
    except (OSError, UnicodeDecodeError):
        return None
    return found.group(1) if found else None


def inspect_file(path: str | Path) -> dict[str, Any]:
    """One database's entry: its file, size, known hash (or None) and bounded table counts."""
    path = Path(path)
    conn = sqlite3.connect(path.resolve().as_uri() + "?immutable=1", uri=True)
    try:
        rows = conn.execute("select name, sql from sqlite_master where type = 'table' "
                            "order by name").fetchall()
        virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
        counts = {n: {"count": None if is_index_table(n, virtual) else bounded_count(conn, n)}
                  for n, _ in rows}
    finally:
        conn.close()
    return {"file": path.name, "size": path.stat().st_size, "hash": file_sha256(path),
            "tables": counts}


def inspect_data(paths: list[str | Path]) -> dict[str, dict[str, Any]]:
    """Datasette(inspect_data=…) for these immutable files, keyed by database name."""
    return {database_name(p): inspect_file(p) for p in paths}
