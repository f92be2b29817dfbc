"""Datasette plugin: the journalist's desk at /<db>/-/desk, its exports, and / opening on it.

The page is built by archive/desk (parameters, SQL, attention); this module runs the queries
through Datasette's read connections and renders templates/arshif_desk.html. Its scripts are
static files (static/desk.js, static/vendor/): the page works under `script-src 'self'`.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from markupsafe import Markup

from archive.datasette.desk_page import desk_context, panels_context
from archive.datasette.desk_stream import export_response
from archive.datasette.meta import HERE, is_archive
from archive.desk.params import parse_params
from archive.desk.sql import COLUMNS_SQL, LAYOUT_SQL, Layout

STATIC = HERE / "static"
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# Security headers of the desk's own responses; a global CSP may add more, never less.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'")


def archive_names(datasette) -> list[str]:
    """The served databases that are Arshif archives, in the order they were given."""
    return [name for name, db in datasette.databases.items()
            if not db.is_memory and db.path and is_archive(db.path)]


async def layout(db) -> Layout:
    """Which place tags (archive/places.py) and whether the desk's covering index exist here.

    Read on every request (two catalogue reads, well under a millisecond): an archive that a
    crawl migrates while it is served gets the index's plans without a restart.
    """
    names = {r[0] for r in (await db.execute(LAYOUT_SQL)).rows}
    columns = {r[1] for r in (await db.execute(COLUMNS_SQL)).rows}
    return Layout.read(names, columns)


def _not_found(message: str) -> Response:
    page = (f'<!DOCTYPE html><html lang="ar" dir="rtl"><meta charset="utf-8">'
            f"<title>أرشيف</title><p>{Markup.escape(message)}</p>"
            '<p><a href="/-/index">قواعد البيانات · Databases</a></p></html>')
    return Response.html(page, status=404)


async def _setup(datasette, request):
    database = request.url_vars["database"]
    if database not in archive_names(datasette):
        return None, _not_found(f"لا أرشيف باسم «{database}» على هذا الخادم.")
    db = datasette.get_database(database)
    outlets = {r["name"]: r["title"] or r["name"] for r in (await db.execute(
        "select name, title from sources order by name")).rows}
    args = {k: request.args.getlist(k) for k in request.args.keys()}
    return (db, parse_params(args, list(outlets)), outlets, await layout(db)), None


async def desk(datasette, request) -> Response:
    """The desk page: search, attention over time, outlets, terms, places, export links."""
    setup, error = await _setup(datasette, request)
    if error:
        return error
    db, params, outlets, shape = setup
    # The panels come in the page only when asked (?panels=1: no JavaScript needed);
    # otherwise desk.js fetches them, so the results do not wait for the aggregates.
    inline = request.args.get("panels") == "1"
    try:
        context = await desk_context(datasette, request, db, params, outlets, shape,
                                     panels=inline)
    except QueryInterrupted:
        params.errors.append("استغرق البحث أطول من المسموح: ضيّق المدة الزمنية أو أضف كلمات.")
        context = await desk_context(datasette, request, db, params, outlets, shape, run=False)
    except sqlite3.DatabaseError as exc:
        params.errors.append(f"تعذّر تنفيذ البحث: {exc}")
        context = await desk_context(datasette, request, db, params, outlets, shape, run=False)
    html = await datasette.render_template("arshif_desk.html", context, request=request)
    return Response.html(html, headers={"content-security-policy": CSP,
                                        "referrer-policy": "no-referrer"})


async def panels(datasette, request) -> Response:
    """The desk's coverage panels alone (an HTML fragment that desk.js puts in the page)."""
    setup, error = await _setup(datasette, request)
    if error:
        return error
    db, params, outlets, shape = setup
    context: dict = {"p": params, "ran": False}
    if not params.errors:
        try:
            context = {"p": params, "ran": True,
                       **await panels_context(db, params, outlets, shape)}
        except QueryInterrupted:
            params.errors.append("استغرق حساب المخططات أطول من المسموح: ضيّق المدة الزمنية.")
        except sqlite3.DatabaseError as exc:
            params.errors.append(f"تعذّر حساب المخططات: {exc}")
    html = await datasette.render_template("arshif_desk_panels.html", context, request=request)
    return Response.html(html, headers={"content-security-policy": CSP,
                                        "referrer-policy": "no-referrer"})


async def export(datasette, request):
    """Every matching story as CSV, CSV with BOM (?bom=1) or JSON, streamed in batches."""
    setup, error = await _setup(datasette, request)
    if error:
        return error
    db, params, _, shape = setup
    if params.errors:
        return Response.text("\n".join(params.errors) + "\n", status=400)
    return export_response(datasette, request, db, params, shape, request.url_vars["fmt"],
                           date.today())


async def home(datasette, request, send):
    """/ opens the first archive's desk; without an archive, Datasette's own index."""
    names = archive_names(datasette)
    if names:
        return Response.redirect(datasette.urls.path(f"/{names[0]}/-/desk"))
    return await datasette_index(datasette, request, send)


async def datasette_index(datasette, request, send):
    """Datasette's own list of databases and tables (at /-/index once / is the desk)."""
    from datasette.views.index import IndexView

    return await IndexView.as_view(datasette)(request, send)


async def static(request) -> Response:
    """The desk's script, style and vendored chart libraries (package data, no other host)."""
    rel = request.url_vars["path"]
    path = (STATIC / rel).resolve()
    if STATIC not in path.parents or not path.is_file():
        return Response.text("not found", status=404)
    return Response(path.read_bytes().decode("utf-8"),
                    content_type=_STATIC_TYPES.get(Path(rel).suffix, "text/plain"),
                    headers={"cache-control": "max-age=3600"})


@hookimpl
def register_routes():
    """The desk, its exports, / and the desk's static files."""
    return [
        (r"^/$", home),
        (r"^/-/index(?P<format>\.jsono?)?$", datasette_index),
        (r"^/(?P<database>[^/]+)/-/desk$", desk),
        (r"^/(?P<database>[^/]+)/-/desk/panels$", panels),
        (r"^/(?P<database>[^/]+)/-/desk\.(?P<fmt>csv|json)$", export),
        (r"^/arshif-static/(?P<path>desk\.(?:js|css)|vendor/[\w.-]+\.min\.js)$", static),
    ]

