"""Distributed store stage: push processed items to Redis for the one writer.

Messages are JSON on the `P:items` list, in this crawler's order:
    {"type": "sources", "rows": [...]}                 once, when the crawl opens
    {"type": "article", "run": RUN, "item": {...}}     a kept page, without its raw body
    {"type": "gone", "urls": [...], "status": 404}     a stored article's page has gone
    {"type": "run", "run": RUN, "source": S, ...}      counters, every flush and at the end
The run messages come from the run record (crawler/run_record.py), on their own outbox.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

from crawler import redisq
from pipelines.gone import page_gone
from pipelines.sources import Source, sources_from_settings

SKIP = ("body", "hints")  # the raw bytes stay in the crawler's WARC file


class RedisItemPipeline:
    """Replaces dedupe/store/clusters in a crawler: the writer runs those on its archive."""

    def __init__(self, crawler: Crawler, outbox: redisq.Outbox, sources: dict[str, Source]
                 ) -> None:
        self.crawler = crawler
        self.outbox = outbox
        self.sources = sources
        self.run = crawler.settings.get("ARSHIF_RUN_ID")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        """Listen for items settled one way or another and for gone pages."""
        s = crawler.settings
        outbox = redisq.Outbox(s.get("ARSHIF_REDIS_URL"),
                               redisq.Keys(s.get("ARSHIF_REDIS_PREFIX") or "arshif"))
        pipe = cls(crawler, outbox, sources_from_settings(s))
        crawler.signals.connect(pipe.item_settled, signal=signals.item_scraped)
        crawler.signals.connect(pipe.item_settled, signal=signals.item_dropped)
        crawler.signals.connect(pipe.item_settled, signal=signals.item_error)
        crawler.signals.connect(pipe.page_gone, signal=page_gone)
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    def open_spider(self) -> None:
        """Send the sources table rows (before any article of theirs)."""
        self.outbox.send({"type": "sources", "rows": [s.as_row() for s in self.sources.values()]})

    async def process_item(self, item: Any) -> Any:
        """Push the processed item to the writer, waiting out a Redis outage."""
        self.outbox.send({"type": "article", "run": self.run,
                          "item": {k: v for k, v in item.items() if k not in SKIP}})
        delay = 0.5
        while self.outbox.pending:  # Redis is away: this item (and the crawl) waits for it
            await _sleep(delay)
            delay = min(delay * 2, 30)
            self.outbox.send_pending()
        return item

    def _scheduler(self) -> Any:
        engine = self.crawler.engine
        return getattr(getattr(engine, "_slot", None), "scheduler", None)

    def item_settled(self, item: Any, response: Any) -> None:
        """The item reached Redis, was dropped or crashed: its request is no longer in flight."""
        done = getattr(self._scheduler(), "done", None)
        if done is not None and response is not None:
            done(response.request)

    def page_gone(self, urls: list[str], status: int) -> None:
        """Tell the writer a stored article's page now answers 404/410."""
        self.outbox.send({"type": "gone", "urls": urls, "status": status})

    def spider_closed(self) -> None:
        """Wait (bounded) for held messages (gone pages) to reach Redis."""
        self.outbox.drain()


async def _sleep(seconds: float) -> None:
    """Sleep without blocking the reactor (asyncio or plain Twisted)."""
    try:
        asyncio.get_running_loop()
        await asyncio.sleep(seconds)
    except RuntimeError:
        await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))
