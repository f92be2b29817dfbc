"""`arshif sources check`: fetch each feed and sitemap once and report what it holds.

Fetched as the crawler fetches: with its User-Agent, obeying robots.txt, and with every
redirect hop checked by the crawler's network guard (crawler/netguard.py). Each connection goes
to an address the guard checked for it (no second lookup that could answer 127.0.0.1), and no
proxy is used. A source's allow_private_network covers its own hosts only, as in
crawler/middlewares.py.
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
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
from crawler.netguard import Refused as NetRefused
from crawler.netguard import Resolver, check_url, checked_addresses, system_resolver
from crawler.settings import DOWNLOAD_MAXSIZE, USER_AGENT
from pipelines.dates import parse_date
from pipelines.sources import Source

MAX_BYTES = DOWNLOAD_MAXSIZE  # the crawler's page limit, also the bound after gunzip


class Refused(Exception):
    """A URL (or a redirect to one) the crawler would not fetch."""


def _newest(dates: list[str | None]) -> str | None:
    parsed = [p[0] for p in (parse_date(d) for d in dates if d) if p]
    return max(parsed).isoformat() if parsed else None


def refusal(source: Source, url: str, lookup: Resolver = system_resolver) -> str | None:
    """Why url must not be fetched for source, or None."""
    if source.allow_private_network and source.owns(url):
        return None
    return check_url(url, lookup)


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


def connect_checked(source: Source, host: str, port: int, timeout: float | None,
                    lookup: Resolver = system_resolver) -> socket.socket:
    """A TCP connection to host:port made to an address the guard checked (NetRefused if none)."""
    if source.allow_private_network and source.owns(f"http://{host}:{port}/"):
        addresses = sorted(set(lookup(host.rstrip("."))))
    else:
        addresses = checked_addresses(host, lookup)
    error: OSError = NetRefused(f"{host}: no address")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection whose address comes from connect_checked, not a second lookup."""

    def __init__(self, *args: Any, guard: functools.partial[socket.socket], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def connect(self) -> None:
        """Connect to a checked address of the host."""
        self.sock = self.guard(self.host, self.port, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same for HTTPS: TLS (and its certificate check) still names the host."""

    def __init__(self, *args: Any, guard: functools.partial[socket.socket], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def connect(self) -> None:
        """Connect to a checked address, then wrap it in TLS for the host's name."""
        sock = self.guard(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHandler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """urllib's HTTP(S) handler with connections pinned to checked addresses."""

    def __init__(self, source: Source, lookup: Resolver) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self, context=ssl.create_default_context())
        self.guard = functools.partial(connect_checked, source, lookup=lookup)

    def http_open(self, req: Any) -> Any:
        """Open an http: URL through a pinned connection."""
        return self.do_open(functools.partial(_PinnedHTTP, guard=self.guard), req)

    def https_open(self, req: Any) -> Any:
        """Open an https: URL through a pinned connection."""
        return self.do_open(functools.partial(_PinnedHTTPS, guard=self.guard), req,
                            context=self._context)


def fetch(source: Source, url: str, timeout: float, lookup: Resolver = system_resolver) -> bytes:
    """The body of url (gzip Content-Encoding undone); Refused, HTTPError or OSError otherwise."""
    if why := refusal(source, url, lookup):
        raise Refused(f"refused ({why})")
    # No ProxyHandler: a proxy would make the connection (and its lookup) somewhere unchecked.
    opener = urllib.request.OpenerDirector()
    for handler in (_PinnedHandler(source, lookup), _GuardedRedirects(source),
                    urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as resp:
            body = resp.read(MAX_BYTES)
            if (resp.headers.get("Content-Encoding") or "").lower() in ("gzip", "x-gzip"):
                body = gunzip_bounded(body, MAX_BYTES)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, NetRefused):
            raise Refused(f"refused ({exc.reason})") from None
        raise
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
