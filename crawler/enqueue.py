"""`arshif enqueue`: put each source's seeds (feeds, sitemaps, sections, homepage) in the frontier.

The seeds are NewsSpider.seed_requests (what its start() sends), serialised by scrapy-redis's
own queue class, so any crawler process can pop them. Pushing the same seed twice while it is still
queued is a no-op (same member of the sorted set).
"""

from __future__ import annotations

from pathlib import Path

from scrapy_redis.queue import PriorityQueue

from crawler import redisq
from crawler.sources import load_sources
from crawler.spiders.news_redis import NewsRedisSpider


def enqueue(url: str, sources_file: Path | None, names: list[str] | None,
            prefix: str = "arshif", reset: bool = False, dupe_days: int = 3) -> dict[str, int]:
    """Push the seeds of the chosen sources; recover stopped crawlers; counts per source."""
    from crawler.distributed import DayDupeFilter

    server = redisq.connect(url)
    keys = redisq.Keys(prefix)
    spider = NewsRedisSpider()  # only to name callbacks when serialising: never crawls
    if reset:  # a fresh frontier: forget queued requests and every fingerprint of the window
        server.delete(keys.requests)
        DayDupeFilter(server, keys, dupe_days, None).clear()
    redisq.requeue_dead(server, keys)
    queue = PriorityQueue(server, spider, keys.requests)
    counts: dict[str, int] = {}
    for source in load_sources(sources_file, names or None):
        reqs = list(spider.seed_requests(source))
        for req in reqs:
            queue.push(req)
        counts[source.name] = len(reqs)
    return counts
