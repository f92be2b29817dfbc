"""Datasette for an archive: one configuration shared by `arshif serve` and the tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

HERE = Path(__file__).resolve().parent / "datasette"


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
        return {t: {r[1] for r in conn.execute(f"pragma table_info([{t}])")} for t in tables}
    finally:
        conn.close()


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


def load_metadata(db_path: str | Path, robots_txt: str | None = None) -> dict[str, Any]:
    """metadata.yml bound to this database: its name, its columns, an optional robots.txt."""
    meta = yaml.safe_load((HERE / "metadata.yml").read_text("utf-8"))
    dbs = meta.get("databases", {})
    name = database_name(db_path)
    if "__DB__" in dbs:
        dbs[name] = dbs.pop("__DB__")
    if name in dbs:
        _bind_db_name(dbs[name], name)
        if Path(db_path).is_file():
            _drop_missing_facets(dbs[name], table_columns(db_path))
    if robots_txt is not None:
        meta.setdefault("plugins", {}).setdefault("arshif", {})["robots_txt"] = robots_txt
    return meta


def datasette_kwargs(
    db_path: str | Path, public: bool = True, allow_sql: bool | None = None,
    robots_txt: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for Datasette(): immutable, canned-queries-only and limited when public.

    allow_sql=None means "only when not public"; True opens the SQL editor (and `_where=`) even
    on a public instance. robots_txt replaces the default robots.txt (see plugins/arshif_robots).
    """
    db_path = str(db_path)
    if allow_sql is None:
        allow_sql = not public
    settings = {
        "sql_time_limit_ms": 3000 if public else 10000,
        "max_returned_rows": 1000,
        "default_page_size": 50,
        "allow_download": True,
        # Streaming every row as CSV skips max_returned_rows; the whole file is downloadable.
        "allow_csv_stream": not public,
        "default_allow_sql": allow_sql,
        "allow_facet": True,
        "suggest_facets": False,  # facet suggestions cost a query per column on every page
    }
    return {
        "files": [] if public else [db_path],
        "immutables": [db_path] if public else [],
        "metadata": load_metadata(db_path, robots_txt),
        "plugins_dir": str(HERE / "plugins"),
        "template_dir": str(HERE / "templates"),
        "static_mounts": [("arshif-static", str(HERE / "static"))],
        "settings": settings,
    }


def build_datasette(
    db_path: str | Path, public: bool = True, allow_sql: bool | None = None,
    robots_txt: str | None = None, extra_immutables: list[str | Path] | None = None,
) -> Datasette:
    """A Datasette instance serving one archive with Arshif's metadata and plugins."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(
            f"no archive at {db_path}: run `arshif crawl` or `arshif demo` first")
    kwargs = datasette_kwargs(db_path, public, allow_sql, robots_txt)
    # Research snapshots (arshif serve --snapshots): extra immutable, downloadable databases.
    kwargs["immutables"] = [*kwargs["immutables"], *map(str, extra_immutables or [])]
    return Datasette(**kwargs)
