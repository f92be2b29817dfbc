"""Middlewares of incremental crawling: conditional GET, request counts, what a feed yielded."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from archive import known_urls as inc
from archive.urls import canonical_url
from crawler.incremental import CONDITIONAL, DISCOVERY, Incremental, NotModified
from pipelines import runstats
from pipelines.sources import Source, sources_from_settings

logger = logging.getLogger(__name__)

# Pages not worth fetching again soon: they were fetched and not kept for these reasons.
REMEMBERED_DROPS = ("not_article", "not_arabic")
GONE = (404, 410)


def _inc(crawler: Crawler) -> Incremental | None:
    return getattr(crawler.spider, "incremental", None)


def _source_of(sources: dict[str, Source], request: Request) -> str | None:
    name = request.meta.get("source")
    if name:
        return name
    # robots.txt requests carry no source: charge them to the source whose site they are on.
    return next((s.name for s in sources.values() if s.owns(request.url)), None)


class ConditionalGetMiddleware:
    """Send If-None-Match/If-Modified-Since; turn 304s and unchanged feeds into NotModified."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sources = sources_from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        """Build the middleware and listen for finished and dropped items."""
        mw = cls(crawler)
        crawler.signals.connect(mw.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(mw.item_dropped, signal=signals.item_dropped)
        return mw

    def process_request(self, request: Request) -> None:
        """Count the request and add the validators of its last fetch."""
        source = _source_of(self.sources, request)
        if source:
            runstats.count(self.crawler.stats, source, "requests")
        state = _inc(self.crawler)
        kind = request.meta.get("kind")
        if state is None or kind is None:
            return None
        validators: dict[str, Any] = {}
        if kind in CONDITIONAL:
            old = state.state(request.url)
            validators = {"etag": old.get("etag"), "last_modified": old.get("last_modified")}
        elif kind == "article":
            validators = request.meta.get("validators") or {}
        if validators.get("etag"):
            request.headers.setdefault(b"If-None-Match", validators["etag"])
        if validators.get("last_modified"):
            request.headers.setdefault(b"If-Modified-Since", validators["last_modified"])
        if kind in CONDITIONAL or kind == "article":
            # A 304 is an answer, not an error: let it through HttpErrorMiddleware.
            allowed = set(request.meta.get("handle_httpstatus_list") or []) | {304}
            request.meta["handle_httpstatus_list"] = sorted(allowed)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        """Raise NotModified for a 304 or an unchanged feed; remember gone pages."""
        state = _inc(self.crawler)
        kind, source = request.meta.get("kind"), request.meta.get("source")
        if state is None or not source or kind is None:
            return response
        stats = self.crawler.stats
        if kind in DISCOVERY and state.fetched_discovery(request, response):
            runstats.count(stats, source, "pages")
            runstats.count(stats, source, "not_modified")
            logger.info("Not modified (%s): %s", response.status, request.url)
            raise NotModified(f"not_modified: {request.url}")
        if kind == "article" and response.status == 304:
            runstats.count(stats, source, "pages")
            runstats.count(stats, source, "unchanged")
            inc.record_article_fetch(state.db, request.url, None, None, not_modified=True)
            logger.info("Unchanged (304) %s", request.url)
            raise NotModified(f"not_modified: {request.url}")
        if kind == "article" and response.status in GONE:
            inc.record_dropped(state.db, request.url, source, f"http_{response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """Note a discovery URL that could not be fetched (its failures count goes up)."""
        state = _inc(self.crawler)
        if state is not None and request.meta.get("kind") in DISCOVERY and not isinstance(
            exception, NotModified
        ):
            state.failed_discovery(request, type(exception).__name__)
        return None

    def item_scraped(self, item: Any, response: Response, spider: Any) -> None:
        """A stored article: keep its validators and the other URLs it was reached by."""
        state = _inc(self.crawler)
        if state is None or response is None:
            return
        etag = response.headers.get(b"ETag", b"").decode("latin-1") or None
        modified = response.headers.get(b"Last-Modified", b"").decode("latin-1") or None
        # checked_at = the fetch time, as first_seen_at is: revisit ages count from there.
        inc.record_article_fetch(state.db, item["url"], etag, modified,
                                 checked_at=item.get("fetched_at"))
        for other in {response.request.url, response.url, item.get("requested_url") or ""}:
            if other and canonical_url(other) != item["url"]:
                inc.record_alias(state.db, other, item["url"], item["source"])

    def item_dropped(self, item: Any, response: Response, exception: Exception, spider: Any
                     ) -> None:
        """Remember pages dropped as not an article or not Arabic, so they are not re-fetched."""
        state = _inc(self.crawler)
        reason, _ = runstats.reason_of(str(exception))
        if state is None or response is None or reason not in REMEMBERED_DROPS:
            return
        if response.request.meta.get("revisit"):
            return  # a stored article that now fails extraction stays an article
        inc.record_dropped(state.db, response.request.url, item.get("source", "?"), reason)


class DiscoveryYieldMiddleware:
    """Count the new article requests each feed/sitemap/section yields (for its interval)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiscoveryYieldMiddleware:
        """Build the middleware."""
        return cls(crawler)

    def _note(self, response: Response, out: Any) -> None:
        state = _inc(self.crawler)
        if state is None or response.meta.get("kind") not in DISCOVERY:
            return
        if isinstance(out, Request) and out.meta.get("kind") == "article":
            if not out.meta.get("revisit"):
                for key in (response.request.url, f"@{out.meta.get('source')}"):
                    state.found[key] = state.found.get(key, 0) + 1

    def process_spider_output(self, response: Response, result: Iterable[Any]
                              ) -> Iterable[Any]:
        """Pass everything through, counting article requests."""
        for out in result:
            self._note(response, out)
            yield out

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The same for asynchronous callbacks."""
        async for out in result:
            self._note(response, out)
            yield out
