"""The extract stage: each page goes to a worker process (pipelines/analysis.py) and back."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines.analysis import analyse
from pipelines.items import PageItem
from pipelines.lifeline import die_with_parent
from pipelines.sources import Source, sources_from_settings


def default_workers() -> int:
    """Extraction processes when ARSHIF_WORKERS is -1: one per core but one, at least one.

    The crawl's main process (Scrapy, WARC capture, SQLite) keeps a core busy itself: on two
    cores, two workers beside it ran the bench crawl 12% slower than one (17 against 20 ms of
    worker CPU per page: oversubscribed cores, each worker's start-up and cold caches twice).
    """
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


class ExtractPipeline:
    """Decide whether a page is an article and extract its text and metadata with trafilatura.

    The work runs in a process pool (pipelines/analysis.py) so the reactor keeps downloading.
    """

    def __init__(self, sources: dict[str, Source], min_words: int, workers: int = 0,
                 language_sample: int = 1000, topics_path: str | None = None) -> None:
        self.sources = sources
        self.min_words = min_words
        self.workers = workers
        self.language_sample = language_sample
        self.topics_path = topics_path
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        """Read ARSHIF_MIN_WORDS, ARSHIF_WORKERS and the sources (URL patterns, founding years)."""
        settings = crawler.settings
        workers = settings.getint("ARSHIF_WORKERS", -1)
        if workers < 0:
            workers = default_workers()
        enabled = crawler.settings.getdict("ITEM_PIPELINES")
        topics = "pipelines.topics.TopicPipeline" in enabled
        return cls(sources_from_settings(settings), settings.getint("ARSHIF_MIN_WORDS", 40),
                   workers, settings.getint("ARSHIF_LANGUAGE_SAMPLE", 1000),
                   (settings.get("ARSHIF_TOPICS") or "") if topics else None)

    def open_spider(self) -> None:
        """Start the worker processes (spawned: forking a running reactor is unsafe)."""
        if self.workers > 0:
            # Workers end with this process even if it is SIGKILLed (pipelines/lifeline.py).
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                            initializer=die_with_parent,
                                            initargs=(os.getpid(),))

    def close_spider(self) -> None:
        """Stop the workers."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item: PageItem) -> PageItem:
        """Fill the article fields or raise DropItem('not_article: …')."""
        args = (dict(item), self.sources.get(item["source"]), self.min_words,
                self.language_sample, self.topics_path)
        if self.pool is None:
            result = analyse(*args)
        else:
            result = await asyncio.wrap_future(self.pool.submit(analyse, *args))
        if "drop" in result:
            raise DropItem(result["drop"])
        for key, value in result.items():
            item[key] = value
        item.pop("body", None)  # the raw bytes are not needed past this stage
        return item
