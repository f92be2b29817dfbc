"""`arshif sources check`: fetch each feed and sitemap once and report what it holds.

Fetched as the crawler fetches: with its User-Agent, obeying robots.txt, and with every
redirect hop checked by the crawler's network guard (crawler/netguard.py). A source's
allow_private_network covers its own hosts only, as in crawler/middlewares.py.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from crawler.discovery import (
    FeedError,
    gunzip_bounded,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from crawler.netguard import check_url
from crawler.settings import DOWNLOAD_MAXSIZE, USER_AGENT
from pipelines.dates import parse_date
from pipelines.sources import Source

MAX_BYTES = DOWNLOAD_MAXSIZE  # the crawler's page limit, also the bound after gunzip


class Refused(Exception):
    """A URL (or a redirect to one) the crawler would not fetch."""


def _newest(dates: list[str | None]) -> str | None:
    parsed = [p[0] for p in (parse_date(d) for d in dates if d) if p]
    return max(parsed).isoformat() if parsed else None


def refusal(source: Source, url: str) -> str | None:
    """Why url must not be fetched for source, or None."""
    if source.allow_private_network and source.owns(url):
        return None
    return check_url(url)


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address the network guard allows."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        """Refuse a hop to a private/loopback address (or to another scheme)."""
        if why := refusal(self.source, newurl):
            raise Refused(f"redirect to {newurl} refused ({why})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(source: Source, url: str, timeout: float) -> bytes:
    """The body of url (gzip Content-Encoding undone); Refused, HTTPError or OSError otherwise."""
    if why := refusal(source, url):
        raise Refused(f"refused ({why})")
    opener = urllib.request.build_opener(_GuardedRedirects(source))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with opener.open(request, timeout=timeout) as resp:
        body = resp.read(MAX_BYTES)
        if (resp.headers.get("Content-Encoding") or "").lower() in ("gzip", "x-gzip"):
            body = gunzip_bounded(body, MAX_BYTES)
    return body


class Robots:
    """robots.txt of each host, fetched once per check through the same guard."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._hosts: dict[str, tuple[RobotFileParser, bytes, str]] = {}

    def get(self, source: Source, url: str) -> tuple[RobotFileParser, bytes, str]:
        """The parser, body and fetch status ('ok', 'HTTP 404', …) of url's host's robots.txt."""
        parts = urlsplit(url)
        if parts.netloc not in self._hosts:
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            parser, body, status = RobotFileParser(robots_url), b"", "ok"
            try:
                body = fetch(source, robots_url, self.timeout)
                parser.parse(body.decode("utf-8", "replace").splitlines())
            except urllib.error.HTTPError as exc:
                # urllib.robotparser's own rule: 401/403 forbid everything, other errors nothing.
                parser.disallow_all = exc.code in (401, 403)
                parser.allow_all = not parser.disallow_all
                status = f"HTTP {exc.code}"
            except (Refused, FeedError, OSError) as exc:
                # As in the crawler: an unreadable robots.txt forbids nothing.
                parser.allow_all = True
                status = str(exc) if isinstance(exc, Refused) else f"error: {exc}"
            self._hosts[parts.netloc] = (parser, body, status)
        return self._hosts[parts.netloc]

    def allowed(self, source: Source, url: str) -> bool:
        """True when robots.txt lets the crawler's User-Agent fetch url."""
        return self.get(source, url)[0].can_fetch(USER_AGENT, url)


def check_url_list(source: Source, kind: str, url: str, timeout: float,
                   robots: Robots | None = None) -> dict[str, Any]:
    """Fetch one feed or (gzipped) sitemap and summarise it."""
    robots = robots or Robots(timeout)
    row: dict[str, Any] = {"source": source.name, "kind": kind, "url": url, "items": 0,
                           "newest": None, "status": "ok"}
    try:
        if why := refusal(source, url):
            raise Refused(f"refused ({why})")
        if not robots.allowed(source, url):
            row["status"] = "disallowed by robots.txt"
            return row
        body = fetch(source, url, timeout)
        if kind == "feed":
            entries = parse_feed(body, url)
        else:
            _, entries = parse_sitemap(body, url, max_size=MAX_BYTES)
    except Refused as exc:
        row["status"] = str(exc)
        return row
    except urllib.error.HTTPError as exc:
        row["status"] = f"HTTP {exc.code}"
        return row
    except FeedError as exc:
        row["status"] = f"bad: {exc}"
        return row
    except OSError as exc:
        row["status"] = f"error: {getattr(exc, 'reason', exc)}"
        return row
    row["items"] = len(entries)
    row["newest"] = _newest([e.date or e.lastmod for e in entries])
    return row


def check_robots(source: Source, url: str, robots: Robots) -> Iterator[dict[str, Any]]:
    """A row for a robots.txt the source reads sitemaps from, then one per Sitemap: line."""
    _, body, status = robots.get(source, url)
    # Like the spider: only sitemaps on the source's own site are read.
    urls = [u for u in robots_sitemaps(body, url) if source.owns(u)]
    if url not in source.sitemaps and status.startswith("HTTP 4"):
        status = "ok"  # not listed, only tried: a site without robots.txt is no fault
    yield {"source": source.name, "kind": "robots", "url": url, "items": len(urls),
           "newest": None, "status": status}
    for sitemap in urls:
        yield check_url_list(source, "sitemap", sitemap, robots.timeout, robots)


def check_sources(sources: list[Source], timeout: float = 20.0) -> Iterator[dict[str, Any]]:
    """One row per feed and sitemap of each source (robots.txt Sitemap: lines included)."""
    robots = Robots(timeout)
    for source in sources:
        for url in source.feeds:
            yield check_url_list(source, "feed", url, timeout, robots)
        for url in source.sitemap_files:
            yield check_url_list(source, "sitemap", url, timeout, robots)
        for url in source.robots_txts:
            yield from check_robots(source, url, robots)
