"""Count redirected article requests that Scrapy's duplicate filter drops without a word."""

from __future__ import annotations

import logging

from scrapy import Request, signals
from scrapy.crawler import Crawler

from archive.urls import canonical_url
from pipelines import runstats

logger = logging.getLogger(__name__)


class RedirectDrops:
    """Count a redirect loop (A → B → A) as error and a redirect to a URL already requested
    in this crawl as duplicate; the scheduler's dupefilter would otherwise lose them silently.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectDrops:
        """Listen for requests the scheduler drops."""
        ext = cls(crawler)
        crawler.signals.connect(ext.request_dropped, signal=signals.request_dropped)
        return ext

    def request_dropped(self, request: Request) -> None:
        """Count a dropped redirect of an article under its source."""
        chain = request.meta.get("redirect_urls")
        source = request.meta.get("source")
        if not chain or not source or request.meta.get("kind") != "article":
            return
        target = canonical_url(request.url)
        if target in {canonical_url(u) for u in chain}:
            logger.warning("Dropped article %s: redirect loop (%s)", chain[0],
                           " → ".join([*chain, request.url]))
            runstats.drop(self.crawler.stats, source, "error", f"redirect loop: {chain[0]}")
        else:
            logger.info("Dropped article %s: redirects to %s, already requested",
                        chain[0], request.url)
            runstats.drop(self.crawler.stats, source, "duplicate",
                          f"redirect to an already requested URL: {request.url}")
