"""WARC 1.1 files of one crawl run: a gzip member per record, size rotation, known offsets.

This layer knows nothing of Scrapy: it turns (request, response, metadata) into WARC records,
writes them flushed one by one, and says where each landed (file, offset, length) so the
archive can point an article at the exact record it was extracted from.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any

import warcio.warcwriter
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# zlib level of each record's gzip member. warcio always uses 9. On 74 KB news pages here:
# level 9 3.8 ms a page, 6 2.3 ms, 3 1.1 ms, 1 0.7 ms; files at 1 are 23% larger than at 6.
# The capture runs on the crawl's one reactor thread, where its time is taken from
# downloading, so the default favours speed; ARSHIF_WARC_GZIP_LEVEL=9 for the smallest files.
DEFAULT_GZIP_LEVEL = 1


class _Gzip(warcio.warcwriter.GzippingWrapper):
    """warcio's per-record gzip member, at a chosen level."""

    def __init__(self, out: IO[bytes], level: int) -> None:
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.out = out


class _Writer(WARCWriter):
    """A WARCWriter whose records are gzip members at ``level`` (warcio has no such option)."""

    def __init__(self, out: IO[bytes], level: int = DEFAULT_GZIP_LEVEL, **kwargs: Any) -> None:
        super().__init__(out, gzip=True, **kwargs)
        self.level = level

    def _write_warc_record(self, out: IO[bytes], record: ArcWarcRecord) -> None:
        # warcio wraps `out` itself when self.gzip is set: hand it ours and switch its off.
        self.gzip = False
        try:
            super()._write_warc_record(_Gzip(out, self.level), record)
        finally:
            self.gzip = True


WARC_VERSION = "1.1"
# Never archive credentials: Scrapy has cookies off, but a source could add headers.
PRIVATE_REQUEST_HEADERS = {"cookie", "authorization", "proxy-authorization"}


@dataclass(frozen=True)
class Capture:
    """Where one record was written and what it holds."""

    file: str  # basename inside the WARC directory
    offset: int
    length: int  # compressed bytes of the gzip member
    record_id: str
    date: str  # WARC-Date
    digest: str | None = None  # WARC-Payload-Digest (sha1:BASE32)
    uri: str = ""
    revisit_of: Capture | None = None  # for a revisit: the response record with the payload


# A metadata record's own WARC-Target-URI. Replay tools (pywb, cdxj-indexer, py-wacz) index
# metadata records by their target URI like responses: one that carried the article's URL was
# the "latest capture" of the article, so they get a URN of their own. The link to the record
# they describe is WARC-Refers-To / WARC-Concurrent-To, which is also all that readers use, so
# archives written before (target = the article URL) read the same (archive/captures.py).
METADATA_URN = "urn:arshif:metadata:"


def metadata_uri(record_id: str) -> str:
    """The target URI of the metadata record describing record_id (<urn:uuid:…>)."""
    return METADATA_URN + record_id.strip("<>").removeprefix("urn:uuid:")


def payload_digest(body: bytes) -> str:
    """The customary WARC payload digest: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_date(when: datetime | None = None) -> str:
    """WARC 1.1 date with microseconds, UTC."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_seconds(date: str) -> str:
    """A WARC-Date as the archive's fetched_at form (ISO 8601, seconds, +00:00)."""
    return datetime.fromisoformat(date.replace("Z", "+00:00")).isoformat(timespec="seconds")


