"""The only code that writes the archive: idempotent save_* functions that take the db."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from archive.arabic import normalize
from archive.places import place_columns, store_places, tag_places
from archive.search import index_article, search_key
from archive.urls import url_key
from archive.versions import before_update

ARTICLE_FIELDS = (
    "url", "source", "title", "author", "published", "day", "month", "date_source", "date_tz",
    "description",
    "text", "word_count", "language", "language_score", "topics", "topic_matches", "site_name",
    "categories", "tags", "image", "fetched_at", "final_url", "content_sha256", "encoding",
    "encoding_source",
    "warc_file", "warc_offset", "warc_length", "warc_digest",  # the WARC record of the payload
)
# A re-fetch that lacks these keeps the earlier values (a date found once stays found).
KEEP_WHEN_MISSING = frozenset({
    "published", "day", "month", "date_source", "date_tz", "author",
    "warc_file", "warc_offset", "warc_length", "warc_digest",
})
JSON_FIELDS = {"topics", "topic_matches", "categories", "tags"}
# Counters of crawler.incremental kept in crawl_runs beside pages/new/updated/unchanged.
RUN_COUNTERS = ("requests", "skipped_known", "not_modified", "skipped_old", "not_due")
# A change in any of these makes a stored article "updated"; fetched_at alone does not.
CONTENT_FIELDS = ("title", "author", "published", "description", "text", "image")


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same story however it was spelt or spaced."""
    return hashlib.sha256(" ".join(normalize(text).split()).encode("utf-8")).hexdigest()


def _row(article: Mapping[str, Any]) -> dict[str, Any]:
    row = {}
    for key in ARTICLE_FIELDS:
        value = article.get(key)
        if key in JSON_FIELDS and value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        row[key] = value
    if not isinstance(row["text"], str) or not row["text"].strip():
        raise ValueError(f"refusing to store an article without text: {row['url']}")
    row["content_sha256"] = row["content_sha256"] or content_hash(row["text"])
    # Baghdad-local day and month, for facets (published is stored in Baghdad time).
    row["day"] = row["published"][:10] if row["published"] else None
    row["month"] = row["published"][:7] if row["published"] else None
    row["fetched_at"] = row["fetched_at"] or now_iso()
    row["url_key"] = url_key(row["url"])  # known-URL lookups match AMP/mobile/… variants
    return row


def _place_counts(article: Mapping[str, Any]) -> Mapping[str, int]:
    # Iraqi places named (archive/places.py); the crawl's workers precompute them.
    counts = article.get("place_counts")
    if counts is None:
        counts = tag_places(article.get("title"), article.get("description"), article["text"])
    return counts


# save_article writes its SQL itself rather than through db["articles"].rows_where/.insert/
# .update: those re-read the schema (sqlite_master, PRAGMA table_info) and open a savepoint on
# every call, which measured +16% CPU per new article, +23% per changed re-fetch and +105% per
# unchanged one (1,000 bench articles, medians of 6), and this is the crawl's hot path. The
# statements are the ones sqlite-utils builds; save_sources, run once per crawl, uses the library.
LOOKUP_COLUMNS = ("id", "search_key", "places", *CONTENT_FIELDS)
LOOKUP_SQL = f"select {', '.join(LOOKUP_COLUMNS)} from articles where url = ?"


def save_article(db: sqlite_utils.Database, article: Mapping[str, Any]) -> str:
    """Insert or update one article by URL, with its search index: new, updated or unchanged."""
    row = _row(article)
    counts = _place_counts(article)
    row["places"], row["places_governorates"] = place_columns(counts)
    with db.conn:
        # One write lock from the lookup to the index row: no other writer can slip in between.
        db.execute("begin immediate")
        found = db.execute(LOOKUP_SQL, [row["url"]]).fetchone()
        if found is None:
            row["first_seen_at"] = row["fetched_at"]
            row["search_key"] = search_key(db, row["published"], row["fetched_at"])
            # url is a unique index: a second insert of one URL fails instead of doubling it.
            cursor = db.execute(
                f"insert into articles ({', '.join(f'[{k}]' for k in row)}) "
                f"values ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            index_article(db, row["search_key"], row, article.get("fts_forms"))
            store_places(db, cursor.lastrowid, row["published"], counts)
            return "new"
        existing = dict(zip(LOOKUP_COLUMNS, found, strict=True))
        return _update(db, existing, row, article.get("fts_forms"), counts)


def _update(
    db: sqlite_utils.Database, existing: dict[str, Any], row: dict[str, Any], forms: Any,
    counts: Mapping[str, int],
) -> str:
    """Update a stored article from a re-fetch (inside save_article's transaction)."""
    rowid, old_key = existing["id"], existing["search_key"]
    # A re-fetch that finds no date must not erase the date an earlier fetch found.
    keep = {k: v for k, v in row.items() if v is not None or k not in KEEP_WHEN_MISSING}
    changed = any(
        k in keep and (keep[k] or None) != (existing[k] or None) for k in CONTENT_FIELDS
    )
    before_update(db, rowid, keep)  # keeps the previous title/text in article_versions
    published_before = existing["published"]
    published = keep["published"] if "published" in keep else published_before
    if old_key is None or (published or None) != (published_before or None):
        # The search key follows the publication time, so a corrected date moves it.
        keep["search_key"] = search_key(db, published, row["fetched_at"])
    sets = ", ".join(f"[{k}] = ?" for k in keep)
    db.execute(f"update articles set {sets} where id = ?", [*keep.values(), rowid])
    if keep["places"] != existing["places"] or published != published_before:
        store_places(db, rowid, published, counts)
    if changed or keep.get("search_key", old_key) != old_key:
        key = keep.get("search_key", old_key)
        index_article(db, key, row, forms, old_key=old_key)
        return "updated" if changed else "unchanged"
    return "unchanged"


def save_sources(db: sqlite_utils.Database, rows: Iterable[Mapping[str, Any]]) -> None:
    """Upsert the sources table from sources.yaml entries."""
    prepared = []
    for row in rows:
        row = dict(row)
        for key in ("feeds", "sitemaps", "sections"):
            row[key] = json.dumps(list(row.get(key) or []), ensure_ascii=False)
        prepared.append(row)
    if prepared:
        with db.conn:
            db.table("sources").upsert_all(prepared, pk="name", alter=True)


def record_run(
    db: sqlite_utils.Database, run: str, source: str, started: str, status: str,
    counts: Mapping[str, Any], finished: str | None = None, all_topics: bool | None = None,
) -> None:
    """Create or update the crawl_runs row of one source in one run (and its topic policy)."""
    row = {
        "run": run, "source": source, "started": started, "finished": finished,
        "status": status,
        "pages": int(counts.get("pages", 0)), "new": int(counts.get("new", 0)),
        "updated": int(counts.get("updated", 0)), "unchanged": int(counts.get("unchanged", 0)),
        **{k: int(counts.get(k, 0)) for k in RUN_COUNTERS},
        "dropped": json.dumps(dict(sorted((counts.get("dropped") or {}).items())),
                              ensure_ascii=False),
        "details": json.dumps(dict(sorted((counts.get("details") or {}).items())),
                              ensure_ascii=False),
    }
    if all_topics is not None:  # unknown (an older distributed crawler) keeps what is recorded
        row["all_topics"] = int(all_topics)
    with db.conn:
        db.execute(
            f"insert into crawl_runs ({', '.join(row)}) values ({', '.join('?' * len(row))}) "
            "on conflict(run, source) do update set "
            + ", ".join(f"[{k}] = excluded.[{k}]" for k in row if k not in ("run", "source")),
            list(row.values()),
        )
