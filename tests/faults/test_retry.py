"""The Retry-After retry middleware's decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

from scrapy import Request
from scrapy.http import Response
from scrapy.settings import Settings

from crawler.retry import RetryAfterMiddleware, retry_after_seconds


def test_retry_after_forms():
    now = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"7") == 7.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(later, now=now) == 90.0
    past = format_datetime(now - timedelta(hours=1), usegmt=True)
    assert retry_after_seconds(past, now=now) == 0.0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
    assert retry_after_seconds(b"-3") is None


def _mw(**values) -> RetryAfterMiddleware:
    settings = Settings({"RETRY_ENABLED": True, "RETRY_TIMES": 2,
                         "RETRY_HTTP_CODES": [503, 429], "ARSHIF_RETRY_BACKOFF": 1.5,
                         "ARSHIF_RETRY_AFTER_MAX": 60, **values})
    return RetryAfterMiddleware(SimpleNamespace(settings=settings))


def test_delay_prefers_retry_after_caps_it_and_backs_off():
    mw = _mw()
    req = Request("http://127.0.0.1/a")
    assert mw.delay(req, Response(req.url, status=503, headers={"Retry-After": "12"})) == 12
    assert mw.delay(req, Response(req.url, status=503, headers={"Retry-After": "61"})) is None
    plain = Response(req.url, status=503)
    assert mw.delay(req, plain) == 1.5
    assert mw.delay(req.replace(meta={"retry_times": 2}), plain) == 6.0
    assert _mw(ARSHIF_RETRY_BACKOFF=50).delay(req.replace(meta={"retry_times": 3}), plain) == 60


def test_retry_request_counts_and_gives_up():
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(Spider, {"RETRY_ENABLED": True, "RETRY_TIMES": 1})
    crawler.spider = Spider.from_crawler(crawler, name="t")
    crawler.stats.open_spider()
    mw = RetryAfterMiddleware(crawler)
    first = mw.retry_request(Request("http://127.0.0.1/a", priority=3), "503 Service Unavailable")
    assert first is not None and first.meta["retry_times"] == 1 and first.dont_filter
    assert first.priority == 2  # RETRY_PRIORITY_ADJUST's default
    assert mw.retry_request(first, "503 Service Unavailable") is None
    assert crawler.stats.get_value("retry/max_reached") == 1
    # A request's own max_retry_times wins over RETRY_TIMES.
    assert mw.retry_request(first.replace(meta={"retry_times": 1, "max_retry_times": 3}), "x")
