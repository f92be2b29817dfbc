"""Parse feeds, sitemaps and listing pages into candidate article URLs, safely."""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree, html
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from pipelines.html import parse_html

__all__ = ["parse_html"]  # re-exported: the spider reads pages with the pipelines' parser

# Never expand entities, read DTDs or touch the network: feeds come from strangers.
_PARSER_KW = dict(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)

SKIP_EXTENSIONS = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|ico|mp3|mp4|m4a|avi|mov|zip|rar|gz|css|js|json|doc|docx|xls|xlsx)$",
    re.I,
)


# A gzipped sitemap is decompressed up to the crawler's page limit (DOWNLOAD_MAXSIZE): a 40 KB
# gzip bomb would otherwise expand to gigabytes in memory.
MAX_DECOMPRESSED = 16 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class FeedError(ValueError):
    """A feed or sitemap that could not be read."""


def gunzip_bounded(body: bytes, max_size: int = MAX_DECOMPRESSED) -> bytes:
    """The decompressed bytes of a gzip body; FeedError when broken or larger than max_size."""
    try:
        # Scrapy's gunzip stops at max_size, and keeps what it read of a truncated stream.
        return gunzip(body, max_size=max_size)
    except (OSError, EOFError, zlib.error, struct.error) as exc:
        raise FeedError(f"broken gzip: {exc}") from None
    except ValueError:  # scrapy.utils._compression._DecompressionMaxSizeExceeded
        raise FeedError(f"gzip expands beyond {max_size} bytes") from None


def sitemap_body(body: bytes, max_size: int = MAX_DECOMPRESSED) -> bytes:
    """A sitemap's XML: a .xml.gz (served as application/x-gzip, not decoded on the wire) is
    decompressed; Content-Encoding: gzip was already undone by the HTTP client."""
    return gunzip_bounded(body, max_size) if body[:2] == GZIP_MAGIC else body


def robots_sitemaps(body: bytes, base: str, limit: int = 5000) -> list[str]:
    """The distinct http(s) URLs of the `Sitemap:` lines of a robots.txt."""
    urls = (u for u in sitemap_urls_from_robots(body, base_url=base)
            if u.startswith(("http://", "https://")))
    out: dict[str, None] = {}
    for url in urls:
        out.setdefault(url)
        if len(out) >= limit:
            break
    return list(out)


@dataclass(frozen=True)
class Entry:
    """One candidate article found in a feed or sitemap."""

    url: str
    title: str | None = None
    date: str | None = None  # feed pubDate/published, or news:publication_date
    lastmod: str | None = None  # plain sitemap lastmod (a weak date)
    news: bool = False  # came from a Google News sitemap


def _root(body: bytes) -> etree._Element:
    body = body.lstrip()
    if not body:
        raise FeedError("empty document")
    try:
        root = etree.fromstring(body, etree.XMLParser(**_PARSER_KW))
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"invalid XML: {exc}") from None
    if root is None:
        raise FeedError("no root element")
    return root


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(el: etree._Element, *names: str) -> str | None:
    """Text of the first child named names[0], else names[1], … (names in order of preference)."""
    found = {}
    for child in el:
        name = _local(child)
        if name in names and name not in found and child.text and child.text.strip():
            found[name] = child.text.strip()
    return next((found[n] for n in names if n in found), None)


def parse_feed(body: bytes, base: str, limit: int = 5000) -> list[Entry]:
    """Entries of an RSS 2.0, RSS 1.0 or Atom feed."""
    root = _root(body)
    kind = _local(root)
    if kind not in ("rss", "RDF", "feed"):
        raise FeedError(f"not a feed: root element <{kind}>")
    entries: list[Entry] = []
    for el in root.iter():
        name = _local(el)
        if name not in ("item", "entry"):
            continue
        link = None
        if name == "entry":
            for child in el:
                if _local(child) == "link" and child.get("rel", "alternate") == "alternate":
                    link = child.get("href")
                    break
        else:
            link = _child_text(el, "link")
            guid = next((c for c in el if _local(c) == "guid"), None)
            if not link and guid is not None and guid.get("isPermaLink", "true") == "true":
                link = (guid.text or "").strip() or None
        if not link:
            continue
        date = _child_text(el, "pubDate", "published", "date", "issued", "updated", "modified")
        entries.append(Entry(urljoin(base, link.strip()), _child_text(el, "title"), date))
        if len(entries) >= limit:
            break
    return entries


