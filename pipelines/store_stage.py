"""Store stage: hand kept articles to archive/ and keep each source's crawl_runs row current."""

from __future__ import annotations

import logging
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from archive.schema import connect
from archive.store import now_iso, record_run, save_article, save_sources
from archive.versions import mark_gone
from pipelines import runstats
from pipelines.gone import page_gone
from pipelines.items import PageItem
from pipelines.topics import keeps_off_topic

logger = logging.getLogger(__name__)


def is_disk_full(exc: sqlite3.Error) -> bool:
    """True for SQLite's 'database or disk is full' (SQLITE_FULL), whatever the wrapper."""
    return getattr(exc, "sqlite_errorcode", None) == 13 or "disk is full" in str(exc)


class StorePipeline:
    """Save articles through archive.store and record the run, per source, in crawl_runs."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = Path(settings.get("ARSHIF_DB"))
        self.run = settings.get("ARSHIF_RUN_ID") or (
            now_iso().replace(":", "").replace("+0000", "Z") + "-" + uuid.uuid4().hex[:6]
        )
        self.flush_seconds = settings.getfloat("ARSHIF_RUN_FLUSH_SECONDS", 30)
        self.all_topics = keeps_off_topic(settings)  # recorded with the run for reextract
        self.started = now_iso()
        self.sources: list[str] = []
        self._loop: task.LoopingCall | None = None
        self.disk_full = False  # set on SQLITE_FULL: the crawl is being stopped

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        """Build the stage and listen for dropped items and the spider's end."""
        pipe = cls(crawler)
        crawler.signals.connect(pipe.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipe.item_error, signal=signals.item_error)
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipe.page_gone, signal=page_gone)
        return pipe

    def open_spider(self) -> None:
        """Open the archive, store the sources and open a running crawl_runs row per source."""
        self.db = connect(self.db_path)
        spider_sources = getattr(self.crawler.spider, "sources_by_name", {}) or {}
        save_sources(self.db, [s.as_row() for s in spider_sources.values()])
        self.sources = list(spider_sources)
        self.flush("running")
        logger.info("Run %s: %d sources into %s", self.run, len(self.sources), self.db_path)
        if self.flush_seconds > 0:
            self._loop = task.LoopingCall(self.flush, "running")
            self._loop.start(self.flush_seconds, now=False)

    def flush(self, status: str, finished: str | None = None) -> None:
        """Write the current counters of every source to crawl_runs."""
        counts = runstats.per_source(self.stats)
        statuses = {name: self._status(status, counts.get(name, {})) for name in self.sources}
        if finished is not None:
            # Read by `scrapy crawl` (crawler/commands/crawl.py) for its exit code.
            unfinished = [n for n, st in statuses.items() if st != "finished"]
            self.stats.set_value(runstats.NOT_FINISHED, unfinished)
        for name, st in statuses.items():
            row: dict[str, Any] = counts.get(name, {})
            try:
                record_run(self.db, self.run, name, self.started, st, row, finished,
                           self.all_topics)
            except sqlite3.OperationalError as exc:
                if not is_disk_full(exc):
                    raise
                self.stop_disk_full(exc)
                return

    @staticmethod
    def _status(status: str, row: dict[str, Any]) -> str:
        """The run's status for one source: 'failed' when nothing at all could be fetched."""
        # (a source whose seeds were all not yet due fetched nothing, and that is fine)
        if status == "finished" and not row.get("pages") and not row.get("not_due"):
            return "failed"
        return status

    def stop_disk_full(self, exc: Exception) -> None:
        """Say once that the disk is full and stop the crawl: nothing more can be saved."""
        if self.disk_full:
            return
        self.disk_full = True
        logger.error("Cannot write %s: %s. Stopping the crawl; every article saved so far is "
                     "kept. Free some space and run the crawl again.", self.db_path, exc)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None:
            deferred_from_coro(engine.close_spider_async(reason="disk_full"))

    def process_item(self, item: PageItem) -> PageItem:
        """Save the article; count it as new, updated or unchanged."""
        article = {k: v for k, v in item.items() if k not in ("body", "hints", "precomputed")}
        article["fts_forms"] = (item.get("precomputed") or {}).get("fts_forms")
        if self.disk_full:
            raise DropItem("error: disk full")
        try:
            outcome = save_article(self.db, article)
        except ValueError as exc:
            raise DropItem(f"error: {exc}") from None
        except sqlite3.OperationalError as exc:
            if not is_disk_full(exc):
                raise
            self.stop_disk_full(exc)
            raise DropItem("error: disk full") from None
        runstats.count(self.stats, item["source"], outcome)
        logger.info("%s %s: %s", outcome.capitalize(), item["url"], item.get("title"))
        return item

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Spider) -> None:
        """Count a page a stage dropped, under the reason its DropItem message starts with."""
        reason, detail = runstats.reason_of(str(exception))
        source = item.get("source", "?") if hasattr(item, "get") else "?"
        runstats.drop(self.stats, source, reason, detail)

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        """Count a page on which a stage crashed as 'error' (the crawl goes on)."""
        source = item.get("source", "?") if hasattr(item, "get") else "?"
        runstats.drop(self.stats, source, "error", repr(failure.value)[:200])

    def page_gone(self, urls: list[str], status: int) -> None:
        """Mark a stored article whose page now answers 404/410 (its row is kept)."""
        for url in urls:
            if mark_gone(self.db, url, now_iso(), status):
                logger.info("Gone %s: HTTP %d", url, status)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the run's rows: finished, or interrupted when the crawl was stopped."""
        if self._loop and self._loop.running:
            self._loop.stop()
        status = "finished" if reason == "finished" else f"interrupted ({reason})"
        self.flush(status, now_iso())
        self.db.close()
