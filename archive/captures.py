"""Reading the crawl's WARC files back: where they are, an article's capture, an index of all."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from archive.urls import canonical_url
from archive.warc import open_record


def warc_dir(db_path: str | Path, override: str | Path | None = None) -> Path:
    """The WARC directory: the override, else warc/ beside the database."""
    return Path(override) if override else Path(db_path).parent / "warc"


def warc_files(directory: Path) -> list[Path]:
    """The WARC files of a directory, oldest run first (names start with the run's time)."""
    return sorted([*directory.glob("*.warc.gz"), *directory.glob("*.warc")])


def article_capture(db: sqlite_utils.Database, url: str) -> tuple[str, int] | None:
    """(warc_file, warc_offset) of the stored article at url (canonicalised), or None."""
    for key in dict.fromkeys((url, canonical_url(url))):
        row = db.execute(
            "select warc_file, warc_offset from articles where url = ? or final_url = ?",
            [key, key],
        ).fetchone()
        if row and row[0] is not None:
            return row[0], row[1]
    return None


def read_http(path: Path, offset: int) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers and (content-decoded) body of the response record at offset."""
    with open_record(path, offset) as rec:
        if rec.rec_type != "response" or rec.http_headers is None:
            raise ValueError(f"{path.name}:{offset} is a {rec.rec_type} record, not a response")
        head = rec.http_headers
        return f"{head.protocol} {head.statusline}", list(head.headers), rec.content_stream().read()


@dataclass
class Rec:
    """One response/revisit record of the index, with what its metadata record says."""

    file: Path
    offset: int
    kind: str  # response | revisit
    record_id: str
    uri: str
    date: str
    status: int
    digest: str | None
    refers_to: str | None = None
    length: int = 0
    meta: dict[str, Any] = field(default_factory=dict)


# archive.warc.WarcFiles names: arshif-<run>-NNNNN.warc.gz (run ids contain dashes themselves).
WARC_NAME = re.compile(r"^arshif-(?P<run>.+)-\d{5}\.warc(?:\.gz)?$")


def run_of(rec: Rec) -> str | None:
    """The crawl run that made a capture: its metadata record says, else its WARC file name."""
    if rec.meta.get("run"):
        return str(rec.meta["run"])
    found = WARC_NAME.match(rec.file.name)
    return found["run"] if found else None


def index(directory: Path) -> dict[str, Rec]:
    """Every response/revisit record of a WARC directory by record id, metadata attached."""
    recs: dict[str, Rec] = {}
    metadata: dict[str, dict[str, Any]] = {}
    for path in warc_files(directory):
        size = path.stat().st_size
        last: Rec | None = None
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                # get_record_offset() reads the record to its end: take the content first.
                content = record.content_stream().read() if record.rec_type == "metadata" else b""
                offset = it.get_record_offset()
                if last is not None:
                    last.length, last = offset - last.offset, None
                head = record.rec_headers
                if record.rec_type in ("response", "revisit"):
                    last = Rec(
                        path, offset, record.rec_type, head.get_header("WARC-Record-ID"),
                        head.get_header("WARC-Target-URI"), head.get_header("WARC-Date"),
                        int(record.http_headers.get_statuscode() or 0)
                        if record.http_headers else 0,
                        head.get_header("WARC-Payload-Digest"), head.get_header("WARC-Refers-To"),
                    )
                    recs[last.record_id] = last
                elif record.rec_type == "metadata":
                    try:
                        data = json.loads(content)
                    except ValueError:
                        continue
                    metadata[head.get_header("WARC-Refers-To") or ""] = data
        if last is not None:
            last.length = size - last.offset
    for record_id, data in metadata.items():
        if record_id in recs:
            recs[record_id].meta = data
    return recs


def payload_record(rec: Rec, recs: dict[str, Rec]) -> Rec | None:
    """The response record holding a record's payload (itself, or what a revisit refers to)."""
    if rec.kind == "response":
        return rec
    original = recs.get(rec.refers_to or "")
    if original is None:  # a revisit of a record in a WARC that is no longer here
        original = next((r for r in recs.values() if r.kind == "response"
                         and r.digest == rec.digest and r.uri == rec.uri), None)
    return original


def read_payload(rec: Rec) -> tuple[str | None, bytes]:
    """Content-Type and decoded body of a response record."""
    with open_record(rec.file, rec.offset) as record:
        return record.http_headers.get_header("Content-Type"), record.content_stream().read()


def iter_by_url(recs: dict[str, Rec]) -> Iterator[tuple[str, list[Rec]]]:
    """Captures grouped by canonical URL, each group oldest first."""
    groups: dict[str, list[Rec]] = {}
    for rec in recs.values():
        groups.setdefault(canonical_url(rec.uri), []).append(rec)
    for url, group in groups.items():
        yield url, sorted(group, key=lambda r: r.date)