# The prolog before a document's root element: XML declaration, processing instructions,
# comments, a doctype, whitespace (a BOM is stripped first).
_PROLOG_RE = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S | re.I)
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _root_name(body: bytes) -> str | None:
    """The local name of the root element, read from the text (None: not found)."""
    head = body[:4096].removeprefix(b"\xef\xbb\xbf")
    prolog = _PROLOG_RE.match(head)
    match = _ROOT_RE.match(head, prolog.end() if prolog else 0)
    return match.group(1).decode("ascii", "replace").rpartition(":")[2] if match else None


def parse_sitemap(body: bytes, base: str, limit: int = 5000,
                  max_size: int = MAX_DECOMPRESSED) -> tuple[str, list[Entry]]:
    """('index', child sitemaps) or ('urlset', pages) of a (gzipped) sitemap or news sitemap."""
    body = sitemap_body(body, max_size).lstrip()
    if not body:
        raise FeedError("empty document")
    # Named before parsing: an HTML page's first syntax error may come out of lxml before the
    # event of its root element does, and the message should say what the document is.
    root = _root_name(body)
    if root is not None and root not in ("sitemapindex", "urlset"):
        raise FeedError(f"not a sitemap: root element <{root}>")
    # Streamed: a 100,000-URL sitemap is read only up to `limit` entries, and each <url> is
    # freed once read, instead of building the whole tree (tens of MB, seconds of CPU).
    kind: str | None = None
    depth = 0
    entries: list[Entry] = []
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), **_PARSER_KW)
    try:
        for event, el in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    kind = _local(el)
                    if kind not in ("sitemapindex", "urlset"):
                        raise FeedError(f"not a sitemap: root element <{kind}>")
                continue
            depth -= 1
            if depth != 1:
                continue
            entry = _sitemap_entry(el, base)
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
            if entry is not None:
                entries.append(entry)
                if len(entries) >= limit:
                    break
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"invalid XML: {exc}") from None
    if kind is None:
        raise FeedError("no root element")
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def _sitemap_entry(el: etree._Element, base: str) -> Entry | None:
    """The Entry of one <url> or <sitemap> element, or None for anything else."""
    if _local(el) not in ("sitemap", "url"):
        return None
    loc = _child_text(el, "loc")
    if not loc:
        return None
    news = next((c for c in el if _local(c) == "news"), None)
    title = date = None
    if news is not None:
        date = _child_text(news, "publication_date")
        title = _child_text(news, "title")
    return Entry(urljoin(base, loc), title, date, _child_text(el, "lastmod"), news is not None)


def feed_links(tree: html.HtmlElement, base: str) -> list[str]:
    """Feeds a homepage advertises with <link rel=alternate type=rss/atom>."""
    out = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        typ = (link.get("type") or "").lower()
        if "alternate" in rel and typ in ("application/rss+xml", "application/atom+xml") and (
            link.get("href")
        ):
            out.append(urljoin(base, link.get("href")))
    return list(dict.fromkeys(out))


def page_links(tree: html.HtmlElement, base: str, limit: int = 300) -> list[str]:
    """Distinct http(s) links of a listing page, resolved, without binary files."""
    out: dict[str, None] = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        if not url.startswith(("http://", "https://")):
            continue
        if SKIP_EXTENSIONS.search(url.split("?", 1)[0]):
            continue
        out.setdefault(url)
        if len(out) >= limit:
            break
    return list(out)
