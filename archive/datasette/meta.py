"""Arshif's Datasette metadata bound to real database names (no Datasette import: plugin-safe)."""

from __future__ import annotations

import copy
import sqlite3
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

HERE = Path(__file__).resolve().parent
# A database is an Arshif archive when it has both: the articles and their search index.
ARCHIVE_TABLES = {"articles", "articles_fts"}


def database_name(db_path: str | Path) -> str:
    """Datasette's name for the database: the file's stem (data/arshif.db -> arshif)."""
    return Path(db_path).stem


def table_columns(db_path: str | Path) -> dict[str, set[str]]:
    """Columns of every table in the archive, read without writing to the file."""
    uri = Path(db_path).resolve().as_uri()
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True)
        conn.execute("select 1 from sqlite_master limit 1")
    except sqlite3.OperationalError:  # WAL file without its -shm in a read-only directory
        conn = sqlite3.connect(uri + "?immutable=1", uri=True)
    try:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {t: {r[1] for r in conn.execute(f'pragma table_info("{t}")')} for t in tables}
    finally:
        conn.close()


def is_archive(db_path: str | Path) -> bool:
    """True when the file is an SQLite database with Arshif's articles and articles_fts."""
    try:
        return Path(db_path).is_file() and ARCHIVE_TABLES <= set(table_columns(db_path))
    except sqlite3.DatabaseError:  # not SQLite, or unreadable: not ours to describe
        return False


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    return yaml.safe_load((HERE / "metadata.yml").read_text("utf-8"))


def _facet_column(facet: str | dict[str, str]) -> str:
    return facet if isinstance(facet, str) else next(iter(facet.values()))


def _bind_db_name(meta_db: dict[str, Any], name: str) -> None:
    # Canned queries name the database in tag: ids and links; it is only known at serve time.
    for query in (meta_db.get("queries") or {}).values():
        for key in ("sql", "description_html"):
            if key in query:
                query[key] = query[key].replace("__DB__", name)


def _drop_missing_facets(meta_db: dict[str, Any], columns: dict[str, set[str]]) -> None:
    # A configured facet on a missing column is an error page; drop it until the column exists.
    for table, spec in (meta_db.get("tables") or {}).items():
        if "facets" in spec and table in columns:
            spec["facets"] = [f for f in spec["facets"] if _facet_column(f) in columns[table]]


def snapshot_files(db_path: str | Path) -> dict[str, Path]:
    """The manifest and checksum `arshif snapshot` wrote beside this file, those that exist."""
    path = Path(db_path)
    files = {"manifest": path.with_suffix(".manifest.json"),
             "sha256": path.with_name(path.name + ".sha256")}
    return {kind: f for kind, f in files.items() if f.is_file()}


def _link_snapshot_files(meta_db: dict[str, Any], db_path: str | Path, name: str) -> None:
    # A snapshot's database page links its manifest and checksum (plugins/arshif_snapshot_files).
    files = snapshot_files(db_path)
    if not files:
        return
    links = []
    if "manifest" in files:
        links.append(f'<a href="/{quote(name)}.manifest.json">manifest.json</a> (counts, '
                     "date ranges, crawl runs, data dictionary · البيان وقاموس البيانات)")
    if "sha256" in files:
        links.append(f'<a href="/{quote(name)}.db.sha256">SHA-256</a> of '
                     f'<a href="/{quote(name)}.db">{escape(name)}.db</a>')
    meta_db["description_html"] = (
        f"<p>{escape(meta_db.get('description') or '')}</p>"
        f"<p>Research snapshot · لقطة بحثية: {' · '.join(links)}</p>")


def instance_metadata() -> dict[str, Any]:
    """metadata.yml's instance-wide part (title, description, licence, CSS), no databases."""
    return {k: copy.deepcopy(v) for k, v in _template().items() if k != "databases"}


def database_metadata(db_path: str | Path, name: str | None = None) -> dict[str, Any]:
    """metadata.yml's per-database part bound to this file: its name and its columns."""
    name = name or database_name(db_path)
    meta_db = copy.deepcopy(_template()["databases"]["__DB__"])
    _bind_db_name(meta_db, name)
    if Path(db_path).is_file():
        _drop_missing_facets(meta_db, table_columns(db_path))
        _link_snapshot_files(meta_db, db_path, name)
    return meta_db


def metadata_for(paths: list[str | Path]) -> dict[str, Any]:
    """A complete metadata document for these archive files, keyed by their Datasette names."""
    meta = instance_metadata()
    meta["databases"] = {database_name(p): database_metadata(p) for p in paths}
    return meta
