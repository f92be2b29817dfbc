"""Datasette for an archive: one configuration shared by `arshif serve` and the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

HERE = Path(__file__).resolve().parent / "datasette"


def database_name(db_path: str | Path) -> str:
    """Datasette's name for the database: the file's stem (data/arshif.db -> arshif)."""
    return Path(db_path).stem


def load_metadata(db_path: str | Path) -> dict[str, Any]:
    """metadata.yml with its __DB__ placeholder bound to this database's name."""
    meta = yaml.safe_load((HERE / "metadata.yml").read_text("utf-8"))
    dbs = meta.get("databases", {})
    if "__DB__" in dbs:
        dbs[database_name(db_path)] = dbs.pop("__DB__")
    return meta


def datasette_kwargs(db_path: str | Path, public: bool = True) -> dict[str, Any]:
    """Keyword arguments for Datasette(): immutable and limited when public."""
    db_path = str(db_path)
    settings = {
        "sql_time_limit_ms": 3000 if public else 10000,
        "max_returned_rows": 1000,
        "default_page_size": 50,
        "allow_download": True,
        "default_allow_sql": not public,
        "allow_facet": True,
        "suggest_facets": False,  # facet suggestions cost a query per column on every page
    }
    return {
        "files": [] if public else [db_path],
        "immutables": [db_path] if public else [],
        "metadata": load_metadata(db_path),
        "plugins_dir": str(HERE / "plugins"),
        "template_dir": str(HERE / "templates"),
        "static_mounts": [("arshif-static", str(HERE / "static"))],
        "settings": settings,
    }


def build_datasette(db_path: str | Path, public: bool = True) -> Datasette:
    """A Datasette instance serving one archive with Arshif's metadata and plugins."""
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no archive at {db_path}: run `arshif crawl` or `arshif demo` first")
    return Datasette(**datasette_kwargs(db_path, public))
