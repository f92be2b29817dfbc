"""Datasette for an archive: one configuration shared by `arshif serve` and the tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from archive.captures import warc_dir as archive_warc_dir
from archive.datasette import register_plugins
from archive.datasette.inspect import inspect_data
from archive.datasette.instance import ArshifDatasette
from archive.datasette.meta import (  # noqa: F401  (re-exported: tests and the CLI use them)
    HERE,
    _bind_db_name,
    _drop_missing_facets,
    database_metadata,
    database_name,
    is_archive,
    metadata_for,
    table_columns,
)


def load_metadata(db_path: str | Path, robots_txt: str | None = None) -> dict[str, Any]:
    """metadata.yml bound to this database: its name, its columns, an optional robots.txt."""
    meta = metadata_for([db_path])
    if robots_txt is not None:
        meta.setdefault("plugins", {}).setdefault("arshif", {})["robots_txt"] = robots_txt
    return meta


def datasette_kwargs(
    db_path: str | Path, public: bool = True, allow_sql: bool | None = None,
    robots_txt: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for Datasette(): canned queries only and limited, immutable when public.

    public=False (`arshif serve --live`) opens the file read-only but not immutable; it is as
    closed as public. Only allow_sql=True opens the SQL editor, `_where=` and ?_searchmode=raw
    (streamed table CSV is on in every mode: public data, the table's own queries).
    robots_txt replaces the default robots.txt (see plugins/arshif_robots).
    """
    db_path = str(db_path)
    register_plugins()  # no-op when Datasette loaded them from the `datasette` entry points
    allow_sql = bool(allow_sql)
    settings = {
        "sql_time_limit_ms": 10000 if allow_sql and not public else 3000,
        "max_returned_rows": 1000,
        "default_page_size": 50,
        "allow_download": True,
        # `.csv?_stream=on` (and `_size=max`, plugins/arshif_export.py) streams every matching
        # row in pages: the archive is public data, and the HTML keeps its row limits.
        "allow_csv_stream": True,
        "default_allow_sql": allow_sql,
        "allow_facet": True,
        "suggest_facets": False,  # facet suggestions cost a query per column on every page
    }
    return {
        "files": [] if public else [db_path],
        "immutables": [db_path] if public else [],
        "metadata": load_metadata(db_path, robots_txt),
        "template_dir": str(HERE / "templates"),
        "static_mounts": [("arshif-static", str(HERE / "static"))],
        "settings": settings,
    }


def build_datasette(
    db_path: str | Path, public: bool = True, allow_sql: bool | None = None,
    robots_txt: str | None = None, extra_immutables: list[str | Path] | None = None,
    warc_dir: str | Path | None = None, precompile_templates: bool = False,
) -> Datasette:
    """A Datasette instance serving one archive with Arshif's metadata and plugins.

    warc_dir: where the archive's WARC files are (default: warc/ beside it), for the archived
    copy of each article (plugins/arshif_capture.py); snapshots are served without WARC files.
    precompile_templates: compile every template at startup (`arshif serve`: each worker
    would otherwise compile them during its first requests; archive/datasette/instance.py).
    """
    if not Path(db_path).is_file():
        raise FileNotFoundError(
            f"no archive at {db_path}: run `arshif crawl` or `arshif demo` first")
    kwargs = datasette_kwargs(db_path, public, allow_sql, robots_txt)
    # Research snapshots (arshif serve --snapshots): extra immutable, downloadable databases,
    # configured like the archive (search, canned queries, facets) in the metadata itself
    # rather than left to the get_metadata hook, which a local configuration overrides.
    kwargs["immutables"] = [*kwargs["immutables"], *map(str, extra_immutables or [])]
    if kwargs["immutables"]:  # bounded counts and no whole-file hash (datasette/inspect.py)
        kwargs["inspect_data"] = inspect_data(kwargs["immutables"])
    for extra in extra_immutables or []:
        if is_archive(extra):
            kwargs["metadata"]["databases"][database_name(extra)] = database_metadata(extra)
    dirs: dict[str, str | None] = {database_name(p): None for p in extra_immutables or []}
    dirs[database_name(db_path)] = str(archive_warc_dir(db_path, warc_dir))
    kwargs["metadata"].setdefault("plugins", {}).setdefault("arshif", {})["warc_dirs"] = dirs
    ds = ArshifDatasette(**kwargs)
    ds.precompile_templates = precompile_templates
    return ds


# `arshif serve --workers N`: each uvicorn worker process builds its own Datasette from this
# variable (uvicorn's workers need an import string, not an app object).
SERVE_ENV = "ARSHIF_SERVE"


def serve_environment(**kwargs: Any) -> dict[str, str]:
    """The environment variable that makes app_from_env() build build_datasette(**kwargs)."""
    kwargs["db_path"] = str(kwargs["db_path"])
    kwargs["extra_immutables"] = [str(p) for p in kwargs.get("extra_immutables") or []]
    return {SERVE_ENV: json.dumps(kwargs)}


def app_from_env():
    """ASGI app factory for uvicorn workers: build_datasette(**json of $ARSHIF_SERVE).app()."""
    config = os.environ.get(SERVE_ENV)
    if not config:
        raise RuntimeError(f"{SERVE_ENV} is not set: start workers with `arshif serve --workers`")
    # Datasette runs its startup hooks on the first request (AsgiRunOnFirstRequest).
    return build_datasette(**json.loads(config)).app()
