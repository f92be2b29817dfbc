"""The outlets a crawl reads (a sources.yaml): the Source record, its validation and loading.

The default file, crawler/sources.yaml, belongs to the crawler: crawler/sources.py names it, and
the spider resolves the crawl's file and names into ARSHIF_SOURCES / ARSHIF_SOURCE_NAMES, from
which every component loads them with sources_from_settings (one parse per process).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipelines.entries import (
    NAME_RULE,
    check_keys,
    check_unique_names,
    entry_where,
    fail,
    is_name,
    is_string_list,
    read_yaml,
)

URL_LISTS = ("feeds", "sitemaps", "sections")
KNOWN_KEYS = {
    "name", "title", "homepage", "country", "founded", "feeds", "sitemaps", "sections",
    "article_url_pattern", "allow_private_network", "notes", "max_age_days", "domains",
    "all_topics",
}


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the entry and key."""


@dataclass(frozen=True)
class Source:
    """One outlet to crawl."""

    name: str
    title: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    country: str | None = None
    founded: int | None = None
    article_url_pattern: str | None = None
    allow_private_network: bool = False
    max_age_days: int | None = None
    all_topics: bool = False  # keep (tagged) this outlet's articles that match no topic
    domains: tuple[str, ...] = field(default=())
    notes: str | None = None

    @property
    def hosts(self) -> tuple[str, ...]:
        """Netlocs (host[:port]) that count as this source's own site."""
        hosts = {_site_host(self.homepage)}
        hosts.update(_site_host("http://" + d) for d in self.domains)
        for url in self.feeds + self.sitemaps + self.sections:
            hosts.add(_site_host(url))
        return tuple(sorted(hosts))

    @property
    def sitemap_files(self) -> tuple[str, ...]:
        """The listed sitemaps that are sitemaps (not a robots.txt to read Sitemap: lines from)."""
        return tuple(u for u in self.sitemaps if not is_robots_url(u))

    @property
    def robots_txts(self) -> tuple[str, ...]:
        """robots.txt files whose `Sitemap:` lines are read as this source's sitemaps.

        Like Scrapy's SitemapSpider: those listed among `sitemaps`; and, for a source that
        lists no feeds and no sitemaps, its homepage's robots.txt.
        """
        listed = tuple(u for u in self.sitemaps if is_robots_url(u))
        if listed or self.feeds or self.sitemaps:
            return listed
        parts = urlsplit(self.homepage)
        return (f"{parts.scheme}://{parts.netloc}/robots.txt",)

    def owns(self, url: str) -> bool:
        """True when url is on this source's own site (subdomains of its hosts included)."""
        host = _site_host(url)
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def as_row(self) -> dict[str, Any]:
        """The row stored in the sources table."""
        return {
            "name": self.name,
            "title": self.title,
            "homepage": self.homepage,
            "country": self.country,
            "founded": self.founded,
            "feeds": list(self.feeds),
            "sitemaps": list(self.sitemaps),
            "sections": list(self.sections),
            "notes": self.notes,
        }

    def as_entry(self) -> dict[str, Any]:
        """This source as an entry of a sources.yaml (parse_source reads it back unchanged)."""
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in asdict(self).items() if v is not None}


def is_robots_url(url: str) -> bool:
    """True for a site's /robots.txt."""
    return urlsplit(url).path == "/robots.txt"


def _site_host(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    # Fixture outlets share 127.0.0.1 and differ only by port, so the port is part of the site.
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    return host


def _fail(where: str, key: str, problem: str) -> SourcesError:
    return fail(SourcesError, where, key, problem)


def _check_url(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise _fail(where, key, f"expected an http(s) URL, got {value!r}")
    if not urlsplit(value).hostname:
        raise _fail(where, key, f"URL has no host: {value!r}")
    return value


def parse_source(entry: Any, index: int) -> Source:
    """Validate one entry of the sources list."""
    where = entry_where(SourcesError, "sources", entry, index)
    check_keys(SourcesError, where, entry, KNOWN_KEYS)
    for key in ("name", "title", "homepage"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise _fail(where, key, "required, a non-empty string")
    if not is_name(entry["name"]):
        raise _fail(where, "name", NAME_RULE)
    _check_url(where, "homepage", entry["homepage"])
    lists: dict[str, tuple[str, ...]] = {}
    for key in URL_LISTS:
        value = entry.get(key) or []
        if not isinstance(value, list):
            raise _fail(where, key, "expected a list of URLs")
        lists[key] = tuple(_check_url(where, f"{key}[{i}]", u) for i, u in enumerate(value))
    pattern = entry.get("article_url_pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise _fail(where, "article_url_pattern", f"not a valid regex: {exc}") from None
    for key in ("founded", "max_age_days"):
        if entry.get(key) is not None and not isinstance(entry[key], int):
            raise _fail(where, key, "expected a whole number")
    for key in ("allow_private_network", "all_topics"):
        if not isinstance(entry.get(key, False), bool):
            raise _fail(where, key, "expected true or false")
    allow = entry.get("allow_private_network", False)
    domains = entry.get("domains") or []
    if not is_string_list(domains):
        raise _fail(where, "domains", "expected a list of host names")
    return Source(
        name=entry["name"],
        title=entry["title"],
        homepage=entry["homepage"],
        country=entry.get("country"),
        founded=entry.get("founded"),
        article_url_pattern=pattern,
        allow_private_network=allow,
        max_age_days=entry.get("max_age_days"),
        all_topics=entry.get("all_topics", False),
        domains=tuple(domains),
        notes=entry.get("notes"),
        **lists,
    )


def load_sources(path: str | Path | Traversable, names: list[str] | None = None) -> list[Source]:
    """Load, validate and optionally filter a sources file; raise SourcesError on any fault."""
    path = Path(path) if isinstance(path, str) else path
    data = read_yaml(SourcesError, path)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}: expected a top-level 'sources:' list")
    sources = [parse_source(entry, i) for i, entry in enumerate(data["sources"])]
    check_unique_names(SourcesError, "sources", (s.name for s in sources))
    if names:
        missing = [n for n in names if n not in {s.name for s in sources}]
        if missing:
            raise SourcesError(f"{path}: no source named {', '.join(missing)}")
        sources = [s for s in sources if s.name in names]
    return sources


def sources_from_settings(settings: Any) -> dict[str, Source]:
    """The crawl's sources by name: ARSHIF_SOURCES (a path) less those ARSHIF_SOURCE_NAMES omits.

    Empty ARSHIF_SOURCES means no sources are known ({}): the spider always sets a real path.
    """
    path = str(settings.get("ARSHIF_SOURCES") or "")
    if not path:
        return {}
    names = tuple(settings.getlist("ARSHIF_SOURCE_NAMES"))
    try:
        stamp = os.stat(path).st_mtime_ns  # an edited file is read again, not served stale
    except OSError:
        stamp = 0  # load_sources says what is wrong with it
    return {s.name: s for s in _load_cached(path, names, stamp)}


@lru_cache(maxsize=16)
def _load_cached(path: str, names: tuple[str, ...], stamp: int) -> tuple[Source, ...]:
    """One parse per file, filter and version, shared by every component of a crawl."""
    return tuple(load_sources(path, list(names) or None))
