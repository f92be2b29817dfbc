"""Downloader middlewares: the private-network guard."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.netguard import check_url, system_resolver
from crawler.resolver import allow_sources
from pipelines.sources import Source, sources_from_settings

logger = logging.getLogger(__name__)


class ForbiddenAddress(IgnoreRequest):
    """A request refused because it would reach a private/loopback/link-local address."""


class OffsiteRedirect(IgnoreRequest):
    """An article request redirected off its source's site: not fetched, not stored."""


class PrivateNetworkGuard:
    """Refuse requests (and redirects) to non-public addresses unless the source allows them.

    The early refusal (a log line and a stat per request); the connection itself is pinned to
    checked addresses by crawler/resolver.py, which a rebinding name cannot get past.
    """

    def __init__(self, sources: dict[str, Source], stats: StatsCollector | None) -> None:
        self.sources = sources
        self.stats = stats
        self._cache: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkGuard:
        """Build the guard with the crawl's sources (their allowances) and stats."""
        sources = sources_from_settings(crawler.settings)
        allow_sources(list(sources.values()))  # the connection's resolver honours them too
        return cls(sources, crawler.stats)

    def _source_allows(self, request: Request) -> bool:
        sources = self.sources
        name = request.meta.get("source")
        if name in sources:
            # The allowance covers the source's own hosts only: a redirect from a private
            # outlet to another private address is checked like any other request.
            source = sources[name]
            return bool(source.allow_private_network) and source.owns(request.url)
        # robots.txt requests carry no source: allow them for the hosts of allowing sources.
        return any(s.allow_private_network and s.owns(request.url) for s in sources.values())

    async def process_request(self, request: Request) -> None:
        """Raise ForbiddenAddress or OffsiteRedirect for a request that must not be sent."""
        # Off-site first: an article redirected away is dropped whatever address it names.
        self._check_offsite(request)
        if not self._source_allows(request):
            await self._check_address(request)
        return None

    def _check_offsite(self, request: Request) -> None:
        """An article that redirects to another site is not the source's: drop it unfetched."""
        source = self.sources.get(request.meta.get("source"))
        if request.meta.get("kind") != "article" or not request.meta.get("redirect_urls"):
            return
        if source is not None and not source.owns(request.url):
            logger.warning("Dropped redirect off %s's site: %s → %s",
                           source.name, request.meta["redirect_urls"][0], request.url)
            raise OffsiteRedirect(f"offsite_redirect: {request.url}")

    async def _check_address(self, request: Request) -> None:
        """Raise ForbiddenAddress when the request's host is (or resolves to) a private address."""
        key = request.url.split("/", 3)[:3]
        cache_key = "/".join(key)
        why = self._cache.get(cache_key)
        if cache_key not in self._cache:
            # DNS is blocking: resolve in a thread so the reactor keeps downloading.
            why = await maybe_deferred_to_future(
                deferToThread(check_url, request.url, system_resolver)
            )
            if not (why and "lookup failed" in why):  # a failed lookup is retried next time
                self._cache[cache_key] = why
        if why:
            logger.warning("Refused %s: %s", request.url, why)
            if self.stats is not None:
                self.stats.inc_value("arshif/forbidden_address")
            raise ForbiddenAddress(f"forbidden_address: {why}")
