"""Downloader middlewares: the private-network guard."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.netguard import check_url, system_resolver

logger = logging.getLogger(__name__)


class ForbiddenAddress(IgnoreRequest):
    """A request refused because it would reach a private/loopback/link-local address."""


class PrivateNetworkGuard:
    """Refuse requests (and redirects) to non-public addresses unless the source allows them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._cache: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkGuard:
        """Build the guard for a crawler."""
        return cls(crawler)

    def _source_allows(self, request: Request) -> bool:
        sources: dict[str, Any] = getattr(self.crawler.spider, "sources_by_name", {}) or {}
        name = request.meta.get("source")
        if name in sources:
            return bool(sources[name].allow_private_network)
        # robots.txt requests carry no source: allow them for the hosts of allowing sources.
        return any(s.allow_private_network and s.owns(request.url) for s in sources.values())

    async def process_request(self, request: Request) -> None:
        """Raise ForbiddenAddress for a request that must not be sent."""
        if self._source_allows(request):
            return None
        key = request.url.split("/", 3)[:3]
        cache_key = "/".join(key)
        if cache_key not in self._cache:
            # DNS is blocking: resolve in a thread so the reactor keeps downloading.
            self._cache[cache_key] = await maybe_deferred_to_future(
                deferToThread(check_url, request.url, system_resolver)
            )
        why = self._cache[cache_key]
        if why:
            logger.warning("Refused %s: %s", request.url, why)
            self.crawler.stats.inc_value("arshif/forbidden_address")
            raise ForbiddenAddress(f"forbidden_address: {why}")
        return None
