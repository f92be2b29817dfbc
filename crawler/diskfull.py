"""A full disk is said once: the tracebacks Scrapy would log for each write that fails after it
(signal handlers, item pipelines) become the one disk-full line of pipelines/store_stage.py.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from pipelines.store_stage import is_disk_full, stop_disk_full

# The loggers Scrapy reports a failing signal handler or item pipeline on, with its traceback.
LOGGERS = ("scrapy.utils.signal", "scrapy.core.scraper", "scrapy.core.engine")


def disk_full_error(exc: BaseException | None) -> bool:
    """True for ENOSPC/EDQUOT and for SQLite's 'database or disk is full'."""
    if isinstance(exc, sqlite3.Error):
        return is_disk_full(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class DiskFullLog(logging.Filter):
    """An extension: drop disk-full tracebacks from Scrapy's logs, stopping the crawl instead."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__()
        self.crawler = crawler
        self.db_path = Path(crawler.settings.get("ARSHIF_DB") or "")
        for name in LOGGERS:
            logging.getLogger(name).addFilter(self)
        crawler.signals.connect(self.remove, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFullLog:
        """Install the filter for this crawl (removed when its engine stops)."""
        return cls(crawler)

    def filter(self, record: logging.LogRecord) -> bool:
        """False (not logged) for a record whose exception is a full disk."""
        exc = record.exc_info[1] if record.exc_info else None
        if not disk_full_error(exc):
            return True
        stop_disk_full(self.crawler, self.db_path, exc)  # says it once, whoever hit it first
        return False

    def remove(self) -> None:
        """Take the filter off Scrapy's loggers."""
        for name in LOGGERS:
            logging.getLogger(name).removeFilter(self)
