"""Extract stage: raw bytes → decoded page → article or not → clean text and metadata."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

import trafilatura
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.store import content_hash
from archive.urls import canonical_url
from crawler.discovery import parse_html
from crawler.items import PageItem
from crawler.sources import Source, load_sources
from pipelines.dates import extract_published
from pipelines.encoding import decode_html
from pipelines.signals import article_verdict, read_signals

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»«·•]\s+|\s*\|\s*")
SEPARATOR_CHARS = " |-–—:»«·•"


def clean_title(title: str | None, site_names: list[str]) -> str | None:
    """Drop a site-name suffix or prefix ('Headline - شفق نيوز', 'دجلة | Headline')."""
    if not title:
        return None
    title = " ".join(title.split())
    names = {" ".join(n.split()).lower() for n in site_names if n and n.strip()}
    pieces = TITLE_SEPARATORS.split(title)
    if len(pieces) > 1 and pieces[-1].strip().lower() in names:
        return title[: title.rfind(pieces[-1])].rstrip(SEPARATOR_CHARS) or title
    if len(pieces) > 1 and pieces[0].strip().lower() in names:
        return title[len(pieces[0]):].lstrip(SEPARATOR_CHARS) or title
    return title


def looks_like_html(body: bytes) -> bool:
    """True when the first bytes look like markup, not a PDF, image or other binary."""
    head = body[:1024].lstrip().lower()
    if head.startswith((b"%pdf", b"\x89png", b"\xff\xd8", b"gif8", b"pk\x03\x04")):
        return False
    return b"<" in head and b"\x00" not in head[:512]


class ExtractPipeline:
    """Decide whether a page is an article and extract its text and metadata with trafilatura."""

    def __init__(self, sources: dict[str, Source], min_words: int) -> None:
        self.sources = sources
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        """Read ARSHIF_MIN_WORDS and the sources (for URL patterns and founding years)."""
        settings = crawler.settings
        spider_sources = getattr(crawler.spider, "sources_by_name", None)
        sources = spider_sources or {
            s.name: s for s in load_sources(settings.get("ARSHIF_SOURCES") or None)
        }
        return cls(sources, settings.getint("ARSHIF_MIN_WORDS", 40))

    def process_item(self, item: PageItem) -> PageItem:
        """Fill the article fields or raise DropItem('not_article: …')."""
        source = self.sources.get(item["source"])
        extract_article(item, source, self.min_words)
        return item


def extract_article(item: PageItem | dict[str, Any], source: Source | None, min_words: int) -> None:
    """The extract stage on one page item (also used by re-extraction and benchmarks)."""
    ctype = (item.get("content_type") or "").split(";")[0].strip().lower()
    body: bytes = item.get("body") or b""
    if ctype not in HTML_TYPES or not looks_like_html(body):
        raise DropItem(f"not_article: not an HTML page ({ctype or 'no content type'})")
    decoded = decode_html(body, item.get("content_type"))
    tree = parse_html(decoded.text)
    if tree is None:
        raise DropItem("not_article: unparseable HTML")
    url = item.get("final_url") or item["url"]
    sig = read_signals(tree, url)
    why = article_verdict(sig, url, source.article_url_pattern if source else None)
    if why:
        raise DropItem(f"not_article: {why}")
    doc = trafilatura.bare_extraction(
        decoded.text, url=url, with_metadata=True, include_comments=False,
        include_tables=True, include_images=False, include_links=False, deduplicate=True,
    )
    text = (getattr(doc, "text", None) or "").strip()
    words = len(text.split())
    if words < min_words:
        raise DropItem(f"not_article: body too short ({words} words)")

    canon = canonical_url(sig.canonical) if sig.canonical else None
    if not canon or (source and not source.owns(canon)):
        canon = canonical_url(url)
    site_names = [sig.site_name or "", getattr(doc, "sitename", None) or ""]
    if source:
        site_names.append(source.title)
    hints = item.get("hints") or {}
    title = clean_title(
        sig.title or getattr(doc, "title", None) or hints.get("feed_title")
        or hints.get("sitemap_title"),
        site_names,
    )
    earliest = date(source.founded, 1, 1) if source and source.founded else None
    published = extract_published(tree, text, hints, earliest=earliest)

    item["url"] = canon
    item["title"] = title
    item["author"] = sig.author or getattr(doc, "author", None)
    item["published"] = published.iso if published else None
    item["date_source"] = published.source if published else None
    item["date_tz"] = published.tz_given if published else None
    item["description"] = sig.description or getattr(doc, "description", None)
    item["site_name"] = sig.site_name or getattr(doc, "sitename", None)
    item["categories"] = list(getattr(doc, "categories", None) or [])
    item["tags"] = list(getattr(doc, "tags", None) or [])
    item["image"] = sig.image or getattr(doc, "image", None)
    item["text"] = text
    item["word_count"] = words
    item["content_sha256"] = content_hash(text)
    item["encoding"] = decoded.encoding
    item["encoding_source"] = decoded.how
    item["html_lang"] = sig.lang
