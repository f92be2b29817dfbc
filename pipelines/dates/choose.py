"""The choice between date candidates: strongest plausible signal wins, in Baghdad time.

Order (recorded as ``date_source``): JSON-LD ``datePublished`` (``jsonld``), ``<meta>``/microdata
(``meta``), the feed item date (``feed``), the news-sitemap date (``sitemap``), htmldate
(``htmldate``), a date in a byline or the article text (``text``), and last a plain sitemap
``lastmod`` (``sitemap_lastmod``). A candidate in the future or before the outlet existed is
skipped for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from archive.isotime import BAGHDAD
from pipelines.dates.markup import (
    byline_texts,
    from_htmldate,
    htmldate_value,
    jsonld_candidates,
    meta_candidates,
    without_noise,
)
from pipelines.dates.parse import (
    DEFAULT_EARLIEST,
    find_text_date,
    parse_date,
    plausible,
    reference_now,
)


@dataclass(frozen=True)
class PublishedDate:
    """The chosen publication date, the signal it came from and the zone it was written in."""

    iso: str
    source: str
    tz_given: str | None


def _to_published(res: tuple[datetime, bool, str | None], source: str) -> PublishedDate:
    dt, has_time, tz_given = res
    iso = (
        dt.astimezone(BAGHDAD).isoformat(timespec="seconds") if has_time else dt.date().isoformat()
    )
    return PublishedDate(iso=iso, source=source, tz_given=tz_given)


def extract_published(
    tree,
    text: str,
    hints: dict,
    now: datetime | None = None,
    earliest: date | None = None,
) -> PublishedDate | None:
    """Pick the strongest plausible publication date for a page (tree is never mutated)."""
    ref = reference_now(now)
    earliest = earliest or DEFAULT_EARLIEST
    hints = hints or {}

    def first(values, source: str) -> PublishedDate | None:
        for value in values:
            if not isinstance(value, str):
                continue
            res = parse_date(value, ref)
            if res is not None and plausible(res, ref, earliest):
                return _to_published(res, source)
        return None

    if tree is not None:
        found = first(jsonld_candidates(tree), "jsonld") or first(meta_candidates(tree), "meta")
        if found:
            return found
    found = first([hints.get("feed_date")], "feed") or first([hints.get("sitemap_date")], "sitemap")
    if found:
        return found

    clean = without_noise(tree) if tree is not None else None
    if clean is not None:
        value = htmldate_value(clean, ref, earliest)
        res = from_htmldate(value) if value else None
        if res is not None and plausible(res, ref, earliest):
            return _to_published(res, "htmldate")

    # Bylines first: a date in the running text may be the date of the event, not the article.
    for chunk in ([*byline_texts(clean)] if clean is not None else []) + [text or ""]:
        res = find_text_date(chunk, ref)
        if res is not None and plausible(res, ref, earliest):
            return _to_published(res, "text")

    return first([hints.get("sitemap_lastmod")], "sitemap_lastmod")
