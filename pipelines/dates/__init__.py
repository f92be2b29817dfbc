"""Publication dates for Arabic news pages.

``forms`` holds the written date forms (month names of every system, zones, regexes), ``parse``
reads one date string or the first date in a text, ``markup`` gathers candidates from the page
(JSON-LD, meta, htmldate, bylines) and ``choose`` picks the strongest plausible one, in the
order jsonld > meta > feed > sitemap > htmldate > text > sitemap_lastmod. All output is in
Baghdad time (UTC+3, no DST); values without a zone are taken to be in Baghdad time already.
"""

from __future__ import annotations

from archive.isotime import BAGHDAD
from pipelines.dates.choose import PublishedDate, extract_published
from pipelines.dates.parse import (
    CLOCK_SKEW,
    DEFAULT_EARLIEST,
    TEXT_WINDOW,
    find_text_date,
    parse_date,
)

__all__ = [
    "BAGHDAD",
    "CLOCK_SKEW",
    "DEFAULT_EARLIEST",
    "TEXT_WINDOW",
    "PublishedDate",
    "extract_published",
    "find_text_date",
    "parse_date",
]
