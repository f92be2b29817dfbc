"""`arshif sources check`: fetch each feed and sitemap once and report what it holds."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from crawler.discovery import FeedError, parse_feed, parse_sitemap
from crawler.netguard import check_url
from crawler.settings import USER_AGENT
from pipelines.dates import parse_date
from pipelines.sources import Source

MAX_BYTES = 32 * 1024 * 1024


def _newest(dates: list[str | None]) -> str | None:
    parsed = [p[0] for p in (parse_date(d) for d in dates if d) if p]
    return max(parsed).isoformat() if parsed else None


def check_url_list(source: Source, kind: str, url: str, timeout: float) -> dict[str, Any]:
    """Fetch one feed or sitemap and summarise it."""
    row: dict[str, Any] = {"source": source.name, "kind": kind, "url": url, "items": 0,
                           "newest": None, "status": "ok"}
    if not source.allow_private_network and (why := check_url(url)):
        row["status"] = f"refused ({why})"
        return row
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            body = resp.read(MAX_BYTES)
    except urllib.error.HTTPError as exc:
        row["status"] = f"HTTP {exc.code}"
        return row
    except (urllib.error.URLError, OSError) as exc:
        row["status"] = f"error: {getattr(exc, 'reason', exc)}"
        return row
    try:
        if kind == "feed":
            entries = parse_feed(body, url)
        else:
            _, entries = parse_sitemap(body, url)
    except FeedError as exc:
        row["status"] = f"bad: {exc}"
        return row
    row["items"] = len(entries)
    row["newest"] = _newest([e.date or e.lastmod for e in entries])
    return row


def check_sources(sources: list[Source], timeout: float = 20.0) -> Iterator[dict[str, Any]]:
    """One row per feed and sitemap of each source."""
    for source in sources:
        for url in source.feeds:
            yield check_url_list(source, "feed", url, timeout)
        for url in source.sitemaps:
            yield check_url_list(source, "sitemap", url, timeout)
