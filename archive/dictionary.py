"""The archive's data dictionary: what each table and column means, for snapshot manifests."""

from __future__ import annotations

TABLES = {
    "articles": "One row per article (canonical URL); the current version of its text.",
    "articles_fts": ("FTS5 index of the title/description/text as NORMALISED, STEMMED Arabic "
                     "(rowid = articles.search_key): MATCH 'الدولة' finds nothing, the index holds "
                     "'دوله'. Build a MATCH with arabic_fts_query() (archive.search."
                     "register_functions) or see the search_help table."),
    "search_help": ("How to search this file from sqlite3 or pandas: words as the index stores "
                    "them, and ready-to-run queries (written by `arshif snapshot`)."),
    "aliases": "Other URLs under which a stored article was found (tracking, print, AMP, "
               "redirects): stored once, recorded here.",
    "article_http": "HTTP validators of each article's last fetch, for conditional revisits.",
    "dropped_urls": "Pages recently dropped (not an article, not Arabic, gone), not requested "
                    "again for a while.",
    "feed_state": "Per feed/sitemap/section/home page: validators, content hash and the "
                  "adaptive schedule of the next visit.",
    "story_clusters": "Near-duplicate stories across outlets (MinHash on normalised text): one "
                      "row per clustered article.",
    "minhash": "The MinHash signature of each article's normalised text.",
    "minhash_bands": "LSH band keys of the MinHash signatures, to find candidate duplicates.",
    "article_captures": "Where each article's WARC response record is (file, offset, length, "
                        "digest).",
    "article_versions_diff": "Each earlier version with a unified diff against the version "
                             "that replaced it.",
    "articles_per_source_day": "Articles per outlet and publication day.",
    "dropped_languages": "Languages of pages dropped as not Arabic, per outlet.",
    "drops_by_reason": "Pages dropped per outlet and reason, over all runs.",
    "gone_articles": "Articles whose page later answered 404/410: the archived text is all "
                     "that is left.",
    "run_health": "Every run of every outlet: requests, pages, new/updated/unchanged, skipped "
                  "and dropped pages.",
    "source_health": "Per outlet: last run, last successful run, articles per day, share "
                     "without a date, failed runs.",
    "sources_silent": "Outlets whose recent runs yielded nothing new: a dead feed or a changed "
                      "site.",
    "story_cluster_summary": "Each story cluster with the outlet and time it was first seen at.",
    "topic_term_hits": "Which topic terms put articles in the archive, and how often.",
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
    "month": "Publication month (YYYY-MM), for faceting.",
    "topic_matches": "JSON list per matched topic: {topic, version, score, terms: {term: count}}"
                     " - why the article is on topic.",
}

