"""Datasette plugin: a research snapshot's manifest and checksum beside its database.

`arshif snapshot` writes arshif-YYYY-MM-DD.db with .manifest.json and .db.sha256 beside it;
`arshif serve --snapshots DIR` serves the .db, and these routes serve the other two:
  /<db>.manifest.json   counts, date ranges, crawl runs and the data dictionary
  /<db>.db.sha256       `sha256sum -c` line of the downloadable /<db>.db
"""

from __future__ import annotations

from pathlib import Path

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

from archive.datasette.meta import snapshot_files

NOT_FOUND = "لا ملف لهذه القاعدة · this database has no such file"


def _file(datasette, request, kind: str) -> Path | None:
    db = datasette.databases.get(tilde_decode(request.url_vars["database"]))
    if db is None or db.is_memory or not db.path:
        return None
    return snapshot_files(db.path).get(kind)


async def manifest(datasette, request):
    """The snapshot's manifest.json, as written by `arshif snapshot`."""
    path = _file(datasette, request, "manifest")
    if path is None:
        return Response.text(NOT_FOUND, status=404)
    return Response(path.read_text("utf-8"), content_type="application/json; charset=utf-8",
                    headers={"Access-Control-Allow-Origin": "*"})


async def checksum(datasette, request):
    """The snapshot's .db.sha256 line."""
    path = _file(datasette, request, "sha256")
    if path is None:
        return Response.text(NOT_FOUND, status=404)
    return Response.text(path.read_text("ascii"))


@hookimpl
def register_routes():
    """/<db>.manifest.json and /<db>.db.sha256 (before Datasette's /<db>.<format> route)."""
    return [
        (r"^/(?P<database>[^/]+)\.manifest\.json$", manifest),
        (r"^/(?P<database>[^/]+)\.db\.sha256$", checksum),
    ]
