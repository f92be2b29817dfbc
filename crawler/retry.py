"""Retries that wait: 5xx/429 answers are retried after Retry-After (capped) or a backoff."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, but a retried 5xx/429 waits before it is sent again.

    The wait is the response's Retry-After when it gives one, else ARSHIF_RETRY_BACKOFF doubled
    on each retry; a Retry-After longer than ARSHIF_RETRY_AFTER_MAX gives up at once (the
    outlet asked us to stay away longer than a run should wait). The wait is a reactor timer,
    so other downloads go on meanwhile.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff = crawler.settings.getfloat("ARSHIF_RETRY_BACKOFF", 2.0)
        self.max_wait = crawler.settings.getfloat("ARSHIF_RETRY_AFTER_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        """Build the middleware (NotConfigured when RETRY_ENABLED is off)."""
        return cls(crawler)

    def delay(self, request: Request, response: Response) -> float | None:
        """Seconds to wait before retrying, or None to give up now."""
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None:
            return asked if asked <= self.max_wait else None
        return min(self.max_wait, self.backoff * 2 ** request.meta.get("retry_times", 0))

    def retry_request(self, request: Request, reason: str) -> Request | None:
        """The retry copy of a request, or None when its retries are used up."""
        # Per-request meta overrides the settings, as in Scrapy's own RetryMiddleware.
        meta = request.meta
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=meta.get("give_up_log_level", self.give_up_log_level),
        )

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        """Retry a 5xx/429 after its delay; hand the response on when retries are used up."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        wait = self.delay(request, response)
        if wait is None:
            logger.warning(
                "Not retrying %s: HTTP %d with Retry-After %s s, longer than %g s",
                request.url, response.status,
                response.headers.get(b"Retry-After", b"").decode("latin-1"), self.max_wait,
            )
            self.crawler.stats.inc_value("arshif/retry_after_too_long")
            return response
        retry = self.retry_request(request, reason)
        if retry is None:
            return response  # given up: HttpErrorMiddleware turns it into an http_error
        if wait > 0:
            from twisted.internet import reactor  # the installed one: not at import time

            logger.info("HTTP %d for %s: retrying in %.1f s", response.status, request.url, wait)
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry
