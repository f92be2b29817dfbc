"""WARC capture in Scrapy: every response into the run's WARC files, items told their record.

Two downloader middlewares share one Recorder per crawl. WarcWireTap (610) sits before the
redirect and decompression middlewares: it notes the headers as they came off the wire and
captures the 3xx responses the redirect middleware will swallow. WarcCapture (585) captures
everything else after decompression, so the archived body is the bytes the pipelines read.
WarcItemStamp (a spider middleware) copies the record's location onto each PageItem, and the
item_scraped / item_dropped / item_error signals add a metadata record with the outcome.
"""

from __future__ import annotations

import errno
import sqlite3
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from archive.urls import canonical_url
from archive.warc import (
    DEFAULT_GZIP_LEVEL,
    Capture,
    WarcFiles,
    iso_seconds,
    open_record,
    payload_digest,
    warc_date,
)
from pipelines import runstats
from pipelines.sources import sources_from_settings
from pipelines.store_stage import stop_disk_full

CAPTURE = "arshif_warc"  # request.meta: the Capture of the response record
WIRE = "arshif_wire"  # request.meta: Content-Encoding/Length as received, before decompression
PRE = "arshif_warc_pre"  # request.meta: (url, status) already captured by the wire tap
SUMMARY = ("url", "title", "published", "date_source", "language", "word_count", "content_sha256")

_recorders: WeakKeyDictionary[Crawler, Recorder] = WeakKeyDictionary()


def recorder(crawler: Crawler) -> Recorder:
    """The crawl's one Recorder; NotConfigured when ARSHIF_WARC_ENABLED is off."""
    if not crawler.settings.getbool("ARSHIF_WARC_ENABLED", True):
        raise NotConfigured("ARSHIF_WARC_ENABLED is off")
    if crawler not in _recorders:
        _recorders[crawler] = Recorder(crawler)
    return _recorders[crawler]


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]


def response_headers(response: Response, wire: dict[str, str] | None) -> list[tuple[str, str]]:
    """Headers made consistent with the stored (de-chunked, decompressed) body.

    Replaced values are kept as X-Archive-Orig-<name>, the convention of web archives.
    """
    out: list[tuple[str, str]] = []
    for key, value in _header_pairs(response.headers):
        if key.lower() in ("content-length", "transfer-encoding", "content-encoding"):
            continue
        out.append((key, value))
    for key, value in (wire or {}).items():
        out.append((f"X-Archive-Orig-{key}", value))
    out.append(("Content-Length", str(len(response.body))))
    return out


def request_head(request: Request) -> tuple[str, list[tuple[str, str]]]:
    """The request line and headers as sent (Host first; credentials are dropped later)."""
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)] + [
        kv for kv in _header_pairs(request.headers) if kv[0].lower() != "host"
    ]
    return f"{request.method} {target} HTTP/1.1", headers


