"""Datasette plugin: the /-/ introspection pages without the server's file system paths.

Datasette 0.65's /-/databases shows each database file's absolute path, /-/threads the repr of
every asyncio task (source file paths) and /-/metadata the plugin configuration, where
`arshif serve` keeps each archive's WARC directory: a public archive names its files, not its
disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.views.special import JsonDataView


def public_databases(datasette) -> list[dict[str, Any]]:
    """/-/databases: each database with its file name only."""
    return [{**db, "path": Path(db["path"]).name if db.get("path") else None}
            for db in datasette._connected_databases()]


def public_threads(datasette) -> dict[str, Any]:
    """/-/threads: thread names and the task count, not the tasks' source locations."""
    data = datasette._threads()
    return {key: value for key, value in data.items() if key != "tasks"}


def public_metadata(datasette) -> dict[str, Any]:
    """/-/metadata: the metadata, with each WARC directory shown by its folder name only."""
    data = datasette.metadata()
    arshif = (data.get("plugins") or {}).get("arshif") or {}
    if "warc_dirs" in arshif:
        dirs = {db: Path(d).name if d else None for db, d in arshif["warc_dirs"].items()}
        plugins = {**data["plugins"], "arshif": {**arshif, "warc_dirs": dirs}}
        data = {**data, "plugins": plugins}
    return data


@hookimpl
def register_routes(datasette):
    """Plugin routes come before Datasette's own, so these replace /-/databases and /-/threads."""
    return [
        (r"^/-/databases(\.(?P<format>json))?$", JsonDataView.as_view(
            datasette, "databases.json", lambda: public_databases(datasette))),
        (r"^/-/threads(\.(?P<format>json))?$", JsonDataView.as_view(
            datasette, "threads.json", lambda: public_threads(datasette))),
        (r"^/-/metadata(\.(?P<format>json))?$", JsonDataView.as_view(
            datasette, "metadata.json", lambda: public_metadata(datasette))),
    ]
