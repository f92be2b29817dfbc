"""Article signals read from a page's markup: what kind of page it says it is, and its metadata."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import html

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "socialmediaposting", "report",
}
# What WordPress/Yoast and Drupal declare for pages, tag and category archives.
PAGE_TYPES = {
    "webpage", "aboutpage", "collectionpage", "contactpage", "profilepage", "searchresultspage",
    "itempage", "faqpage", "checkoutpage", "medicalwebpage", "qapage", "realestatelisting",
}
NOT_ARTICLE_PATH = re.compile(
    r"/(tag|tags|category|categories|author|authors|about|about-us|contact|contact-us|"
    r"privacy|privacy-policy|terms|search|page/\d+)(/|$)",
    re.I,
)


@dataclass
class PageSignals:
    """What the markup of a page tells about it."""

    og_type: str | None = None
    jsonld_types: set[str] = field(default_factory=set)
    has_published_meta: bool = False
    canonical: str | None = None
    lang: str | None = None
    title: str | None = None
    site_name: str | None = None
    description: str | None = None
    image: str | None = None
    author: str | None = None
    page_title: str | None = None  # <title>, else the first <h1>
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    jsonld: list[dict[str, Any]] = field(default_factory=list)


def _meta(tree: html.HtmlElement) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = el.get("content")
        if key and value and key not in out:
            out[key] = value.strip()
    return out


def _meta_all(tree: html.HtmlElement, key: str) -> list[str]:
    """Every content of a repeatable meta property (article:tag, article:section)."""
    return [
        el.get("content").strip() for el in tree.iter("meta")
        if (el.get("property") or el.get("name") or "").strip().lower() == key
        and (el.get("content") or "").strip()
    ]


def _strings(value: Any) -> list[str]:
    """JSON-LD keywords/articleSection: a list, or a comma-separated string."""
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [s.strip() for s in value.split(",") if s.strip()]
    return []


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object, flattening @graph and lists."""
    found = []
    if isinstance(node, list):
        for child in node:
            found.extend(_walk(child))
    elif isinstance(node, dict):
        found.append(node)
        found.extend(_walk(node.get("@graph", [])))
    return found


def jsonld_objects(tree: html.HtmlElement) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page; broken blocks are skipped."""
    objects = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            objects.extend(_walk(json.loads(script.text, strict=False)))
        except ValueError:
            continue
    return objects


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if v}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_signals(tree: html.HtmlElement, base_url: str) -> PageSignals:
    """Collect og/JSON-LD/meta/canonical signals from a parsed page."""
    meta = _meta(tree)
    sig = PageSignals(jsonld=jsonld_objects(tree))
    sig.og_type = (meta.get("og:type") or "").lower() or None
    for obj in sig.jsonld:
        sig.jsonld_types |= _types(obj)
    articles = [o for o in sig.jsonld if _types(o) & ARTICLE_TYPES]
    sig.has_published_meta = bool(
        meta.get("article:published_time") or any(o.get("datePublished") for o in articles)
    )
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            sig.canonical = urljoin(base_url, link.get("href").strip())
            break
    root = tree.getroottree().getroot()
    sig.lang = (root.get("lang") or root.get("xml:lang") or "").strip() or None
    first = articles[0] if articles else {}
    sig.title = _name(first.get("headline")) or meta.get("og:title") or meta.get("twitter:title")
    sig.site_name = meta.get("og:site_name") or _name(first.get("publisher"))
    sig.description = meta.get("og:description") or meta.get("description")
    image = meta.get("og:image") or _name(first.get("image"))
    if isinstance(first.get("image"), dict):
        image = image or first["image"].get("url")
    sig.image = urljoin(base_url, image) if image else None
    sig.author = _name(first.get("author")) or meta.get("author") or meta.get("article:author")
    title_el = next(tree.iter("title"), None)
    h1 = next(tree.iter("h1"), None)
    for el in (title_el, h1):
        text = " ".join(el.text_content().split()) if el is not None else ""
        if text:
            sig.page_title = text
            break
    sig.categories = list(dict.fromkeys(
        _meta_all(tree, "article:section") + _strings(first.get("articleSection"))
    ))
    sig.tags = list(dict.fromkeys(_meta_all(tree, "article:tag") + _strings(first.get("keywords"))))
    return sig


def article_verdict(sig: PageSignals, url: str, url_pattern: str | None) -> str | None:
    """None when the page says it is an article; else why it is not."""
    if url_pattern and re.search(url_pattern, url):
        return None
    if sig.jsonld_types & ARTICLE_TYPES:
        return None
    if sig.jsonld_types & PAGE_TYPES:
        # Yoast marks pages og:type=article; its JSON-LD says what they really are.
        return f"page type {sorted(sig.jsonld_types & PAGE_TYPES)[0]}"
    if NOT_ARTICLE_PATH.search(url.split("?", 1)[0]):
        return "listing or site page URL"
    if sig.og_type == "article" or sig.has_published_meta:
        return None
    return "no article signals"