class Recorder:
    """Per crawl: the WARC files, revisit look-ups, and metadata written when items leave."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db_path = Path(settings.get("ARSHIF_DB"))
        self.directory = Path(settings.get("ARSHIF_WARC_DIR") or self.db_path.parent / "warc")
        self.run = settings.get("ARSHIF_RUN_ID")
        self.sources = sources_from_settings(settings)
        info = {
            "software": f"Arshif/{version('arshif')} (Scrapy {version('scrapy')}, "
                        f"warcio {version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/"
                          "specifications/warc-format/warc-1.1/",
            "isPartOf": f"arshif-run-{self.run}",
            "http-header-user-agent": settings.get("USER_AGENT", ""),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "description": "Bodies are stored de-chunked and decompressed; replaced headers are "
                           "kept as X-Archive-Orig-*. Cookie/Authorization request headers "
                           "are never stored.",
        }
        self.files = WarcFiles(self.directory, self.run,
                               settings.getint("ARSHIF_WARC_MAX_BYTES", 1024**3), info,
                               settings.getint("ARSHIF_WARC_GZIP_LEVEL", DEFAULT_GZIP_LEVEL))
        self.seen: dict[tuple[str, str], Capture] = {}
        self._db: sqlite3.Connection | None = None
        for handler, signal in ((self.item_scraped, signals.item_scraped),
                                (self.item_dropped, signals.item_dropped),
                                (self.item_error, signals.item_error),
                                (self.spider_closed, signals.spider_closed)):
            crawler.signals.connect(handler, signal=signal)

    # -- revisits --------------------------------------------------------------------------

    def _archived(self, url: str, digest: str) -> Capture | None:
        """The response record an earlier run stored for this article URL and payload."""
        try:
            if self._db is None:
                self._db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
            row = self._db.execute(
                "select warc_file, warc_offset, warc_length from articles "
                "where url = ? and warc_digest = ? and warc_file is not null limit 1",
                [canonical_url(url), digest],
            ).fetchone()
            if not row:
                return None
            with open_record(self.directory / row[0], row[1]) as rec:
                head = rec.rec_headers
                if rec.rec_type != "response":
                    return None
                return Capture(row[0], row[1], row[2] or 0, head.get_header("WARC-Record-ID"),
                               head.get_header("WARC-Date"), digest,
                               head.get_header("WARC-Target-URI") or url)
        except (sqlite3.Error, OSError, ValueError):
            return None  # no archive yet, an older schema, or a moved WARC: store in full

    # -- capture ---------------------------------------------------------------------------

    def _disk_full(self, exc: OSError | None = None) -> bool:
        """True once the disk is full (said once, crawl stopped); False for other errors."""
        if exc is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            stop_disk_full(self.crawler, self.directory, exc)
        return bool(self.crawler.stats.get_value(runstats.DISK_FULL))

    def capture(self, request: Request, response: Response) -> Capture:
        """Write the exchange; on a full disk stop the crawl with one message, not a traceback."""
        if self._disk_full():
            raise IgnoreRequest("disk_full")
        try:
            return self._capture(request, response)
        except OSError as exc:
            if self._disk_full(exc):
                raise IgnoreRequest("disk_full") from None
            raise

    def _capture(self, request: Request, response: Response) -> Capture:
        """Write the exchange (a revisit when this URL's payload is already archived)."""
        digest = payload_digest(response.body)
        url = response.url
        previous = self.seen.get((url, digest)) or self._archived(url, digest)
        line, req_headers = request_head(request)
        status = f"{response.protocol or 'HTTP/1.1'} {response.status} " + (
            HTTPStatus(response.status).phrase if response.status in HTTPStatus._value2member_map_
            else ""
        )
        cap = self.files.exchange(
            url, line, req_headers, request.body or b"", status.rstrip(),
            response_headers(response, request.meta.get(WIRE)), response.body, warc_date(),
            previous,
        )
        self.seen[(url, digest)] = cap.revisit_of or cap
        request.meta[CAPTURE] = cap
        if not (request.meta.get("kind") == "article" and 200 <= response.status < 300):
            # Only article pages become items; every other response is described right away.
            if response.status >= 400:
                outcome, reason = "dropped", f"http_error: HTTP {response.status}"
            else:
                outcome, reason = ("redirect" if response.status >= 300 else "fetched"), None
            self.describe(request.meta, response, cap, outcome, reason)
        return cap

    def describe(self, meta: dict[str, Any], response: Response, cap: Capture, outcome: str,
                 reason: str | None, item: Any = None) -> None:
        """Write the metadata record of a captured response."""
        data: dict[str, Any] = {
            "run": self.run, "source": meta.get("source") or self._source_of(response.url),
            "kind": meta.get("kind") or ("robots" if response.url.endswith("/robots.txt")
                                         else "other"),
            "status": response.status, "outcome": outcome, "reason": reason,
            "requested_url": meta.get("requested_url"), "hints": meta.get("hints") or {},
        }
        if cap.revisit_of is not None:
            data["revisit_of"] = cap.revisit_of.record_id
        if item is not None:
            data["extraction"] = {k: item.get(k) for k in SUMMARY}
        self.files.metadata(response.url, cap, data)

    def _source_of(self, url: str) -> str | None:
        return next((n for n, s in self.sources.items() if s.owns(url)), None)

    # -- item outcomes ---------------------------------------------------------------------

    def _on_item(self, item: Any, response: Response | None, outcome: str, reason: str | None
                 ) -> None:
        cap = response.meta.get(CAPTURE) if response is not None else None
        if cap is not None and not self._disk_full():
            try:
                self.describe(response.meta, response, cap, outcome, reason, item)
            except OSError as exc:
                if not self._disk_full(exc):
                    raise

    def item_scraped(self, item: Any, response: Response | None) -> None:
        """An article left the pipelines stored."""
        self._on_item(item, response, "kept", None)

    def item_dropped(self, item: Any, response: Response | None, exception: Exception) -> None:
        """A page a stage dropped, with its DropItem message as the reason."""
        self._on_item(item, response, "dropped", str(exception))

    def item_error(self, item: Any, response: Response | None, failure: Any) -> None:
        """A page on which a stage crashed."""
        self._on_item(item, response, "error", repr(failure.value)[:500])

    def spider_closed(self) -> None:
        """Close the WARC file and the look-up connection."""
        try:
            self.files.close()
        except OSError as exc:
            if not self._disk_full(exc):
                raise
        if self._db is not None:
            self._db.close()


class WarcWireTap:
    """Note headers as received; capture 3xx responses before the redirect middleware."""

    def __init__(self, crawler: Crawler) -> None:
        self.recorder = recorder(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcWireTap:
        """Share the crawl's Recorder."""
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Remember the wire headers; write redirects now (they never reach WarcCapture)."""
        wire = {k: response.headers.get(k).decode("latin-1")
                for k in ("Content-Encoding", "Content-Length", "Transfer-Encoding")
                if response.headers.get(k) is not None}
        if response.headers.get("Content-Encoding") is None:
            wire.pop("Content-Length", None)  # only a decompressed body changes its length
        request.meta[WIRE] = wire
        request.meta.pop(PRE, None)
        if 300 <= response.status < 400 and "cached" not in response.flags:
            self.recorder.capture(request, response)
            request.meta[PRE] = (response.url, response.status)
        return response


class WarcCapture(WarcWireTap):
    """Capture every response that reaches the spider (after decompression)."""

    def process_response(self, request: Request, response: Response) -> Response:
        """Write the response, its request, and (for non-articles) its metadata."""
        if request.meta.pop(PRE, None) == (response.url, response.status):
            return response  # a 3xx the wire tap already wrote
        if "cached" not in response.flags:
            self.recorder.capture(request, response)
        return response


class WarcItemStamp(BaseSpiderMiddleware):
    """Tell each page item which WARC record holds its payload; fetched_at = capture time."""

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """Set warc_file/offset/length/digest (a revisit points at the original record)."""
        cap: Capture | None = response.meta.get(CAPTURE) if response is not None else None
        if cap is not None and hasattr(item, "fields") and "warc_file" in item.fields:
            target = cap.revisit_of or cap
            item["warc_file"], item["warc_offset"] = target.file, target.offset
            item["warc_length"], item["warc_digest"] = target.length or None, cap.digest
            item["fetched_at"] = iso_seconds(cap.date)
        return item
