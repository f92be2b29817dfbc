"""Extract stage: raw bytes → decoded page → article or not → clean text and metadata."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from typing import Any

import trafilatura
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from trafilatura.utils import load_html

from archive.store import content_hash
from archive.urls import canonical_url
from crawler.discovery import parse_html
from crawler.items import PageItem
from crawler.sources import Source, load_sources
from pipelines.dates import extract_published
from pipelines.encoding import decode_html
from pipelines.lifeline import die_with_parent
from pipelines.signals import article_verdict, read_signals

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»«·•]\s+|\s*\|\s*")
SEPARATOR_CHARS = " |-–—:»«·•"
# Real headlines are under 300 characters; a longer <title> is a broken or hostile page, and an
# unbounded one would bloat the row, the search index and every listing that shows it.
TITLE_MAX_CHARS = 1000


def clean_title(title: str | None, site_names: list[str]) -> str | None:
    """Drop a site-name suffix or prefix ('Headline - شفق نيوز', 'دجلة | Headline')."""
    if not title:
        return None
    # JSON-LD headlines are often written HTML-escaped ("&lt;", "&#8217;"); <title> and og:title
    # reach us already unescaped by the HTML parser, so one more unescape is harmless for them.
    title = " ".join(html.unescape(title).split())
    names = {" ".join(n.split()).lower() for n in site_names if n and n.strip()}
    pieces = TITLE_SEPARATORS.split(title)
    if len(pieces) > 1 and pieces[-1].strip().lower() in names:
        return title[: title.rfind(pieces[-1])].rstrip(SEPARATOR_CHARS) or title
    if len(pieces) > 1 and pieces[0].strip().lower() in names:
        return title[len(pieces[0]):].lstrip(SEPARATOR_CHARS) or title
    return title


def cap_title(title: str | None, limit: int = TITLE_MAX_CHARS) -> str | None:
    """Cut a title longer than limit at a word boundary, marking the cut with '…'."""
    if not title or len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(SEPARATOR_CHARS) + "…"


def looks_like_html(body: bytes) -> bool:
    """True when the first bytes look like markup, not a PDF, image or other binary."""
    head = body[:1024].lstrip().lower()
    if head.startswith((b"%pdf", b"\x89png", b"\xff\xd8", b"gif8", b"pk\x03\x04")):
        return False
    return b"<" in head and b"\x00" not in head[:512]


def default_workers() -> int:
    """Extraction processes when ARSHIF_WORKERS is -1: one per core but one, at least one.

    The crawl's main process (Scrapy, WARC capture, SQLite) keeps a core busy itself: on two
    cores, two workers beside it ran the bench crawl 12% slower than one (17 against 20 ms of
    worker CPU per page: oversubscribed cores, each worker's start-up and cold caches twice).
    """
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


class ExtractPipeline:
    """Decide whether a page is an article and extract its text and metadata with trafilatura.

    The work runs in a process pool (pipelines/analysis.py) so the reactor keeps downloading.
    """

    def __init__(self, sources: dict[str, Source], min_words: int, workers: int = 0,
                 language_sample: int = 1000, topics_path: str | None = None) -> None:
        self.sources = sources
        self.min_words = min_words
        self.workers = workers
        self.language_sample = language_sample
        self.topics_path = topics_path
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        """Read ARSHIF_MIN_WORDS, ARSHIF_WORKERS and the sources (URL patterns, founding years)."""
        settings = crawler.settings
        spider_sources = getattr(crawler.spider, "sources_by_name", None)
        sources = spider_sources or {
            s.name: s for s in load_sources(settings.get("ARSHIF_SOURCES") or None)
        }
        workers = settings.getint("ARSHIF_WORKERS", -1)
        if workers < 0:
            workers = default_workers()
        enabled = crawler.settings.getdict("ITEM_PIPELINES")
        topics = "pipelines.topics.TopicPipeline" in enabled
        return cls(sources, settings.getint("ARSHIF_MIN_WORDS", 40), workers,
                   settings.getint("ARSHIF_LANGUAGE_SAMPLE", 1000),
                   (settings.get("ARSHIF_TOPICS") or "") if topics else None)

    def open_spider(self) -> None:
        """Start the worker processes (spawned: forking a running reactor is unsafe)."""
        if self.workers > 0:
            # Workers end with this process even if it is SIGKILLed (pipelines/lifeline.py).
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                            initializer=die_with_parent,
                                            initargs=(os.getpid(),))

    def close_spider(self) -> None:
        """Stop the workers."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item: PageItem) -> PageItem:
        """Fill the article fields or raise DropItem('not_article: …')."""
        from pipelines.analysis import analyse

        args = (dict(item), self.sources.get(item["source"]), self.min_words,
                self.language_sample, self.topics_path)
        if self.pool is None:
            result = analyse(*args)
        else:
            result = await asyncio.wrap_future(self.pool.submit(analyse, *args))
        if "drop" in result:
            raise DropItem(result["drop"])
        for key, value in result.items():
            item[key] = value
        item.pop("body", None)  # the raw bytes are not needed past this stage
        return item


def extract_article(item: PageItem | dict[str, Any], source: Source | None, min_words: int) -> None:
    """The extract stage on one page item (also used by re-extraction and benchmarks)."""
    ctype = (item.get("content_type") or "").split(";")[0].strip().lower()
    body: bytes = item.get("body") or b""
    if ctype not in HTML_TYPES or not looks_like_html(body):
        raise DropItem(f"not_article: not an HTML page ({ctype or 'no content type'})")
    decoded = decode_html(body, item.get("content_type"))
    # One parse for everything: trafilatura's own loader (its parser and HTML repairs), read by
    # our signals and dates below, then given to trafilatura, which extracts from a copy.
    # Parsing the page a second time cost ~1.5 ms of the ~13 ms a page takes here.
    tree = load_html(decoded.text)
    if tree is None:
        tree = parse_html(decoded.text)
    if tree is None:
        raise DropItem("not_article: unparseable HTML")
    url = item.get("final_url") or item["url"]
    sig = read_signals(tree, url)
    why = article_verdict(sig, url, source.article_url_pattern if source else None)
    if why:
        raise DropItem(f"not_article: {why}")
    # Metadata comes from our own signals and dates module: trafilatura's would parse the page
    # again and run htmldate a second time. fast=True skips the readability/justext
    # comparison, which costs a third of the time and changes nothing on article pages.
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, fast=True,
        include_tables=True, include_images=False, include_links=False,
    )
    text = (getattr(doc, "text", None) or "").strip()
    words = len(text.split())
    if words < min_words:
        raise DropItem(f"not_article: body too short ({words} words)")

    canon = canonical_url(sig.canonical) if sig.canonical else None
    if not canon or (source and not source.owns(canon)):
        canon = canonical_url(url)
    site_names = [sig.site_name or ""]
    if source:
        site_names.append(source.title)
    hints = item.get("hints") or {}
    title = clean_title(
        sig.title or sig.page_title or hints.get("feed_title") or hints.get("sitemap_title"),
        site_names,
    )
    earliest = date(source.founded, 1, 1) if source and source.founded else None
    published = extract_published(tree, text, hints, earliest=earliest)

    item["url"] = canon
    item["title"] = cap_title(title)
    item["author"] = sig.author
    item["published"] = published.iso if published else None
    item["date_source"] = published.source if published else None
    item["date_tz"] = published.tz_given if published else None
    item["description"] = sig.description
    item["site_name"] = sig.site_name
    item["categories"] = sig.categories
    item["tags"] = sig.tags
    item["image"] = sig.image
    item["text"] = text
    item["word_count"] = words
    item["content_sha256"] = content_hash(text)
    item["encoding"] = decoded.encoding
    item["encoding_source"] = decoded.how
    item["html_lang"] = sig.lang