class WarcFiles:
    """Append records to arshif-<run>-NNNNN.warc.gz files in a directory, rotating by size."""

    def __init__(self, directory: Path, run: str, max_bytes: int, info: dict[str, str],
                 gzip_level: int = DEFAULT_GZIP_LEVEL) -> None:
        if not 0 <= gzip_level <= 9:
            raise ValueError(f"WARC gzip level must be 0-9, not {gzip_level}")
        self.gzip_level = gzip_level
        self.directory = Path(directory)
        self.run = run
        self.max_bytes = max_bytes
        self.info = info
        self.serial = -1
        self._fh: IO[bytes] | None = None
        self._writer: WARCWriter | None = None
        self.name = ""

    def _rotate(self) -> None:
        self.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        self.name = f"arshif-{self.run}-{self.serial:05d}.warc.gz"
        # "xb": a run id is unique, so an existing file means a bug, never something to clobber.
        self._fh = open(self.directory / self.name, "xb")  # noqa: SIM115 - closed in close()
        self._writer = _Writer(self._fh, self.gzip_level, warc_version=WARC_VERSION)
        self._write(self._writer.create_warcinfo_record(self.name, self.info))

    def _write(self, record: ArcWarcRecord) -> Capture:
        assert self._fh is not None and self._writer is not None
        start = self._fh.tell()
        self._writer.write_record(record)
        # One flush per record: a killed crawl leaves every complete record readable.
        self._fh.flush()
        head = record.rec_headers
        return Capture(
            self.name, start, self._fh.tell() - start, head.get_header("WARC-Record-ID"),
            head.get_header("WARC-Date"), head.get_header("WARC-Payload-Digest"),
            head.get_header("WARC-Target-URI") or "",
        )

    def write(self, record: ArcWarcRecord) -> Capture:
        """Write one record (opening or rotating the file first when needed)."""
        if self._fh is None or self._fh.tell() >= self.max_bytes:
            self._rotate()
        return self._write(record)

    def builder(self) -> WARCWriter:
        """A record factory (the current writer, or a fresh one before the first file)."""
        return self._writer or _Writer(BytesIO(), self.gzip_level, warc_version=WARC_VERSION)

    def exchange(
        self, url: str, request_line: str, request_headers: list[tuple[str, str]],
        request_body: bytes, status_line: str, headers: list[tuple[str, str]], body: bytes,
        date: str, previous: Capture | None = None,
    ) -> Capture:
        """Write a response (or a revisit of `previous`) and its request; the response's Capture."""
        build = self.builder()
        digest = payload_digest(body)
        http = StatusAndHeaders(status_line.split(" ", 1)[1], headers,
                                protocol=status_line.split(" ", 1)[0])
        extra = {"WARC-Date": date, "WARC-Payload-Digest": digest}
        if previous is not None:
            record = build.create_revisit_record(
                url, digest, previous.uri or url, previous.date, http_headers=http,
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": previous.record_id},
            )
        else:
            record = build.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict=extra,
            )
        cap = self.write(record)
        if previous is not None:
            cap = Capture(cap.file, cap.offset, cap.length, cap.record_id, cap.date, digest,
                          cap.uri, revisit_of=previous)
        kept = [(k, v) for k, v in request_headers if k.lower() not in PRIVATE_REQUEST_HEADERS]
        req = build.create_warc_record(
            url, "request", payload=BytesIO(request_body), length=len(request_body),
            http_headers=StatusAndHeaders(request_line, kept, protocol="", is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": cap.record_id},
        )
        self.write(req)
        return cap

    def metadata(self, url: str, refers_to: Capture, data: dict[str, Any]) -> Capture:
        """Write a JSON metadata record about a response/revisit record (at url)."""
        data = {**data, "target_uri": url}
        body = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        record = self.builder().create_warc_record(
            metadata_uri(refers_to.record_id), "metadata", payload=BytesIO(body),
            length=len(body),
            warc_content_type="application/json",
            warc_headers_dict={
                "WARC-Date": warc_date(), "WARC-Refers-To": refers_to.record_id,
                "WARC-Concurrent-To": refers_to.record_id,
            },
        )
        return self.write(record)

    def close(self) -> None:
        """Close the current file."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._writer = None


@contextmanager
def open_record(path: Path, offset: int) -> Iterator[ArcWarcRecord]:
    """The record starting at offset in a WARC file (read its content inside the block)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            yield record
            return
        raise ValueError(f"no WARC record at {path}:{offset}")
