"""The crawl_runs rows of a crawl, kept by one Scrapy extension in either mode.

Like Scrapy's CoreStats it listens to signals: dropped and crashed items are counted per source
and reason (pipelines/runstats.py, beside the stages' own counters), and every
ARSHIF_RUN_FLUSH_SECONDS and when the spider closes the counters become one row per source —
written to the archive (archive.store.record_run), or in distributed mode sent to Redis as
`run` messages that the writer (crawler/writer.py) records with its own outcome counts.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from pathlib import Path
from typing import Any, Protocol

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.internet import task

from archive.schema import connect
from archive.store import now_iso, record_run
from crawler import redisq
from pipelines import runstats
from pipelines.sources import sources_from_settings
from pipelines.store_stage import is_disk_full, stop_disk_full
from pipelines.topics import keeps_off_topic

logger = logging.getLogger(__name__)


def new_run_id() -> str:
    """A new run id: the UTC start time and a random suffix (20240501T101500Z-3fa2c1)."""
    return now_iso().replace(":", "").replace("+0000", "Z") + "-" + uuid.uuid4().hex[:6]


def status_of(status: str, row: dict[str, Any]) -> str:
    """A whole run's status for one source: 'failed' when nothing at all could be fetched."""
    # (a source whose seeds were all not yet due fetched nothing, and that is fine)
    if status == "finished" and not row.get("pages") and not row.get("not_due"):
        return "failed"
    return status


class RunSink(Protocol):
    """Where the rows go: the archive, or the writer through Redis."""

    def record(self, row: dict[str, Any]) -> None:
        """Store one source's row (run, source, started, status, counts, finished, all_topics)."""

    def close(self) -> None:
        """Release the connection once the last rows are written."""


class ArchiveSink:
    """Rows written straight to the archive's crawl_runs (one process is the whole run)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path = Path(crawler.settings.get("ARSHIF_DB"))
        self.db = connect(self.db_path)

    def record(self, row: dict[str, Any]) -> None:
        """Write the row; on a full disk stop the crawl (once) instead of failing."""
        try:
            record_run(self.db, **row)
        except sqlite3.OperationalError as exc:
            if not is_disk_full(exc):
                raise
            stop_disk_full(self.crawler, self.db_path, exc)

    def close(self) -> None:
        """Close the archive connection."""
        self.db.close()


class RedisSink:
    """Rows sent as `run` messages to the writer (this process is one crawler of many)."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.outbox = redisq.Outbox(s.get("ARSHIF_REDIS_URL"),
                                    redisq.Keys(s.get("ARSHIF_REDIS_PREFIX") or "arshif"))

    def record(self, row: dict[str, Any]) -> None:
        """Send the row in the message format the writer reads."""
        self.outbox.send({"type": "run", **row})

    def close(self) -> None:
        """Wait (bounded) for held messages to reach Redis."""
        self.outbox.drain()


class RunRecord:
    """Count drops and errors per source and keep this crawl's crawl_runs rows current."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = settings.get("ARSHIF_RUN_ID")
        self.sources = list(sources_from_settings(settings))
        self.flush_seconds = settings.getfloat("ARSHIF_RUN_FLUSH_SECONDS", 30)
        self.all_topics = keeps_off_topic(settings)  # recorded with the run for reextract
        # In distributed mode each crawler holds a share of the run: the writer adds up the
        # rows, and a source this crawler never touched gets none from it.
        self.distributed = bool(settings.get("ARSHIF_REDIS_URL"))
        self.started = now_iso()
        self.sink: RunSink | None = None
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecord:
        """Build the record and listen to the crawl's signals."""
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.item_error, signal=signals.item_error)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        """Open a running row per source and start the periodic flush."""
        self.sink = RedisSink(self.crawler) if self.distributed else ArchiveSink(self.crawler)
        self.flush("running")
        logger.info("Run %s: %d sources", self.run, len(self.sources))
        if self.flush_seconds > 0:
            self._loop = task.LoopingCall(self.flush, "running")
            self._loop.start(self.flush_seconds, now=False)

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """Count a page a stage dropped, under the reason its DropItem message starts with."""
        reason, detail = runstats.reason_of(str(exception))
        runstats.drop(self.stats, _source(item), reason, detail)

    def item_error(self, item: Any, failure: Any) -> None:
        """Count a page on which a stage crashed as 'error' (the crawl goes on)."""
        runstats.drop(self.stats, _source(item), "error", repr(failure.value)[:200])

    def rows(self, status: str, finished: str | None = None) -> list[dict[str, Any]]:
        """The current row of every source, as record_run takes it."""
        counts = runstats.per_source(self.stats)
        if self.distributed:
            statuses = {name: status for name in self.sources if name in counts}
        else:
            statuses = {name: status_of(status, counts.get(name, {})) for name in self.sources}
            if finished is not None:
                # Read by `scrapy crawl` (crawler/commands/crawl.py) for its exit code.
                unfinished = [n for n, st in statuses.items() if st != "finished"]
                self.stats.set_value(runstats.NOT_FINISHED, unfinished)
        return [{"run": self.run, "source": name, "started": self.started, "status": st,
                 "counts": counts.get(name, {}), "finished": finished,
                 "all_topics": self.all_topics} for name, st in statuses.items()]

    def flush(self, status: str, finished: str | None = None) -> None:
        """Write the current counters of every source."""
        if self.sink is None:
            return
        for row in self.rows(status, finished):
            if self.stats.get_value(runstats.DISK_FULL):
                return  # nothing more can be written; the crawl is stopping
            self.sink.record(row)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the run's rows: finished, or interrupted when the crawl was stopped."""
        if self._loop and self._loop.running:
            self._loop.stop()
        status = "finished" if reason == "finished" else f"interrupted ({reason})"
        self.flush(status, now_iso())
        if self.sink is not None:
            self.sink.close()


def _source(item: Any) -> str:
    return item.get("source", "?") if hasattr(item, "get") else "?"
