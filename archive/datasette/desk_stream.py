"""The desk's exports: every matching story, streamed as it is read, a batch at a time."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from datasette.utils.asgi import AsgiStream

from archive.desk.export import BATCH, BOM, csv_lines, export_row, file_name, json_lines
from archive.desk.params import DeskParams
from archive.desk.sql import DeskSQL, Layout


def _disposition(name: str) -> str:
    # RFC 6266: an ASCII fallback, then the Arabic name percent-encoded (RFC 5987).
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-.") else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def export_response(datasette, request, db, params: DeskParams, shape: Layout, fmt: str,
                    today: date) -> AsgiStream:
    """An ASGI stream of CSV (?bom=1: with a BOM, for Excel) or one JSON array."""
    sql = DeskSQL(params, shape)
    bom = fmt == "csv" and request.args.get("bom") == "1"

    # Built once: per-row URL building was most of the export's CPU.
    table = datasette.absolute_url(request, datasette.urls.table(db.name, "articles"))

    def page_url(article_id: int) -> str:
        return f"{table}/{article_id}"

    async def stream(writer) -> None:
        after, first = None, True
        if fmt == "csv":
            await writer.write((BOM if bom else "") + csv_lines([], header=True))
        else:
            await writer.write("[\n")
        while True:
            # Keyset paging on the search key: each batch is a short indexed read.
            result = await db.execute(*sql.export_batch(after, BATCH))
            rows = [dict(r) for r in result.rows]
            if not rows:
                break
            out = [export_row(r, page_url(r["id"])) for r in rows]
            await writer.write(csv_lines(out) if fmt == "csv" else json_lines(out, first))
            first, after = False, rows[-1]["key"]
            if len(rows) < BATCH:
                break
        if fmt == "json":
            await writer.write("\n]\n")

    content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                    else "application/json; charset=utf-8")
    return AsgiStream(stream, headers={
        "content-disposition": _disposition(file_name(params.q, today, fmt)),
        "cache-control": "no-store"}, content_type=content_type)
