"""Datasette plugin: an article's archived copy (banner + sandboxed frame) and its citation.

Routes, for a database that has `articles`:
  /<db>/articles/<id>/capture        banner page: capture time, URL, status, WARC file, offset,
                                     digest; the captured page in <iframe sandbox> below
  /<db>/articles/<id>/capture/page   the captured document itself, under a CSP sandbox
  /<db>/articles/<id>/cite.json|.bib|.txt   CSL-JSON, BibTeX, plain text

The WARC directory of a database is plugins.arshif.warc_dirs[<db>] (set by `arshif serve`;
null: none is served, as for snapshots), else warc/ beside the database file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

from archive.captures import warc_dir
from archive.citation import Citation
from archive.replay import REPLAY_HEADERS, CaptureUnavailable, load_capture, replay_document

ARTICLE = r"^/(?P<database>[^/]+)/articles/(?P<id>\d+)"
NOT_FOUND = "لا يوجد مقال بهذا الرقم · no such article"


def capture_dir(datasette, database: str) -> Path | None:
    """Where this database's WARC files are served from, or None when it has none."""
    dirs = (datasette.plugin_config("arshif") or {}).get("warc_dirs") or {}
    if database in dirs:
        return Path(dirs[database]) if dirs[database] else None
    db = datasette.databases.get(database)
    return warc_dir(db.path) if db is not None and db.path else None


async def load_article(datasette, request) -> tuple[str, dict[str, Any]] | None:
    """(database name, articles row) named by the URL, or None."""
    name = tilde_decode(request.url_vars["database"])
    db = datasette.databases.get(name)
    if db is None or not await db.table_exists("articles"):
        return None
    rows = (await db.execute("select * from articles where id = ?",
                             [int(request.url_vars["id"])])).rows
    return (name, dict(rows[0])) if rows else None


async def outlet_title(datasette, database: str, source: str) -> str:
    """The source's title, else its slug."""
    db = datasette.get_database(database)
    if not await db.table_exists("sources"):
        return source
    rows = (await db.execute("select title from sources where name = ?", [source])).rows
    return rows[0]["title"] if rows and rows[0]["title"] else source


def row_path(datasette, database: str, article_id: object) -> str:
    """The article page's path."""
    return datasette.urls.row(database, "articles", str(article_id))


async def citation(datasette, request, database: str, article: dict[str, Any]) -> Citation:
    """The citation of an article, with its absolute permalink."""
    permalink = datasette.absolute_url(request, row_path(datasette, database, article["id"]))
    outlet = await outlet_title(datasette, database, article["source"])
    return Citation.of(database, article, outlet, permalink)


async def capture_page(datasette, request):
    """The banner page with the archived copy in a sandboxed frame (404 page when none)."""
    found = await load_article(datasette, request)
    if found is None:
        return Response.text(NOT_FOUND, status=404)
    database, article = found
    context: dict[str, Any] = {
        "article": article, "article_url": row_path(datasette, database, article["id"]),
        "frame_url": request.path + "/page", "view": None, "error": None,
    }
    try:
        context["view"] = load_capture(article, capture_dir(datasette, database))
    except CaptureUnavailable as exc:
        context["error"] = str(exc)
    html = await datasette.render_template("arshif_capture.html", context, request=request)
    headers = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
    return Response.html(html, status=404 if context["error"] else 200, headers=headers)


async def capture_document(datasette, request):
    """The captured HTML, decoded with the archive's encoding, under REPLAY_HEADERS."""
    found = await load_article(datasette, request)
    if found is None:
        return Response.text(NOT_FOUND, status=404, headers=dict(REPLAY_HEADERS))
    database, article = found
    try:
        view = load_capture(article, capture_dir(datasette, database))
    except CaptureUnavailable as exc:
        return Response.text(str(exc), status=404, headers=dict(REPLAY_HEADERS))
    return Response(replay_document(view), headers=dict(REPLAY_HEADERS),
                    content_type="text/html; charset=utf-8")


async def cite(datasette, request):
    """The article's citation: .json CSL-JSON, .bib BibTeX, .txt one line."""
    found = await load_article(datasette, request)
    if found is None:
        return Response.text(NOT_FOUND, status=404)
    database, article = found
    cit = await citation(datasette, request, database, article)
    fmt = request.url_vars["format"]
    name = f"{cit.key}.{fmt}"
    headers = {"Content-Disposition": f'inline; filename="{name}"',
               "Access-Control-Allow-Origin": "*"}
    if fmt == "json":
        body = json.dumps([cit.csl()], ensure_ascii=False, indent=2) + "\n"
        return Response(body, headers=headers, content_type="application/vnd.citationstyles.csl"
                        "+json; charset=utf-8")
    if fmt == "bib":
        return Response(cit.bibtex(), headers=headers,
                        content_type="application/x-bibtex; charset=utf-8")
    return Response(cit.text() + "\n", headers=headers, content_type="text/plain; charset=utf-8")


@hookimpl
def register_routes():
    """The archived-copy and citation routes of the article page."""
    return [
        (ARTICLE + r"/capture$", capture_page),
        (ARTICLE + r"/capture/page$", capture_document),
        (ARTICLE + r"/cite\.(?P<format>json|bib|txt)$", cite),
    ]
