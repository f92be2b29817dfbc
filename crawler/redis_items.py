"""Distributed store stage: push processed items and run counters to Redis for the one writer.

Messages are JSON on the `P:items` list, in this crawler's order:
    {"type": "sources", "rows": [...]}                 once, when the crawl opens
    {"type": "article", "run": RUN, "item": {...}}     a kept page, without its raw body
    {"type": "gone", "urls": [...], "status": 404}     a stored article's page has gone
    {"type": "run", "run": RUN, "source": S, ...}      counters, every flush and at the end
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

from archive.store import now_iso
from crawler import redisq
from pipelines import runstats
from pipelines.gone import page_gone
from pipelines.topics import keeps_off_topic

logger = logging.getLogger(__name__)
SKIP = ("body", "hints")  # the raw bytes stay in the crawler's WARC file


def _json(value: Any) -> Any:
    """bytes and other odd values as text, so every item serialises."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class RedisItemPipeline:
    """Replaces dedupe/store/clusters in a crawler: the writer runs those on its archive."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler, self.stats = crawler, crawler.stats
        self.keys = redisq.Keys(s.get("ARSHIF_REDIS_PREFIX") or "arshif")
        self.server = redisq.connect(s.get("ARSHIF_REDIS_URL"))
        self.run = s.get("ARSHIF_RUN_ID")
        self.started = now_iso()
        self.flush_seconds = s.getfloat("ARSHIF_RUN_FLUSH_SECONDS", 30)
        self.all_topics = keeps_off_topic(s)  # the writer records it with the run
        self._loop: task.LoopingCall | None = None
        self.pending: list[str] = []  # messages not yet accepted by Redis (an outage)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        """Listen for drops, errors, gone pages and the end of the crawl."""
        pipe = cls(crawler)
        crawler.signals.connect(pipe.item_settled, signal=signals.item_scraped)
        crawler.signals.connect(pipe.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipe.item_error, signal=signals.item_error)
        crawler.signals.connect(pipe.page_gone, signal=page_gone)
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    def open_spider(self) -> None:
        """Send the sources table rows and start flushing the run counters."""
        sources = getattr(self.crawler.spider, "sources_by_name", {}) or {}
        self.send({"type": "sources", "rows": [s.as_row() for s in sources.values()]})
        if self.flush_seconds > 0:
            self._loop = task.LoopingCall(self.flush, "running")
            self._loop.start(self.flush_seconds, now=False)

    def send(self, message: dict[str, Any]) -> None:
        """Push a message now, or keep it until Redis answers (flushed in order)."""
        self.pending.append(json.dumps(message, ensure_ascii=False, default=_json))
        try:
            self.server.rpush(self.keys.items, *self.pending)
            self.pending.clear()
        except redisq.DOWN as exc:
            logger.warning("Redis unavailable, %d messages held: %s", len(self.pending), exc)

    async def process_item(self, item: Any) -> Any:
        """Push the processed item to the writer, waiting out a Redis outage."""
        message = {"type": "article", "run": self.run,
                   "item": {k: v for k, v in item.items() if k not in SKIP}}
        self.send(message)
        delay = 0.5
        while self.pending:  # Redis is away: this item (and the crawl) waits for it
            await _sleep(delay)
            delay = min(delay * 2, 30)
            self.send_pending()
        return item

    def send_pending(self) -> None:
        """Retry the held messages."""
        if not self.pending:
            # Another item's retry pushed them while this one slept (RPUSH with no values
            # is a Redis error, which used to fail this item after its message was sent).
            return
        try:
            self.server.rpush(self.keys.items, *self.pending)
            self.pending.clear()
        except redisq.DOWN:
            pass

    def _scheduler(self) -> Any:
        engine = self.crawler.engine
        return getattr(getattr(engine, "_slot", None), "scheduler", None)

    def _settle(self, response: Any) -> None:
        done = getattr(self._scheduler(), "done", None)
        if done is not None and response is not None:
            done(response.request)

    def item_settled(self, item: Any, response: Any) -> None:
        """The item reached Redis: its request is no longer in flight."""
        self._settle(response)

    def item_dropped(self, item: Any, response: Any, exception: Exception) -> None:
        """Count the drop under its reason (as the store stage does) and settle the request."""
        reason, detail = runstats.reason_of(str(exception))
        source = item.get("source", "?") if hasattr(item, "get") else "?"
        runstats.drop(self.stats, source, reason, detail)
        self._settle(response)

    def item_error(self, item: Any, response: Any, failure: Any) -> None:
        """Count a page on which a stage crashed as 'error' and settle the request."""
        source = item.get("source", "?") if hasattr(item, "get") else "?"
        runstats.drop(self.stats, source, "error", repr(failure.value)[:200])
        self._settle(response)

    def page_gone(self, urls: list[str], status: int) -> None:
        """Tell the writer a stored article's page now answers 404/410."""
        self.send({"type": "gone", "urls": urls, "status": status})

    def flush(self, status: str, finished: str | None = None) -> None:
        """Send this process's counters, one message per source it touched."""
        for source, counts in runstats.per_source(self.stats).items():
            if source in getattr(self.crawler.spider, "sources_by_name", {}):
                self.send({"type": "run", "run": self.run, "source": source,
                           "started": self.started, "status": status, "finished": finished,
                           "counts": counts, "all_topics": self.all_topics})

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Send the final counters; wait (bounded) for held messages to reach Redis."""
        if self._loop and self._loop.running:
            self._loop.stop()
        status = "finished" if reason == "finished" else f"interrupted ({reason})"
        self.flush(status, now_iso())
        deadline = time.monotonic() + 120
        while self.pending and time.monotonic() < deadline:
            time.sleep(1)
            self.send_pending()
        if self.pending:
            logger.error("Lost %d messages: Redis did not come back", len(self.pending))


async def _sleep(seconds: float) -> None:
    """Sleep without blocking the reactor (asyncio or plain Twisted)."""
    try:
        asyncio.get_running_loop()
        await asyncio.sleep(seconds)
    except RuntimeError:
        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))
