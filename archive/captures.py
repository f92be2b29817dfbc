"""Reading the crawl's WARC files back: where they are, an article's capture, an index of all."""

from __future__ import annotations

import json
import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArchiveLoadFailed

from archive.urls import canonical_url
from archive.warc import open_record, payload_digest

logger = logging.getLogger(__name__)


class DamagedRecord(ValueError):
    """A WARC record that cannot be trusted: truncated, cut short, or not what its digest says."""

    def __init__(self, path: Path, offset: int, why: str) -> None:
        self.path, self.offset, self.why = Path(path), offset, why
        super().__init__(f"{self.path.name}:{offset}: damaged WARC record ({why})")


# What warcio raises on a cut or garbled record (it raises nothing at all on many cuts: the
# payload digest is what catches those).
READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, AttributeError, TypeError,
               KeyError, OSError)


def _checked(path: Path, offset: int, record: Any) -> bytes:
    """The raw payload of a response record, after checking it against its WARC headers."""
    if record.rec_type != "response" or record.http_headers is None:
        raise DamagedRecord(path, offset, f"a {record.rec_type} record, not an HTTP response")
    raw = record.raw_stream.read()
    # Content-Length counts the HTTP head too: what is left after it must all be there.
    if record.raw_stream.limit:
        raise DamagedRecord(path, offset, f"{record.raw_stream.limit} bytes missing")
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest and digest.lower().startswith("sha1:") and payload_digest(raw) != digest:
        raise DamagedRecord(path, offset, "payload does not match WARC-Payload-Digest")
    return raw


def checked_record(path: Path, offset: int) -> None:
    """Raise DamagedRecord unless the response record at offset is whole and matches its digest."""
    try:
        with open_record(path, offset) as record:
            _checked(path, offset, record)
    except DamagedRecord:
        raise
    except READ_ERRORS as exc:
        raise DamagedRecord(path, offset, f"{type(exc).__name__}: {exc}") from None


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
    """Status line, headers and (content-decoded) body of the response record at offset.

    DamagedRecord when the record is cut short or does not match its digest.
    """
    checked_record(path, offset)
    try:
        with open_record(path, offset) as rec:
            head = rec.http_headers
            body = rec.content_stream().read()
            return f"{head.protocol} {head.statusline}", list(head.headers), body
    except READ_ERRORS as exc:
        raise DamagedRecord(path, offset, f"{type(exc).__name__}: {exc}") from None


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


def index(directory: Path, damaged: list[DamagedRecord] | None = None) -> dict[str, Rec]:
    """Every response/revisit record of a WARC directory by record id, metadata attached.

    A file that cannot be read to its end keeps the records before the damage; the damage
    goes to `damaged` (and the log), and the other files are read as usual.
    """
    recs: dict[str, Rec] = {}
    metadata: dict[str, dict[str, Any]] = {}
    for path in warc_files(directory):
        try:
            _index_file(path, recs, metadata)
        except DamagedRecord as exc:
            logger.warning("%s; the records before it are read", exc)
            if damaged is not None:
                damaged.append(exc)
    for record_id, data in metadata.items():
        if record_id in recs:
            recs[record_id].meta = data
    return recs


def _index_file(path: Path, recs: dict[str, Rec], metadata: dict[str, dict[str, Any]]) -> None:
    """Add one file's records to recs/metadata; DamagedRecord where reading it broke off."""
    size = path.stat().st_size
    last: Rec | None = None
    position = 0
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        try:
            for record in it:
                # get_record_offset() reads the record to its end: take the content first.
                content = record.content_stream().read() if record.rec_type == "metadata" else b""
                offset = it.get_record_offset()
                position = offset
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
        except READ_ERRORS as exc:
            # warcio's offset is where the record it was reading starts.
            position = max(position, int(getattr(it, "offset", 0) or 0))
            raise DamagedRecord(path, position, f"{type(exc).__name__}: {exc}") from None
    if last is not None:
        last.length = size - last.offset
    end = int(getattr(it, "offset", size) or 0)
    if end < size:  # a file cut inside a record's head: warcio stops there without a word
        raise DamagedRecord(path, end, f"the last {size - end} bytes are not a whole record")


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
    """Content-Type and decoded body of a response record; DamagedRecord if it is not whole."""
    checked_record(rec.file, rec.offset)
    try:
        with open_record(rec.file, rec.offset) as record:
            return record.http_headers.get_header("Content-Type"), record.content_stream().read()
    except READ_ERRORS as exc:
        raise DamagedRecord(rec.file, rec.offset, f"{type(exc).__name__}: {exc}") from None


def iter_by_url(recs: dict[str, Rec]) -> Iterator[tuple[str, list[Rec]]]:
    """Captures grouped by canonical URL, each group oldest first."""
    groups: dict[str, list[Rec]] = {}
    for rec in recs.values():
        groups.setdefault(canonical_url(rec.uri), []).append(rec)
    for url, group in groups.items():
        yield url, sorted(group, key=lambda r: r.date)
