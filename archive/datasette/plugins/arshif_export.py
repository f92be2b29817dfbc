"""Datasette plugin: CSV of every matching article, streamed; a UTF-8 BOM for Excel on request.

- /<db>/search.csv?q=…  every match of the canned `search` (not its 50 shown), newest first,
  with url and the article page's link, the snippet as plain text (no <mark>).
- <any>.csv?_size=max  on a table streams every row (`_stream=on`), not the first 1,000.
- <any>.csv?_bom=1     starts with a UTF-8 BOM, so Excel reads the Arabic as UTF-8.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import AsgiStream, Response

from archive.query import fts_query
from archive.snippets import snippet_html

BOM = "\ufeff".encode()
BATCH = 1000  # rows per query: each stays far under the time limit on a large archive
COLUMNS = ("id", "url", "source", "title", "published", "word_count", "topics", "snippet",
           "article_url")
_MARK = re.compile(r"</?mark>")
_TABLE_CSV = re.compile(r"^/[^/]+/[^/]+\.csv$")


def plain_snippet(text: str | None, query: str) -> str:
    """The search snippet as plain text: snippet_html without its <mark> tags and entities."""
    return html.unescape(_MARK.sub("", snippet_html(text or "", query)))


def with_stream(query_string: bytes) -> bytes:
    """`_size=max` asks for every row: add `_stream=on` (Datasette stops at 1,000 without it)."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    keys = {k for k, _ in pairs}
    if ("_size", "max") in pairs and not keys & {"_stream", "_next"}:
        return urlencode([*pairs, ("_stream", "on")]).encode("utf-8")
    return query_string


def _with_bom(send):
    # Prepend the BOM to the first body chunk; a Content-Length grows by its three bytes.
    started = False

    async def bom_send(message):
        nonlocal started
        if message["type"] == "http.response.start":
            headers = [(k, str(int(v) + len(BOM)).encode() if k.lower() == b"content-length"
                        else v) for k, v in message.get("headers", [])]
            message = dict(message, headers=headers)
        elif message["type"] == "http.response.body" and not started:
            started = True
            message = dict(message, body=BOM + message.get("body", b""))
        await send(message)

    return bom_send


@hookimpl
def asgi_wrapper(datasette):
    """`_bom=1` on a .csv adds the BOM; `_size=max` on a table's .csv streams every row."""

    def wrap(app):
        async def export(scope, receive, send):
            if scope.get("type") != "http" or not scope.get("path", "").endswith(".csv"):
                return await app(scope, receive, send)
            query_string = scope.get("query_string", b"")
            if _TABLE_CSV.match(scope["path"]) and datasette.setting("allow_csv_stream"):
                scope = dict(scope, query_string=with_stream(query_string))
            if ("_bom", "1") in parse_qsl(query_string.decode("utf-8", "replace")):
                send = _with_bom(send)
            return await app(scope, receive, send)

        return export

    return wrap


def _rows_sql(query: str, has_columns: set[str]) -> str:
    picked = ", ".join(f"a.{c}" if c in has_columns else f"null as {c}"
                       for c in ("id", "url", "source", "title", "published", "word_count",
                                 "topics", "text", "search_key"))
    if fts_query(query) == '""':  # nothing to search: every article, newest first
        keys = "select search_key as key from articles where search_key < :before"
    else:
        keys = ("select rowid as key from articles_fts where articles_fts match :fts "
                "and rowid < :before")
    return (f"select {picked} from ({keys} order by key desc limit {BATCH}) as top "
            "join articles a on a.search_key = top.key order by top.key desc")


def file_name(database: str, query: str) -> str:
    """`arshif-search-داعش-2024-05-12.csv`: the database, the query and today's date."""
    words = "-".join(re.findall(r"[^\W_]+", query))[:60] or "all"
    return f"{database}-search-{words}-{datetime.now(UTC).date().isoformat()}.csv"


async def search_csv(datasette, request):
    """Every article the search matches, as CSV, streamed in batches (keyset on search_key)."""
    name = tilde_decode(request.url_vars["database"])
    db = datasette.databases.get(name)
    if db is None or not await db.table_exists("articles_fts"):
        return Response.text("لا أرشيف بهذا الاسم · no such archive", status=404)
    query = request.args.get("q") or ""
    sql = _rows_sql(query, set(await db.table_columns("articles")))
    params = {"fts": fts_query(query), "before": 1 << 62}

    async def stream(writer):
        out = io.StringIO()
        rows = csv.writer(out)
        rows.writerow(COLUMNS)
        while True:
            batch = (await db.execute(sql, params)).rows
            for r in batch:
                link = datasette.absolute_url(
                    request, datasette.urls.row(name, "articles", str(r["id"])))
                rows.writerow([r["id"], r["url"], r["source"], r["title"], r["published"],
                               r["word_count"], r["topics"], plain_snippet(r["text"], query),
                               link])
            await writer.write(out.getvalue())
            out.seek(0)
            out.truncate()
            if len(batch) < BATCH:
                return
            params["before"] = batch[-1]["search_key"]

    headers = {}
    if request.args.get("_dl"):
        fname = file_name(name, query)
        headers["content-disposition"] = (f"attachment; filename=\"{name}-search.csv\"; "
                                          f"filename*=UTF-8''{quote(fname)}")
    content_type = "text/csv; charset=utf-8" if request.args.get("_dl") else \
        "text/plain; charset=utf-8"
    return AsgiStream(stream, headers=headers, content_type=content_type)


@hookimpl
def register_routes():
    """/<db>/search.csv: every match, not the canned query's 50 (plugin routes come first)."""
    return [(r"^/(?P<database>[^/]+)/search\.csv$", search_csv)]
