"""WACZ 1.1.1 packages of the archive's captures, for ReplayWeb.page, pywb and Browsertrix.

The selected articles' response records are copied byte for byte (each record is its own gzip
member, so its digests and headers are untouched) into one new WARC; py-wacz (`wacz create
--pages`) then indexes it (CDXJ), matches one page per article, and writes pages.jsonl and
datapackage.json with every file's hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive.warc import WARC_VERSION


class ExportError(Exception):
    """The export cannot be made (no articles, a capture missing or damaged)."""


@dataclass(frozen=True)
class Page:
    """One article and where its response record is."""

    article_id: int
    url: str
    title: str | None
    file: str
    offset: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def select(db_path: Path, source: str | None = None, since: str | None = None) -> list[Page]:
    """The articles to export (optionally one source, captured on or after a date)."""
    sql = ("select id, url, title, warc_file, warc_offset from articles "
           "where warc_file is not null and warc_offset is not null")
    params: list[Any] = []
    if source:
        sql, params = sql + " and source = ?", [*params, source]
    if since:
        sql, params = sql + " and fetched_at >= ?", [*params, since]
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [Page(*row) for row in conn.execute(sql + " order by warc_file, warc_offset, id",
                                                   params)]
    finally:
        conn.close()


def _copy_record(src: IO[bytes], page: Page, out: IO[bytes]) -> dict[str, Any]:
    """Append the gzip member at page.offset to out; the page line of its record."""
    src.seek(page.offset)
    it = ArchiveIterator(src)
    record = next(iter(it), None)
    if record is None or record.rec_type != "response":
        raise ExportError(f"article {page.article_id} ({page.url}): no response record at "
                          f"{page.file}:{page.offset} (run `arshif verify`)")
    head = record.rec_headers
    line = {"url": head.get_header("WARC-Target-URI"), "ts": head.get_header("WARC-Date"),
            "title": page.title or page.url, "arshif_id": page.article_id}
    it.read_to_end(record)
    length = it.get_record_length()
    src.seek(page.offset)
    left = length
    while left > 0:
        block = src.read(min(left, 1 << 20))
        if not block:
            raise ExportError(f"article {page.article_id}: {page.file} ends inside its record")
        out.write(block)
        left -= len(block)
    return line


def write_warc(pages: list[Page], directory: Path, out: Path, info: dict[str, str]
               ) -> list[dict[str, Any]]:
    """One WARC of the pages' response records (after a warcinfo); their page lines."""
    lines: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    src: IO[bytes] | None = None
    current = ""
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version=WARC_VERSION)
        writer.write_record(writer.create_warcinfo_record(out.name, info))
        try:
            for page in pages:
                if (page.file, page.offset) in seen:
                    continue
                seen.add((page.file, page.offset))
                if page.file != current:
                    if src is not None:
                        src.close()
                    path = directory / page.file
                    if not path.is_file():
                        raise ExportError(f"article {page.article_id} ({page.url}): missing "
                                          f"WARC file {path}")
                    src, current = open(path, "rb"), page.file  # noqa: SIM115 - closed below
                try:
                    lines.append(_copy_record(src, page, fh))
                except (OSError, ValueError, EOFError) as exc:
                    raise ExportError(f"article {page.article_id} ({page.url}): damaged record "
                                      f"at {page.file}:{page.offset}: {exc}") from None
        finally:
            if src is not None:
                src.close()
    return lines


def export_wacz(db_path: Path, directory: Path, out: Path, source: str | None = None,
                since: str | None = None, title: str | None = None) -> dict[str, Any]:
    """Write out (.wacz) of the selected articles' captures; what it holds."""
    from wacz.main import main as wacz_main  # py-wacz: heavy (frictionless), only needed here

    pages = select(db_path, source, since)
    if not pages:
        raise ExportError("no archived captures match (check --source/--since)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".wacz-") as tmp:
        warc = Path(tmp) / f"{out.stem}.warc.gz"
        lines = write_warc(pages, directory, warc, {
            "software": "Arshif export-wacz", "format": "WARC File Format 1.1",
            "description": f"Response records of {len(pages)} archived articles",
        })
        pages_file = Path(tmp) / "pages.jsonl"
        with open(pages_file, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"format": "json-pages-1.0", "id": "pages",
                                 "title": title or "Arshif articles"}) + "\n")
            for line in lines:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        target = Path(tmp) / out.name
        said = io.StringIO()
        with contextlib.redirect_stdout(said):  # py-wacz reports progress with print()
            code = wacz_main(["create", str(warc), "-o", str(target), "--pages", str(pages_file),
                              "--title", title or "Arshif", "--desc",
                              f"{len(lines)} archived articles (Arshif)"])
        if code != 0:
            raise ExportError("wacz create failed: " + said.getvalue().strip()[-500:])
        with zipfile.ZipFile(target) as zf:
            written = zf.read("pages/pages.jsonl").decode("utf-8").splitlines()[1:]
        if len(written) != len(lines):  # py-wacz keeps only pages it found in the index
            raise ExportError(f"{len(lines) - len(written)} pages did not match their record")
        os.replace(target, out)
    return {"file": out.name, "sha256": _sha256(out), "bytes": out.stat().st_size,
            "pages": len(lines)}
