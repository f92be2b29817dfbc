"""The news spider: discovers articles from feeds, sitemaps and section pages, and fetches them."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.urls import canonical_url
from archive.versions import revisit_targets
from crawler.discovery import (
    Entry,
    FeedError,
    feed_links,
    page_links,
    parse_feed,
    parse_html,
    parse_sitemap,
    robots_sitemaps,
)
from crawler.incremental import Incremental, NotModified
from crawler.middlewares import ForbiddenAddress, OffsiteRedirect
from crawler.run_record import new_run_id
from crawler.sources import Source, default_sources_path, load_sources
from pipelines import runstats
from pipelines.gone import page_gone
from pipelines.items import PageItem
from pipelines.sources import sources_from_settings

logger = logging.getLogger(__name__)


class NewsSpider(scrapy.Spider):
    """Crawl the outlets of sources.yaml (or `-a source=NAME[,NAME]`, `-a sources=FILE`)."""

    name = "news"

    def __init__(self, source: str | None = None, sources: str | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self._arg_names = [n for n in (source or "").split(",") if n]
        self._arg_file = sources
        self.sources_by_name: dict[str, Source] = {}
        self.seen: set[str] = set()
        # Section links wait until the source's feeds and sitemaps are read, so an article
        # found in both carries the feed's or news sitemap's date and title whatever the timing.
        self.pending: dict[str, int] = defaultdict(int)
        self.held: dict[str, list[tuple[str, str]]] = defaultdict(list)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        """Load and validate the sources before anything is scheduled."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        # The one place the crawl's sources and run id are decided: settings are not frozen yet,
        # and every component reads them from there (pipelines/sources.py, crawler/run_record.py).
        path, names = cls.resolve_arguments(settings, spider._arg_names, spider._arg_file)
        settings.set("ARSHIF_SOURCES", path, priority="cmdline")
        settings.set("ARSHIF_SOURCE_NAMES", names, priority="cmdline")
        settings.set("ARSHIF_RUN_ID", cls.run_id(settings), priority="cmdline")
        spider.sources_by_name = sources_from_settings(settings)
        spider.max_links = settings.getint("ARSHIF_MAX_LINKS_PER_SECTION", 300)
        spider.max_items = settings.getint("ARSHIF_MAX_FEED_ITEMS", 5000)
        spider.max_depth = settings.getint("ARSHIF_MAX_SITEMAP_DEPTH", 3)
        spider.max_size = settings.getint("DOWNLOAD_MAXSIZE", 16 * 1024 * 1024)
        # Known URLs, due seeds, date bounds and scheduled revisits (crawler/incremental.py).
        spider.incremental = Incremental(crawler)
        spider.incremental.load(list(spider.sources_by_name.values()))
        return spider

    @staticmethod
    def resolve_arguments(
        settings: BaseSettings, source: str | list[str] | None = None, sources: str | None = None,
    ) -> tuple[str, list[str]]:
        """The sources file (a real path) and names that the arguments or settings give."""
        names = source.split(",") if isinstance(source, str) else source
        names = [n for n in names or () if n] or settings.getlist("ARSHIF_SOURCE_NAMES")
        return str(sources or settings.get("ARSHIF_SOURCES") or default_sources_path()), names

    @classmethod
    def check_arguments(
        cls, settings: BaseSettings, source: str | list[str] | None = None,
        sources: str | None = None, **_: Any,
    ) -> list[Source]:
        """The sources the arguments name; raise SourcesError (`scrapy crawl` checks up front)."""
        path, names = cls.resolve_arguments(settings, source, sources)
        return load_sources(path, names or None)

    @classmethod
    def run_id(cls, settings: BaseSettings) -> str:
        """This crawl's run id: ARSHIF_RUN_ID if given, else a new one (crawl_runs, WARC names)."""
        return settings.get("ARSHIF_RUN_ID") or new_run_id()

    # -- scheduling ---------------------------------------------------------------------

    def _request(self, url: str, source: Source, kind: str, **meta: Any) -> scrapy.Request:
        callback = {
            "feed": self.parse_feed,
            "sitemap": self.parse_sitemap,
            "robots": self.parse_robots,
            "section": self.parse_section,
            "homepage": self.parse_homepage,
            "article": self.parse_article,
        }[kind]
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"source": source.name, "kind": kind, **meta},
            # Discovery pages are re-read on every run; articles are de-duplicated by us.
            dont_filter=kind != "article",
            priority={"article": 0, "section": 5}.get(kind, 10),
        )

    def _discovery(self, url: str, source: Source, kind: str, **meta: Any) -> scrapy.Request:
        """A feed/sitemap/homepage request; held section links wait for it."""
        self.pending[source.name] += 1
        return self._request(url, source, kind, **meta)

    def _settle(self, source: Source) -> Iterator[scrapy.Request]:
        """One discovery request is done; release held section links when none is left."""
        self.pending[source.name] -= 1
        if self.pending[source.name] <= 0:
            held, self.held[source.name] = self.held[source.name], []
            yield from self._links(held, source)

    def _links(self, links: list[tuple[str, str]], source: Source) -> Iterator[scrapy.Request]:
        """Request (url, via) links from listing pages now, or hold them for later."""
        if self.pending[source.name] > 0:
            self.held[source.name].extend(links)
            return
        for url, via in links:
            req = self._candidate(url, source, {"via": via})
            if req is not None:
                yield req

    def _candidate(
        self, url: str, source: Source, hints: dict[str, Any]
    ) -> scrapy.Request | None:
        """A request for a possible article, once per canonical URL per crawl."""
        canon = canonical_url(url)
        if canon in self.seen or not source.owns(canon):
            return None
        self.seen.add(canon)
        if not self.incremental.allow(canon, source):
            return None  # stored, an alias or dropped before: counted as skipped_known
        req = self._request(canon, source, "article", hints=hints, requested_url=url)
        req.priority = self.incremental.priority(hints)  # newest items first
        return req

    def mark_seeds(self, source: Source) -> None:
        """Mark a source's discovery pages seen: they are never article candidates."""
        for url in (*source.feeds, *source.sitemaps, *source.sections, source.homepage,
                    *source.robots_txts):
            self.seen.add(canonical_url(url))

    def seed_requests(self, source: Source, due: bool = False) -> Iterator[scrapy.Request]:
        """A source's discovery requests: feeds, sitemaps, robots.txt, homepage, sections.

        The homepage is read when the source lists no feeds (as a section when it lists no
        sitemaps or sections either). With `due`, only the seeds due in this run
        (crawler/incremental.py; always with --force); `arshif enqueue` takes them all.
        """
        def is_due(url: str) -> bool:
            return not due or self.incremental.due(url, source)

        for url in source.feeds:
            if is_due(url):
                yield self._request(url, source, "feed")
        for url in source.sitemap_files:
            if is_due(url):
                yield self._request(url, source, "sitemap", depth=0)
        yield from self.robots_requests(source, due=due)
        if not source.feeds and is_due(source.homepage):
            as_section = not (source.sitemaps or source.sections)
            yield self._request(source.homepage, source, "homepage", as_section=as_section)
        for url in source.sections:
            if is_due(url):
                yield self._request(url, source, "section")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Seed every source's feeds, sitemaps and sections (homepage when it lists no feeds)."""
        for source in self.sources_by_name.values():
            self.mark_seeds(source)
            for req in self.seed_requests(source, due=True):
                if req.meta["kind"] != "section":
                    self.pending[source.name] += 1  # held section links wait for these
                yield req
            # Scheduled revisits (ARSHIF_REVISIT_AGES), sent as conditional GETs.
            for url, meta in self.incremental.revisits(source):
                if canonical_url(url) not in self.seen:
                    self.seen.add(canonical_url(url))
                    yield self._request(url, source, "article", requested_url=url, **meta)
        if self.settings.getbool("ARSHIF_REVISIT"):
            # --revisit: stored articles are fetched again (edits → versions, 404/410 → gone).
            for source in self.sources_by_name.values():
                for url, hints in revisit_targets(self.settings.get("ARSHIF_DB"), source.name):
                    if (req := self._candidate(url, source, hints)) is not None:
                        req.meta["revisit"] = True  # known-URL skips must let these through
                        yield req

    def robots_requests(self, source: Source, due: bool = False) -> list[scrapy.Request]:
        """Requests for the robots.txt files whose Sitemap: lines the source reads.

        Answered from the copy ROBOTSTXT_OBEY fetched (crawler/robots.py). With `due`, only
        those due in this run: robots.txt has no feed_state of its own, so the homepage's
        robots.txt is read when the homepage is due.
        """
        reqs = []
        for url in source.robots_txts:
            seed = url if url in source.sitemaps else source.homepage
            if not due or self.incremental.due(seed, source):
                reqs.append(self._request(url, source, "robots", handle_httpstatus_all=True,
                                          dont_retry=True))
        return reqs

    # -- discovery ----------------------------------------------------------------------

    def _source(self, response: Response) -> Source:
        source = self.sources_by_name[response.meta["source"]]
        runstats.count(self.crawler.stats, source.name, "pages")
        return source

    def _bad(self, source: Source, response: Response, exc: Exception) -> None:
        logger.warning("Bad %s %s: %s", response.meta.get("kind"), response.url, exc)
        runstats.drop(self.crawler.stats, source.name, "bad_feed", f"{response.url}: {exc}")

    def _from_entries(
        self, entries: list[Entry], source: Source, via: str
    ) -> Iterator[scrapy.Request]:
        for entry in entries:
            if self.incremental.too_old(entry, source):
                continue  # older than --since/--until/max_age_days: counted as skipped_old
            hints: dict[str, Any] = {"via": via}
            if via == "feed":
                hints.update(feed_title=entry.title, feed_date=entry.date)
            else:
                hints.update(
                    sitemap_title=entry.title, sitemap_date=entry.date,
                    sitemap_lastmod=entry.lastmod,
                )
            req = self._candidate(entry.url, source, {k: v for k, v in hints.items() if v})
            if req is not None:
                yield req

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Request every item of an RSS/Atom feed, carrying its title and date."""
        source = self._source(response)
        try:
            entries = parse_feed(response.body, response.url, self.max_items)
            logger.info("Feed %s: %d entries", response.url, len(entries))
        except FeedError as exc:
            self._bad(source, response, exc)
            entries = []
        yield from self._from_entries(entries, source, "feed")
        yield from self._settle(source)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Read the `Sitemap:` lines of a robots.txt as sitemaps of the source's own site."""
        source = self.sources_by_name[response.meta["source"]]
        urls = robots_sitemaps(response.body, response.url) if response.status == 200 else []
        logger.info("robots.txt %s (%s): %d sitemaps", response.url, response.status, len(urls))
        for url in urls:
            canon = canonical_url(url)
            if canon in self.seen:
                continue
            if not source.owns(url):
                # Like the children of a sitemap index: another site's sitemaps are not read.
                logger.info("Sitemap on another site skipped: %s", url)
                continue
            self.seen.add(canon)
            if self.incremental.due(url, source):
                yield self._discovery(url, source, "sitemap", depth=0)
        yield from self._settle(source)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow a sitemap index, or request every page of a (news, gzipped) sitemap."""
        source = self._source(response)
        try:
            kind, entries = parse_sitemap(
                response.body, response.url, self.max_items, self.max_size)
        except FeedError as exc:
            self._bad(source, response, exc)
            kind, entries = "urlset", []
        depth = response.meta.get("depth", 0) + 1
        if kind == "index" and depth > self.max_depth:
            self._bad(source, response, FeedError(f"sitemap index nested deeper than {depth}"))
        elif kind == "index":
            # Newest child first; children older than --since/--until are not fetched.
            for entry, priority in self.incremental.children(entries, source):
                canon = canonical_url(entry.url)
                # A sitemap index that lists itself (or a sibling twice) is read once.
                if canon not in self.seen and source.owns(entry.url):
                    self.seen.add(canon)
                    req = self._discovery(entry.url, source, "sitemap", depth=depth)
                    req.priority = priority
                    yield req
        else:
            via = "news_sitemap" if any(e.news for e in entries) else "sitemap"
            yield from self._from_entries(entries, source, via)
        yield from self._settle(source)

    def parse_section(self, response: Response) -> Iterator[scrapy.Request]:
        """Request every same-site link of a listing page."""
        source = self._source(response)
        tree = parse_html(response.body) if response.body.strip() else None
        if tree is None:
            self._bad(source, response, FeedError("empty or unparseable listing page"))
            return
        links = page_links(tree, response.url, self.max_links)
        yield from self._links([(url, "section") for url in links], source)

    def parse_homepage(self, response: Response) -> Iterator[scrapy.Request]:
        """Discover feeds a homepage advertises; use it as a section when nothing else is listed."""
        source = self._source(response)
        tree = parse_html(response.body) if response.body.strip() else None
        if tree is None:
            self._bad(source, response, FeedError("empty or unparseable homepage"))
        else:
            for url in feed_links(tree, response.url):
                if canonical_url(url) not in self.seen:
                    self.seen.add(canonical_url(url))
                    yield self._discovery(url, source, "feed")
            if response.meta.get("as_section"):
                links = page_links(tree, response.url, self.max_links)
                self.held[source.name].extend((url, "homepage") for url in links)
        yield from self._settle(source)

    # -- articles -----------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[PageItem]:
        """Hand the raw page to the pipelines; they decide whether it is an article."""
        source = self._source(response)
        yield PageItem(
            source=source.name,
            url=canonical_url(response.url),
            requested_url=response.meta.get("requested_url", response.request.url),
            final_url=response.url,
            status=response.status,
            content_type=response.headers.get(b"Content-Type", b"").decode("latin-1"),
            body=response.body,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            hints=dict(response.meta.get("hints") or {}),
        )

    def on_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        """Count and log a request that produced no usable response."""
        request = failure.request
        name = request.meta.get("source", "?")
        kind = request.meta.get("kind", "?")
        if failure.check(NotModified):
            reason, detail = "", None  # a 304 or unchanged feed, counted by incremental_mw
        elif failure.check(HttpError):
            status = failure.value.response.status
            reason, detail = "http_error", f"HTTP {status}"
            runstats.count(self.crawler.stats, name, "pages")
            if kind == "article" and status in (404, 410):
                urls = [request.url, *request.meta.get("redirect_urls", [])]
                self.crawler.signals.send_catch_log(
                    page_gone, urls=sorted({canonical_url(u) for u in urls}), status=status)
        elif failure.check(ForbiddenAddress):
            reason, detail = "forbidden_address", str(failure.value).partition(": ")[2]
        elif failure.check(OffsiteRedirect):
            reason, detail = "offsite_redirect", str(failure.value).partition(": ")[2]
        elif self.crawler.stats.get_value(runstats.DISK_FULL):
            reason, detail = "", None  # the crawl is stopping: the one disk-full line says why
        elif "robots.txt" in str(failure.value):
            reason, detail = "robots_txt", None
        else:
            reason, detail = "error", f"{failure.type.__name__}: {failure.value}"
        if reason:
            logger.warning("Dropped %s %s: %s (%s)", kind, request.url, reason, detail or "")
            runstats.drop(self.crawler.stats, name, reason, detail)
        if kind in ("feed", "sitemap", "homepage", "robots") and name in self.sources_by_name:
            yield from self._settle(self.sources_by_name[name])
