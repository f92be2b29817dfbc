"""The news spider in distributed mode: requests come from (and go to) the shared Redis frontier.

`arshif crawl --redis URL` runs it; so does `scrapy crawl news_redis -s ARSHIF_REDIS_URL=URL`
(scrapyd). Seeds are Requests that `arshif enqueue` put in the frontier, so `start()` yields
nothing: scrapy-redis's RedisSpider reads its `start_urls` key from `start_requests()`, which
Scrapy >= 2.13 no longer calls, and its MAX_IDLE_TIME_BEFORE_CLOSE counts from the last seed
rather than from the last activity, so neither is used.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler import redisq
from crawler.distributed import apply_settings
from crawler.spiders.news import NewsSpider
from pipelines.sources import Source


class NewsRedisSpider(NewsSpider):
    """NewsSpider sharing one frontier, one dupefilter and one writer with other processes."""

    name = "news_redis"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Apply distributed mode: scratch state per crawler, WARC files beside the archive."""
        super().update_settings(settings)
        apply_settings(settings, settings.get("ARSHIF_REDIS_URL")
                       or os.environ.get("ARSHIF_REDIS_URL"))
        archive = Path(settings.get("ARSHIF_DB"))
        if not settings.get("ARSHIF_WARC_DIR"):
            settings.set("ARSHIF_WARC_DIR", str(archive.parent / "warc"), priority=45)
        # The archive belongs to the writer; feed state, locks and such stay in a scratch file.
        scratch = tempfile.mkdtemp(prefix="arshif-crawler-")
        atexit.register(shutil.rmtree, scratch, True)
        settings.set("ARSHIF_DB", str(Path(scratch) / "state.db"), priority=45)
        worker = settings.get("ARSHIF_WORKER_ID") or redisq.worker_id()
        settings.set("ARSHIF_WORKER_ID", worker, priority=45)

    @classmethod
    def run_id(cls, settings: BaseSettings) -> str:
        """The run id with this worker's id added to it."""
        # Per process: crawl_runs rows and WARC file names (arshif-RUN-00000.warc.gz) differ.
        return f"{super().run_id(settings)}-{settings.get('ARSHIF_WORKER_ID')}"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsRedisSpider:
        """Also keep the spider open while the frontier may still receive requests."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.idle_seconds = crawler.settings.getfloat("ARSHIF_REDIS_IDLE_SECONDS", 60)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """No seeds here (they are in Redis); discovery pages are never article candidates."""
        for source in self.sources_by_name.values():
            self.mark_seeds(source)
        return
        yield  # an async generator that yields nothing

    def _scheduler(self) -> Any:
        return getattr(getattr(self.crawler.engine, "_slot", None), "scheduler", None)

    def on_idle(self) -> None:
        """Close after ARSHIF_REDIS_IDLE_SECONDS without work while no other crawler has any."""
        scheduler = self._scheduler()
        if scheduler is None or not hasattr(scheduler, "idle_for"):
            return
        if scheduler.idle_for() < self.idle_seconds or scheduler.others_busy():
            raise DontCloseSpider
        if getattr(scheduler, "requeue_orphans", None) and scheduler.requeue_orphans():
            raise DontCloseSpider  # they are back in the frontier: fetch them first
        self.logger.info("Frontier empty for %.0f s: closing", scheduler.idle_for())

    # -- in-flight bookkeeping ----------------------------------------------------------

    def _settled(self, out: Iterator[Any], request: scrapy.Request | None) -> Iterator[Any]:
        """Pass the callback's output on, then mark its request settled (links are queued)."""
        yield from out
        scheduler = self._scheduler()
        if scheduler is not None and hasattr(scheduler, "done"):
            scheduler.done(request)

    def _discovery(self, url: str, source: Source, kind: str, **meta: Any) -> scrapy.Request:
        """No holding of section links: another process may read this source's feeds."""
        return self._request(url, source, kind, **meta)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """NewsSpider.parse_feed, settled once its links are queued."""
        return self._settled(super().parse_feed(response), response.request)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """NewsSpider.parse_sitemap, settled once its links are queued."""
        return self._settled(super().parse_sitemap(response), response.request)

    def parse_section(self, response: Response) -> Iterator[scrapy.Request]:
        """NewsSpider.parse_section, settled once its links are queued."""
        return self._settled(super().parse_section(response), response.request)

    def parse_homepage(self, response: Response) -> Iterator[scrapy.Request]:
        """NewsSpider.parse_homepage, settled once its links are queued."""
        return self._settled(super().parse_homepage(response), response.request)

    def on_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        """NewsSpider.on_error, settled once counted."""
        return self._settled(super().on_error(failure), failure.request)
