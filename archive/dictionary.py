"""The archive's data dictionary: what each table and column means, for snapshot manifests."""

from __future__ import annotations

TABLES = {
    "articles": "One row per article (canonical URL); the current version of its text.",
    "articles_fts": ("FTS5 index of normalised Arabic title/description/text "
                     "(rowid = articles.search_key)."),
    "article_versions": "Earlier titles/texts of articles that changed on a later fetch.",
    "sources": "The outlets crawled, from sources.yaml.",
    "crawl_runs": "One row per crawl run and source: counts of pages, new/updated and drops.",
    "article_places": ("One row per article and Iraqi place it names (gazetteer: GeoNames, "
                       "CC BY 4.0, + archive/places_rules.yaml), for place/governorate queries."),
    "arshif_meta": "Key/value facts about the archive (schema_version).",
    "_migrations": "Schema migrations applied to this archive, by number.",
}

ARTICLES = {
    "id": "Row id.",
    "search_key": ("Publication-ordered key (seconds since 1970 × 2^20 + n); "
                   "the rowid of articles_fts."),
    "url": "Canonical URL: tracking parameters and fragment removed; rel=canonical when on-site.",
    "url_key": "Looser URL key matching AMP/mobile/print variants of the same article.",
    "source": "The outlet (sources.name).",
    "title": "Headline without the site-name suffix.",
    "author": "Byline as the page gives it.",
    "published": "Publication time, ISO 8601 in Baghdad time (+03:00) unless the page gave a zone;"
                 " a bare date (YYYY-MM-DD) when the page gave no time, so parse the mixed column"
                 " with pandas.to_datetime(..., format='ISO8601', utc=True).",
    "day": "Publication day (YYYY-MM-DD), for faceting.",
    "date_source": "Signal the date came from: jsonld, meta, feed, sitemap, htmldate, text, "
                   "sitemap_lastmod.",
    "date_tz": "The zone the page gave, or null when Baghdad time was assumed.",
    "description": "The page's meta/og description.",
    "text": "Clean article text extracted by trafilatura; paragraphs separated by blank lines.",
    "word_count": "Words in text.",
    "language": "Detected language (ar only is kept).",
    "language_score": "Confidence of the language decision, 0–1.",
    "topics": "JSON list of the monitored topics the article matched.",
    "places": "JSON list of the Iraqi places (governorates, cities, towns, areas) the title, "
              "description or text names, most named first (archive/places.py).",
    "places_governorates": "JSON list of the governorates of those places.",
    "site_name": "The outlet's name as the page gives it.",
    "categories": "JSON list of the page's categories.",
    "tags": "JSON list of the page's tags.",
    "image": "Lead image URL.",
    "fetched_at": "When the current version was fetched (UTC): the WARC record's date.",
    "first_seen_at": "When the article was first stored (UTC).",
    "final_url": "The URL actually fetched, after redirects.",
    "content_sha256": "SHA-256 of the normalised text: equal for the same story however spelt.",
    "encoding": "Codec the page bytes were decoded with.",
    "encoding_source": "How the codec was chosen: bom, http_header, meta, detected, repaired.",
    "warc_file": "WARC file (in warc/ beside the database) holding the fetched response.",
    "warc_offset": "Byte offset of that response record (its gzip member) in warc_file.",
    "warc_length": "Compressed length of that record in bytes.",
    "warc_digest": "WARC-Payload-Digest of the response body (sha1, base32).",
    "gone_at": "When a later fetch found the page gone (404/410); the row is kept.",
    "gone_status": "The HTTP status that page answered (404 or 410).",
}

COLUMNS: dict[str, dict[str, str]] = {
    "articles": ARTICLES,
    "article_versions": {
        "id": "Row id.",
        "article_id": "articles.id when the version was kept (join on url after a reextract).",
        "url": "The article's canonical URL.",
        "title": "The title of this earlier version.",
        "published": "Its publication date.",
        "text": "Its text.",
        "fetched_at": "When this version was last fetched.",
        "content_sha256": "Hash of its normalised text.",
        "warc_file": "WARC file of the capture this version came from.",
        "warc_offset": "Offset of that capture.",
        "warc_length": "Compressed length of that capture.",
        "superseded_at": "Fetch time of the version that replaced it.",
        "diff": "Unified diff (title first, a paragraph a line) from this version to the next.",
    },
    "sources": {
        "name": "Slug of the outlet.", "title": "Outlet name.", "homepage": "Homepage URL.",
        "country": "ISO country code.", "founded": "Year founded: earlier dates are rejected.",
        "feeds": "JSON list of feed URLs.", "sitemaps": "JSON list of sitemap URLs.",
        "sections": "JSON list of section pages.", "notes": "Free text.",
    },
    "crawl_runs": {
        "id": "Row id.", "run": "Crawl run id (also in WARC file names).",
        "source": "The outlet.", "started": "Start (UTC).", "finished": "End (UTC).",
        "status": "running, finished, failed or interrupted (…).",
        "pages": "Responses handled.", "new": "Articles added.",
        "updated": "Articles whose content changed.", "unchanged": "Articles fetched again as is.",
        "dropped": "JSON {reason: pages} of pages that did not become articles.",
        "details": "JSON {reason: detail: pages}, finer than dropped.",
        "all_topics": "Topic policy of the run: 1 kept off-topic articles (--all-topics), "
                      "0 dropped them, null not recorded; reextract applies it again.",
    },
    "article_places": {
        "article_id": "articles.id.",
        "place": "The place's name as the gazetteer writes it (articles.places).",
        "governorate": "Its governorate (one of the 19, Kurdistan Region's included).",
        "kind": "governorate, city, town or area.",
        "mentions": "How many times the article names it.",
        "published": "The article's publication time (copied, so a place's articles over a "
                     "date range are one index range).",
    },
    "arshif_meta": {"key": "Name.", "value": "Value."},
}


def describe_table(name: str) -> str | None:
    """The description of a table or view, if documented."""
    return TABLES.get(name)


def describe_column(table: str, column: str) -> str | None:
    """The description of a column; views reuse the articles descriptions of same-named columns."""
    return COLUMNS.get(table, {}).get(column) or ARTICLES.get(column)
