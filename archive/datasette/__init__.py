"""Arshif's Datasette plugin: metadata, search config and CSS for every Arshif archive served.

Registered through the `datasette` entry point group (pyproject.toml), with the modules in
plugins/, so `pip install arshif` then `datasette serve any.db` gets all of it; `arshif serve`
registers the same modules by the same names when the entry points were not loaded.
"""

from __future__ import annotations

import copy
import importlib
from pathlib import Path
from typing import Any

from datasette import hookimpl

from archive.datasette.meta import HERE, database_metadata, instance_metadata, is_archive

# Entry point name -> module; the names match pyproject.toml so nothing registers twice.
PLUGINS = {
    "arshif": "archive.datasette",
    **{name: f"archive.datasette.plugins.{name}" for name in (
        "arshif_article", "arshif_atom", "arshif_cache", "arshif_capture", "arshif_cells",
        "arshif_desk", "arshif_export", "arshif_headers", "arshif_introspect", "arshif_params",
        "arshif_readonly", "arshif_robots", "arshif_search", "arshif_snapshot_files")},
}

# (path, name) -> ((mtime, size), metadata or None): re-read when the file changes.
_CACHE: dict[tuple[str, str], tuple[tuple[int, int], dict[str, Any] | None]] = {}


def register_plugins() -> None:
    """Register Arshif's plugin modules with Datasette unless its entry points already did."""
    from datasette.plugins import pm

    for name, module_name in PLUGINS.items():
        module = importlib.import_module(module_name)
        if pm.get_plugin(name) is None and not pm.is_registered(module):
            pm.register(module, name)


def archive_metadata(path: str, name: str) -> dict[str, Any] | None:
    """Per-database metadata if the file is an Arshif archive, else None (cached per version)."""
    try:
        st = Path(path).stat()
    except OSError:
        return None
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _CACHE.get((path, name))
    if cached and cached[0] == stamp:
        return cached[1]
    meta = database_metadata(path, name) if is_archive(path) else None
    _CACHE[(path, name)] = (stamp, meta)
    return meta


@hookimpl
def get_metadata(datasette, key, database, table):
    """Arshif's metadata for every served archive that the local metadata does not configure."""
    # Local metadata (`-m`, `arshif serve`) for a database wins whole: it is not merged with ours.
    local = getattr(datasette, "_metadata_local", None) or {}
    configured = local.get("databases") or {}
    dbs = {}
    for name, db in datasette.databases.items():
        if name in configured or db.is_memory or not db.path:
            continue
        meta = archive_metadata(db.path, name)
        if meta is not None:
            dbs[name] = meta
    if not dbs:
        return {}
    # Datasette merges into the first source's dicts: hand out copies, never the cache.
    return {**instance_metadata(), "databases": copy.deepcopy(dbs)}


async def _css(request):
    from datasette.utils.asgi import Response

    return Response((HERE / "static" / "arshif.css").read_text("utf-8"),
                    content_type="text/css; charset=utf-8")


@hookimpl
def register_routes():
    """Serve the archive's stylesheet where metadata.yml's extra_css_urls points."""
    return [(r"^/arshif-static/arshif\.css$", _css)]
