"""Store stage: hand the sources and kept articles to archive/ (run rows: crawler/run_record.py)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from archive.schema import connect
from archive.store import now_iso, save_article, save_sources
from archive.versions import mark_gone
from pipelines import runstats
from pipelines.gone import page_gone
from pipelines.items import PageItem
from pipelines.sources import Source, sources_from_settings

logger = logging.getLogger(__name__)


def is_disk_full(exc: sqlite3.Error) -> bool:
    """True for SQLite's 'database or disk is full' (SQLITE_FULL), whatever the wrapper."""
    return getattr(exc, "sqlite_errorcode", None) == 13 or "disk is full" in str(exc)


def stop_disk_full(crawler: Any, db_path: Path, exc: Exception) -> None:
    """Say once that the disk is full and stop the crawl: nothing more can be saved."""
    # Whoever hits it first (this stage or the run record) says it; the stats flag is shared.
    if crawler.stats.get_value(runstats.DISK_FULL):
        return
    crawler.stats.set_value(runstats.DISK_FULL, True)
    logger.error("Cannot write %s: %s. Stopping the crawl; every article saved so far is "
                 "kept. Free some space and run the crawl again.", db_path, exc)
    engine = getattr(crawler, "engine", None)
    if engine is not None:
        deferred_from_coro(engine.close_spider_async(reason="disk_full"))


def stop_damaged(crawler: Any, db_path: Path, exc: sqlite3.DatabaseError) -> None:
    """Say once that the archive cannot be written (malformed) and stop: nothing would save."""
    if crawler.stats.get_value(runstats.DAMAGED_DB):
        return
    crawler.stats.set_value(runstats.DAMAGED_DB, str(exc))
    logger.error("Cannot save to %s: %s. Stopping the crawl.", db_path, exc)
    engine = getattr(crawler, "engine", None)
    if engine is not None:
        deferred_from_coro(engine.close_spider_async(reason="damaged_database"))


class StorePipeline:
    """Save the sources and articles through archive.store; mark gone pages.

    Gone pages are marked here, not in the run record: it is a write to the articles, made on
    this stage's connection, so it shares its disk-full handling and its order with the saves.
    """

    def __init__(self, crawler: Crawler, sources: dict[str, Source]) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = Path(crawler.settings.get("ARSHIF_DB"))
        self.sources = sources

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        """Build the stage with the crawl's sources; listen for gone pages."""
        pipe = cls(crawler, sources_from_settings(crawler.settings))
        crawler.signals.connect(pipe.page_gone, signal=page_gone)
        return pipe

    def open_spider(self) -> None:
        """Open the archive and store the sources (before any article of theirs)."""
        self.db = connect(self.db_path)
        save_sources(self.db, [s.as_row() for s in self.sources.values()])

    def close_spider(self) -> None:
        """Close the archive."""
        self.db.close()

    def process_item(self, item: PageItem) -> PageItem:
        """Save the article; count it as new, updated or unchanged."""
        article = {k: v for k, v in item.items() if k not in ("body", "hints", "precomputed")}
        article["fts_forms"] = (item.get("precomputed") or {}).get("fts_forms")
        article["place_counts"] = (item.get("precomputed") or {}).get("place_counts")
        if self.stats.get_value(runstats.DISK_FULL):
            raise DropItem("error: disk full")
        try:
            outcome = save_article(self.db, article)
        except ValueError as exc:
            raise DropItem(f"error: {exc}") from None
        except sqlite3.OperationalError as exc:
            if not is_disk_full(exc):
                raise
            stop_disk_full(self.crawler, self.db_path, exc)
            raise DropItem("error: disk full") from None
        except sqlite3.DatabaseError as exc:  # malformed: every later save would fail too
            stop_damaged(self.crawler, self.db_path, exc)
            raise DropItem(f"error: database: {exc}") from None
        runstats.count(self.stats, item["source"], outcome)
        logger.info("%s %s: %s", outcome.capitalize(), item["url"], item.get("title"))
        return item

    def page_gone(self, urls: list[str], status: int) -> None:
        """Mark a stored article whose page now answers 404/410 (its row is kept)."""
        for url in urls:
            if mark_gone(self.db, url, now_iso(), status):
                logger.info("Gone %s: HTTP %d", url, status)

