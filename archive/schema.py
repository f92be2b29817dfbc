"""The archive's schema, declared as data and applied by one idempotent function."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from archive.migrations import LATEST, apply_migrations
from archive.schema_tracking import HEALTH_VIEWS, TRACKING_TABLES
from archive.versions import VERSION_COLUMNS, VERSION_TABLES, VERSION_VIEWS

SCHEMA_VERSION = LATEST  # the newest migration in archive/migrations.py

# table -> (columns in order, options). Types are sqlite-utils' Python types.
TABLES: dict[str, dict] = {
    "sources": {
        "columns": {
            "name": str, "title": str, "homepage": str, "country": str, "founded": int,
            "feeds": str, "sitemaps": str, "sections": str, "notes": str,
        },
        "pk": "name",
    },
    "articles": {
        "columns": {
            "id": int, "url": str, "source": str, "title": str, "author": str,
            "published": str, "day": str, "month": str, "date_source": str, "date_tz": str,
            "description": str, "text": str, "word_count": int,
            "language": str, "language_score": float, "topics": str, "topic_matches": str,
            "site_name": str, "categories": str, "tags": str, "image": str,
            "fetched_at": str, "first_seen_at": str, "final_url": str,
            "content_sha256": str, "encoding": str, "encoding_source": str,
            "url_key": str,  # archive.urls.url_key(url): matches AMP/mobile/… variants
            "search_key": int,  # rowid in articles_fts, in publication order (archive/search.py)
            "places": str, "places_governorates": str,  # JSON arrays (archive/places.py)
            **VERSION_COLUMNS,  # WARC record of the payload; gone_at/gone_status (404/410)
        },
        "pk": "id",
        "not_null": {"url", "source", "text", "fetched_at", "content_sha256"},
        "foreign_keys": [("source", "sources", "name")],
        "indexes": [(["url"], True), (["source", "published"], False), (["published"], False),
                    (["day"], False), (["month"], False),
                    # per-day, per-outlet counts without reading rows (the desk's attention)
                    (["day", "source"], False),
                    (["content_sha256"], False), (["url_key"], False),
                    (["search_key"], True),
                    # the desk's counts per (day, outlet) of a search's matches read only this
                    # index (archive/desk/sql.py); migration 6 records it in old archives
                    (["search_key", "day", "source"], False)],
    },
    "crawl_runs": {
        "columns": {
            "id": int, "run": str, "source": str, "started": str, "finished": str,
            "status": str, "pages": int, "new": int, "updated": int, "unchanged": int,
            "dropped": str, "details": str,
            # crawler.incremental: requests sent (robots.txt included), known URLs skipped,
            # 304/same-content feeds, items older than --since/max_age_days, seeds not yet due.
            "requests": int, "skipped_known": int, "not_modified": int, "skipped_old": int,
            "not_due": int,
            # The topic policy of the run: 1 = off-topic articles kept (--all-topics, or no
            # topic stage), 0 = dropped, NULL = not recorded (older runs). Re-extraction of the
            # run's captures applies it again (archive/reextract.py).
            "all_topics": int,
        },
        "pk": "id",
        "not_null": {"run", "source", "started", "status"},
        "indexes": [(["run", "source"], True), (["source", "started"], False)],
    },
    # One row per article and Iraqi place it names (archive/places.py): "where" queries.
    "article_places": {
        "columns": {"article_id": int, "place": str, "governorate": str, "kind": str,
                    "mentions": int, "published": str},
        "pk": ("article_id", "place"),
        "not_null": {"article_id", "place", "governorate"},
        "indexes": [(["place", "published"], False), (["governorate", "published"], False)],
    },
    **TRACKING_TABLES,  # feed_state, aliases, dropped_urls, article_http, clusters
    **VERSION_TABLES,  # article_versions (archive/versions.py)
    "arshif_meta": {
        "columns": {"key": str, "value": str},
        "pk": "key",
    },
}

# Normalised Arabic forms of title/description/text; rowid = articles.search_key, which follows
# publication time (archive/search.py), so newest-first search is an FTS rowid scan.
FTS_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts "
    "USING fts5(title, description, text, tokenize = 'unicode61')"
)

# Views are read by other tools too: DuckDB's sqlite extension re-renders a view in its own SQL
# and runs that in SQLite, where count(*) became count_star() and LIKE became ~~. So views use
# count(1) and substr() = '…' instead (tests/archive/test_duckdb_views.py reads every view
# with DuckDB).
VIEWS: dict[str, str] = {
    **HEALTH_VIEWS,  # per-source health and story clusters (archive/schema_tracking.py)
    **VERSION_VIEWS,  # article_versions_diff, article_captures, gone_articles
    "articles_per_source_day": """
        select source, substr(published, 1, 10) as day, count(1) as articles
        from articles where published is not null
        group by source, day order by day desc, source""",
    "drops_by_reason": """
        select crawl_runs.source, key as reason, sum(value) as pages
        from crawl_runs, json_each(crawl_runs.dropped)
        group by crawl_runs.source, key order by pages desc""",
    # Which terms put articles into each topic (articles.topic_matches, pipelines/topics.py).
    "topic_term_hits": """
        select json_extract(m.value, '$.topic') as topic, t.key as term,
               count(distinct articles.id) as articles, sum(t.value) as mentions
        from articles,
             json_each(case when json_valid(articles.topic_matches)
                            then articles.topic_matches else '[]' end) as m,
             json_each(m.value, '$.terms') as t
        group by topic, term order by topic, articles desc, mentions desc""",
}


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) an archive with WAL, a busy timeout and the schema applied."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or upgrade tables, indexes, FTS and views; running it twice changes nothing."""
    if db.conn.execute("pragma journal_mode").fetchone()[0] != "memory":
        db.execute("pragma journal_mode=wal")
    # WAL + NORMAL: a commit survives a process crash; only power loss can lose the last ones.
    db.execute("pragma synchronous=normal")
    db.execute("pragma foreign_keys=on")
    for name, spec in TABLES.items():
        table = db.table(name)
        if not table.exists():
            table.create(
                spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
                foreign_keys=spec.get("foreign_keys"), if_not_exists=True,
            )
        else:
            # Forward migration: columns added to the declaration appear in old archives.
            have = set(table.columns_dict)
            for col, typ in spec["columns"].items():
                if col not in have:
                    table.add_column(col, typ)
        for cols, unique in spec.get("indexes", []):
            table.create_index(cols, unique=unique, if_not_exists=True)
    db.execute(FTS_SQL)
    views = dict(db.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
    for name, sql in VIEWS.items():
        # Standard double quotes: DuckDB, Postgres-minded tools and sqlglot reject [name].
        create = f'CREATE VIEW "{name}" AS {sql}'
        # Only a changed view is rewritten: opening an archive should not write to it.
        if views.get(name) != create:
            db.execute(f'DROP VIEW IF EXISTS "{name}"')
            db.execute(create)
    apply_migrations(db)  # data changes a declaration cannot express (archive/migrations.py)
    if db.execute(
        "select value from arshif_meta where key = 'schema_version'"
    ).fetchone() != (str(SCHEMA_VERSION),):
        db.execute(
            "insert or replace into arshif_meta(key, value) values ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