CRAWL_RUNS = {
    "id": "Row id.", "run": "Crawl run id (also in WARC file names).",
    "source": "The outlet.", "started": "Start (UTC).", "finished": "End (UTC).",
    "status": "running, finished, failed or interrupted (…).",
    "pages": "Responses handled.", "new": "Articles added.",
    "updated": "Articles whose content changed.", "unchanged": "Articles fetched again as is.",
    "dropped": "JSON {reason: pages} of pages that did not become articles.",
    "details": "JSON {reason: detail: pages}, finer than dropped.",
    "all_topics": "Topic policy of the run: 1 kept off-topic articles (--all-topics), "
                  "0 dropped them, null not recorded; reextract applies it again.",
    "requests": "HTTP requests sent, robots.txt included.",
    "skipped_known": "Article URLs already in the archive, not fetched again.",
    "not_modified": "Feeds/sitemaps answering 304 or with unchanged content.",
    "skipped_old": "Items older than --since or the source's max_age_days.",
    "not_due": "Feeds/sitemaps not fetched because their next visit was not due.",
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
    "crawl_runs": CRAWL_RUNS,
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
    "_migrations": {"number": "Migration number (archive/migrations.py).",
                    "name": "What the migration does.", "applied_at": "When it ran (UTC)."},
    "search_help": {
        "example": "A word or phrase as a reader types it.",
        "stored_as": "The same, as the index stores it (normalised, stemmed): what MATCH needs.",
        "sqlite3": "A query for the sqlite3 shell that finds it without any Arshif code.",
        "note": "What the example shows.",
    },
    "aliases": {"alias_url": "The other URL.", "article_id": "articles.id it leads to.",
                "first_seen": "When that URL was first met (UTC)."},
    "article_http": {
        "article_id": "articles.id.", "etag": "ETag of the last response.",
        "last_modified": "Last-Modified of the last response.",
        "checked_at": "When the article was last requested (UTC).",
        "checks": "Conditional revisits made.", "not_modified": "Revisits answered 304.",
    },
    "dropped_urls": {
        "url_key": "Loose URL key (as articles.url_key).",
        "reason": "Why it was dropped: not_article, not_arabic, gone, ….",
        "first_seen": "First drop (UTC).", "last_seen": "Latest drop (UTC).",
    },
    "feed_state": {
        "url": "Feed, sitemap, section or home page URL.",
        "kind": "What it is: feed, sitemap, sitemapindex, section, home, ….",
        "etag": "ETag of the last response.", "last_modified": "Its Last-Modified.",
        "content_sha256": "Hash of the last body, to spot an unchanged feed without a 304.",
        "interval_seconds": "Current revisit interval (adaptive: shorter when it yields news).",
        "next_due": "When it is next fetched (UTC).", "last_fetched": "Last fetch (UTC).",
        "last_status": "HTTP status of the last fetch.",
        "last_new_articles": "New article links it gave on the last fetch.",
        "failures": "Consecutive failed fetches.",
    },
    "story_clusters": {
        "article_id": "articles.id.", "cluster_id": "The cluster: the id of its first article.",
        "first_seen": "When the article was first stored (UTC).",
        "similarity": "Estimated Jaccard similarity to the cluster's first article, 0–1.",
    },
    "minhash": {
        "article_id": "articles.id.", "num_perm": "Permutations in the signature.",
        "size": "Shingles hashed (0: too short to compare).",
        "sig": "The signature: num_perm little-endian uint32.",
    },
    "minhash_bands": {"band": "LSH band number.", "hash": "Hash of the band's values.",
                      "article_id": "articles.id."},
    "article_captures": {"versions": "Earlier versions kept of the article."},
    "article_versions_diff": {
        "id": "article_versions.id.", "article_id": "articles.id of the current version.",
        "version_fetched_at": "When the earlier version was fetched.",
        "superseded_at": "Fetch time of the version that replaced it.",
        "version_title": "Title of the earlier version.", "current_title": "Title now.",
        "version_published": "Publication date of the earlier version.",
        "diff": "Unified diff (title first, a paragraph a line) to the next version.",
    },
    "articles_per_source_day": {"articles": "Articles published that day by that outlet."},
    "dropped_languages": {"language": "Detected language code.", "pages": "Pages dropped."},
    "drops_by_reason": {"reason": "Why the pages were dropped.", "pages": "Pages dropped."},
    "run_health": {**CRAWL_RUNS,
                   "failures": "Pages lost to HTTP errors, exceptions, bad feeds or forbidden "
                               "addresses."},
    "source_health": {
        "last_run": "Start of the latest run (UTC).", "last_status": "Its status.",
        "last_successful_run": "Start of the latest finished run that fetched pages.",
        "articles": "Articles stored from the outlet.",
        "new_last_7_days": "Articles first stored in the last 7 days.",
        "per_day_last_30_days": "Articles first stored per day, averaged over 30 days.",
        "share_without_date": "Share of its articles with no publication date, 0–1.",
        "failed_runs": "Runs that did not finish.",
    },
    "sources_silent": {"runs": "Recent runs counted.", "last_run": "Start of the latest."},
    "story_cluster_summary": {
        "cluster_id": "The cluster (id of its first article).",
        "articles": "Articles in it.", "outlets": "Distinct outlets.",
        "first_source": "Outlet that published it first.",
        "first_published": "Earliest publication time.",
        "first_seen_source": "Outlet Arshif stored it from first.",
        "first_seen": "When Arshif first stored it (UTC).",
        "sources": "Every outlet, comma-separated.",
    },
    "topic_term_hits": {"topic": "Topic name.", "term": "A term of the topic.",
                        "articles": "Articles it matched in.", "mentions": "Times it matched."},
}


def describe_table(name: str) -> str | None:
    """The description of a table or view, if documented."""
    return TABLES.get(name)


def describe_column(table: str, column: str) -> str | None:
    """The description of a column; views reuse the articles descriptions of same-named columns."""
    return COLUMNS.get(table, {}).get(column) or ARTICLES.get(column)
