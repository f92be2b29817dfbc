"""Date candidates from the page markup: JSON-LD, <meta>/microdata, htmldate and bylines.

Sidebars, menus and footers carry *other* articles' dates, so htmldate and the byline scan
only see a copy of the page without them.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime

from pipelines.dates.parse import CLOCK_SKEW, parse_date

_ARTICLE_TYPE = re.compile(r"(Article|Posting|Report)$")
_RE_LD_FALLBACK = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _ld_dates(node, out: list[str]) -> None:
    """Collect datePublished of article-like JSON-LD objects, depth first (@graph, lists, …)."""
    if isinstance(node, list):
        for item in node:
            _ld_dates(item, out)
    elif isinstance(node, dict):
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and _ARTICLE_TYPE.search(t) for t in types):
            value = node.get("datePublished")
            if isinstance(value, str):
                out.append(value)
        for key, value in node.items():
            if isinstance(value, dict | list) and key != "publisher":
                _ld_dates(value, out)


def jsonld_candidates(tree) -> list[str]:
    """datePublished values of article-like JSON-LD objects, in document order."""
    out: list[str] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = script.text or ""
        if "datePublished" not in raw:
            continue
        try:
            _ld_dates(json.loads(raw, strict=False), out)
        except ValueError:
            # Hand-written JSON-LD with trailing commas or raw newlines is common on Arab CMSs.
            out.extend(_RE_LD_FALLBACK.findall(raw))
    return out


_META_NAMES = (
    "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date.issued",
    "dcterms.issued", "sailthru.date", "parsely-pub-date", "article:published_time",
    "article.published", "datepublished",
)  # fmt: skip
_META_PROPERTIES = ("article:published_time", "og:article:published_time", "og:published_time")


def meta_candidates(tree) -> list[str]:
    """Meta/microdata values, strongest kind first."""
    by_property: list[str] = []
    by_itemprop: list[str] = []
    by_name: list[tuple[int, str]] = []
    for el in tree.iterfind(".//meta"):
        content = el.get("content")
        if not content:
            continue
        if (el.get("property") or "").lower() in _META_PROPERTIES:
            by_property.append(content)
        if (el.get("itemprop") or "") == "datePublished":
            by_itemprop.append(content)
        name = (el.get("name") or "").lower()
        if name in _META_NAMES:
            by_name.append((_META_NAMES.index(name), content))
    for el in tree.iterfind(".//*[@itemprop='datePublished']"):
        if el.tag != "meta":
            value = el.get("datetime") or el.get("content")
            if value:
                by_itemprop.append(value)
    return by_property + by_itemprop + [v for _, v in sorted(by_name, key=lambda iv: iv[0])]


# Class/id tokens of blocks that carry *other* articles' dates (sidebars, related, menus).
_NOISE_TOKEN = re.compile(
    r"^(?:sidebar|side-bar|widget|widgets|widget-area|related|related-posts|related-news"
    r"|relatedposts|most-read|most-viewed|mostread|popular|trending|more-news|read-more"
    r"|nav|navbar|menu|footer|breadcrumb|ticker|breaking|latest)(?:[-_].*)?$",
    re.IGNORECASE,
)
_NOISE_XPATH = "//aside|//nav|//footer|//header|//*[@class or @id]"


def _is_noise(el) -> bool:
    if el.tag in ("aside", "nav", "footer"):
        return True
    if el.tag == "header":
        # An <article>'s own <header> holds the byline; only the site header is noise.
        return not el.xpath("ancestor::article or ancestor::main")
    tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(_NOISE_TOKEN.match(t) for t in tokens)


def _drop_keep_tail(parent, el) -> None:
    # lxml removes an element's tail with it, but the tail is the parent's text, not sidebar text.
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def without_noise(tree):
    """A copy of the page with sidebars, menus and footers removed (the original is untouched)."""
    clone = copy.deepcopy(tree)
    for el in clone.xpath(_NOISE_XPATH):
        if el.tag in ("html", "body") or not _is_noise(el):
            continue
        parent = el.getparent()
        if parent is not None:
            _drop_keep_tail(parent, el)
    return clone


def htmldate_value(clean_tree, now: datetime, earliest: date) -> str | None:
    """htmldate's original-date guess for the cleaned page, or None."""
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate is a declared dependency
        return None
    try:
        return find_date(
            clean_tree,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            min_date=datetime(earliest.year, earliest.month, earliest.day),
            max_date=(now + CLOCK_SKEW).replace(tzinfo=None),
        )
    except Exception:  # noqa: BLE001 - a date heuristic must never break the pipeline
        return None


def from_htmldate(value: str) -> tuple[datetime, bool, str | None] | None:
    """Parse an htmldate result; its padded midnight is a bare date."""
    # htmldate pads day-only results with midnight and no zone: that is not a time of day.
    if value.endswith("T00:00:00"):
        value = value[:10]
    return parse_date(value)


_BYLINE_XPATH = (
    "//*[not(self::script or self::style or self::meta or self::a)]"
    "[contains(@class,'date') or contains(@class,'time') or contains(@class,'byline')"
    " or contains(@class,'publish') or contains(@class,'created') or contains(@class,'posted')"
    " or contains(@class,'Date') or contains(@class,'Time') or contains(@id,'date')"
    " or contains(@class,'meta') or self::time]"
)


def byline_texts(clean_tree, limit: int = 40) -> list[str]:
    """Short texts of date/time/byline elements, where the article's own date is written."""
    out: list[str] = []
    for el in clean_tree.xpath(_BYLINE_XPATH):
        text = " ".join(el.text_content().split())
        if 6 <= len(text) <= 200:
            out.append(text)
            if len(out) >= limit:
                break
    return out

