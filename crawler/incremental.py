"""Incremental crawling, spider side: known URLs, due seeds, date bounds, revisits, feed state.

The database is the memory: what is stored (articles, aliases, dropped_urls, feed_state) decides
what is requested, so a restarted or parallel process makes the same decisions.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from archive import known_urls as inc
from archive.lock import hold
from archive.schema import connect
from archive.store import now_iso
from archive.urls import canonical_url
from crawler.discovery import Entry
from pipelines import runstats
from pipelines.dates import parse_date
from pipelines.sources import Source

logger = logging.getLogger(__name__)

DISCOVERY = ("feed", "sitemap", "section", "homepage")
CONDITIONAL = ("feed", "sitemap")  # sections and home pages change on every visit anyway
# A date in a child sitemap's URL: sitemap-2024-05.xml, /2024/05/12/, ?yyyy=2024&mm=05&dd=12.
_URL_DATE = re.compile(
    r"(?<!\d)(20\d\d|19\d\d)[-_/]?(0[1-9]|1[0-2])(?:[-_/]?(0[1-9]|[12]\d|3[01]))?"
)
_URL_QDATE = re.compile(r"yyyy=(\d{4})&mm=(\d{1,2})(?:&dd=(\d{1,2}))?")


class NotModified(IgnoreRequest):
    """A discovery page answered 304 or with the same bytes, or an article revisit answered 304."""


def to_time(value: str | None) -> datetime | None:
    """A feed/sitemap/CLI date (ISO, RFC 822, Arabic…) as an aware datetime, or None."""
    parsed = parse_date(value) if value else None
    return parsed[0] if parsed else None


def url_date(url: str) -> datetime | None:
    """The date written in a (child sitemap) URL, if any."""
    m = _URL_QDATE.search(url) or _URL_DATE.search(url)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    try:
        return to_time(f"{year:04d}-{month:02d}-{day:02d}")
    except ValueError:
        return None


class Incremental:
    """Decisions the spider asks for; counters go to runstats, state to archive.known_urls."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db = connect(Path(settings.get("ARSHIF_DB")))
        self.force = settings.getbool("ARSHIF_FORCE")
        self.revisit_all = settings.getbool("ARSHIF_REVISIT")
        self.ages = inc.parse_ages(settings.get("ARSHIF_REVISIT_AGES", "1d,7d"))
        self.skip_known = settings.getbool("ARSHIF_SKIP_KNOWN", True)
        self.since = to_time(settings.get("ARSHIF_SINCE") or None)
        self.backfill = settings.getbool("ARSHIF_BACKFILL")
        self.until = to_time(settings.get("ARSHIF_UNTIL") or None)
        days = settings.getfloat("ARSHIF_RECHECK_DROPPED_DAYS", 30)
        self.dropped_since = (
            (datetime.now().astimezone() - timedelta(days=days)).isoformat(timespec="seconds")
            if days > 0 else None
        )
        self.lo = settings.getint("ARSHIF_FEED_MIN_INTERVAL", inc.MIN_INTERVAL)
        self.hi = settings.getint("ARSHIF_FEED_MAX_INTERVAL", inc.MAX_INTERVAL)
        self.states: dict[str, dict[str, Any]] = {}
        self.fetched: dict[str, dict[str, Any]] = {}  # this run's feed_state rows, saved at end
        # New article requests yielded, by feed URL and by "@source" (sections, sitemaps, home
        # pages share their source's count: their links are released together).
        self.found: dict[str, int] = {}
        self.old: set[str] = set()  # canonical URLs a feed/sitemap dated before the bound
        # `scrapy crawl`/scrapyd: take the run lock here (the CLI has taken it already).
        self.lock = hold(settings.get("ARSHIF_DB"))
        if self.lock is not None:
            inc.mark_interrupted(self.db)
        keyed = inc.backfill_url_keys(self.db)
        if keyed:
            logger.info("Keyed %d stored article URLs (url_key)", keyed)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @property
    def stats(self) -> Any:
        """The crawler's stats (set only once the crawl starts, after the spider is built)."""
        return self.crawler.stats

    # -- seeds --------------------------------------------------------------------------

    def load(self, sources: list[Source]) -> None:
        """Read the feed_state of every seed of these sources."""
        urls = [u for s in sources for u in (*s.feeds, *s.sitemaps, *s.sections, s.homepage)]
        self.states = inc.feed_states(self.db, urls)

    def due(self, url: str, source: Source) -> bool:
        """True when this seed should be fetched in this run (always with --force/--backfill)."""
        state = self.states.get(url) or inc.feed_states(self.db, [url]).get(url)
        if self.force or self.backfill or not state or not state.get("next_due"):
            return True
        if state["next_due"] <= now_iso():
            return True
        runstats.count(self.stats, source.name, "not_due")
        logger.info("Not due until %s: %s", state["next_due"], url)
        return False

    def revisits(self, source: Source) -> list[tuple[str, dict[str, Any]]]:
        """(url, meta) of stored articles due for a conditional re-fetch (ARSHIF_REVISIT_AGES).

        `--revisit` (ARSHIF_REVISIT) re-fetches everything unconditionally; the spider seeds
        those itself (archive.versions.revisit_targets), so nothing is added here then.
        """
        if self.revisit_all:
            return []
        out = []
        for row in inc.revisits(self.db, source.name, self.ages):
            validators = {k: row[k] for k in ("etag", "last_modified") if row.get(k)}
            out.append((row["url"], {"revisit": True, "validators": validators,
                                     "hints": {"via": "revisit"}}))
        if out:
            logger.info("%s: %d stored articles to revisit", source.name, len(out))
        return out

    # -- candidates ---------------------------------------------------------------------

    def allow(self, url: str, source: Source) -> bool:
        """False for a URL already stored, aliased or recently dropped (counted skipped_known)."""
        if url in self.old:
            return False  # dated too old by a feed/sitemap; a section link carries no date
        if not self.skip_known or self.revisit_all:
            return True
        if inc.known(self.db, url, self.dropped_since) is None:
            return True
        runstats.count(self.stats, source.name, "skipped_known")
        return False

    def bound(self, source: Source) -> datetime | None:
        """The oldest date still wanted: --since, --until (backfill), source max_age_days."""
        limits = [t for t in (self.since, self.until if self.backfill else None) if t]
        if source.max_age_days:
            limits.append(datetime.now().astimezone() - timedelta(days=source.max_age_days))
        return max(limits) if limits else None

    def too_old(self, entry: Entry, source: Source) -> bool:
        """True (counted skipped_old) for a feed/sitemap item dated before the bound."""
        limit = self.bound(source)
        when = to_time(entry.date or entry.lastmod) if limit else None
        if when is None or when >= limit:
            return False
        self.old.add(canonical_url(entry.url))
        runstats.count(self.stats, source.name, "skipped_old")
        return True

    def children(self, entries: list[Entry], source: Source) -> list[tuple[Entry, int]]:
        """Child sitemaps of an index, newest first, with a priority; older than the bound left out.

        A child's date is its lastmod or, failing that, a date in its URL; undated ones come first.
        """
        limit = self.bound(source)
        dated = []
        for entry in entries:
            when = to_time(entry.lastmod) or url_date(entry.url)
            if limit and when and when < limit:
                runstats.count(self.stats, source.name, "skipped_old")
                continue
            dated.append((when, entry))
        oldest = datetime.min.replace(tzinfo=datetime.now().astimezone().tzinfo)
        dated.sort(key=lambda pair: pair[0] or datetime.max.replace(tzinfo=oldest.tzinfo),
                   reverse=True)
        # Discovery requests run at priority 10; newer children go first among them.
        return [(entry, 10 + max(0, len(dated) - rank)) for rank, (_, entry) in enumerate(dated)]

    def priority(self, hints: dict[str, Any]) -> int:
        """Article request priority: newer items first (0 = undated or older than ~3 years)."""
        when = to_time(hints.get("feed_date") or hints.get("sitemap_date")
                       or hints.get("sitemap_lastmod"))
        if when is None:
            return 0
        age_days = (datetime.now().astimezone() - when).days
        return max(0, 1000 - max(0, age_days)) // 100

    # -- responses ----------------------------------------------------------------------

    def state(self, url: str) -> dict[str, Any]:
        """The stored feed_state row of a URL (empty when never fetched)."""
        return self.states.get(url) or inc.feed_states(self.db, [url]).get(url) or {}

    def fetched_discovery(self, request: Any, response: Any) -> bool:
        """Note a discovery response for feed_state; True when it is unchanged since last time."""
        url, meta = request.url, request.meta
        old = self.state(url)
        row = {
            "url": url, "source": meta.get("source"), "kind": meta.get("kind"),
            "etag": response.headers.get(b"ETag", b"").decode("latin-1") or old.get("etag"),
            "last_modified": response.headers.get(b"Last-Modified", b"").decode("latin-1")
            or old.get("last_modified"),
            "content_sha256": old.get("content_sha256"), "last_fetched": now_iso(),
            "last_status": response.status, "failures": 0,
            "interval_seconds": old.get("interval_seconds"),
        }
        unchanged = response.status == 304
        if response.status == 200:
            digest = hashlib.sha256(response.body).hexdigest()
            unchanged = meta.get("kind") in CONDITIONAL and digest == old.get("content_sha256")
            row["content_sha256"] = digest
        elif response.status >= 400:
            row["failures"] = int(old.get("failures") or 0) + 1
        self.fetched[url] = row
        return unchanged

    def failed_discovery(self, request: Any, why: str) -> None:
        """Note a discovery request that failed without a response."""
        old = self.state(request.url)
        self.fetched[request.url] = {
            "url": request.url, "source": request.meta.get("source"),
            "kind": request.meta.get("kind"), "last_fetched": now_iso(), "last_status": None,
            "failures": int(old.get("failures") or 0) + 1,
            "interval_seconds": old.get("interval_seconds"),
        }
        logger.info("Discovery failed (%s): %s", why, request.url)

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Save feed_state for a finished run only: a killed run re-reads its feeds next time."""
        if reason == "finished":
            now = datetime.now(UTC)  # next_due is compared with now_iso() (UTC) as text
            rows = []
            for url, row in self.fetched.items():
                key = url if row.get("kind") == "feed" else f"@{row.get('source')}"
                new = self.found.get(key, 0)
                ok = not row.get("failures")
                interval = inc.next_interval(row.get("interval_seconds"), new, self.lo, self.hi)
                # A failing URL is tried again at the next run, its interval unchanged.
                wait = interval if ok else 0
                rows.append(row | {
                    "interval_seconds": interval if ok else row.get("interval_seconds"),
                    "last_new_articles": new,
                    "next_due": (now + timedelta(seconds=wait)).isoformat(timespec="seconds"),
                })
            inc.save_feed_states(self.db, rows)
        self.db.close()
        if self.lock is not None:
            self.lock.release()
