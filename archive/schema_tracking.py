"""Tables that track URLs, feeds and story clusters, and the source-health views over them.

Beside the record itself (archive/schema.py: articles, sources, crawl_runs): what the crawler
remembers between runs (feed_state, aliases, dropped_urls, article_http), near-duplicate story
clusters (story_clusters, minhash, minhash_bands) and the views that report on sources and runs.
Merged into archive/schema.py's TABLES and VIEWS, so ensure_schema() applies them with the rest.
"""

from __future__ import annotations

# How many runs in a row without a new article make a source "silent" (view sources_silent).
SILENT_RUNS = 3

TRACKING_TABLES: dict[str, dict] = {
    # One row per discovery URL (feed, sitemap, section, homepage): validators and schedule.
    "feed_state": {
        "columns": {
            "url": str, "source": str, "kind": str, "etag": str, "last_modified": str,
            "content_sha256": str, "interval_seconds": int, "next_due": str,
            "last_fetched": str, "last_status": int, "last_new_articles": int, "failures": int,
        },
        "pk": "url",
        "indexes": [(["source"], False), (["next_due"], False)],
    },
    # Other URLs of a stored article (exact duplicates, rel=canonical, redirects).
    "aliases": {
        "columns": {
            "alias_url": str, "url_key": str, "article_id": int, "source": str,
            "first_seen": str,
        },
        "pk": "alias_url",
        "indexes": [(["url_key"], False), (["article_id"], False)],
    },
    # Pages fetched and not kept (not_article, not_arabic, 404/410): not re-fetched for a while.
    "dropped_urls": {
        "columns": {
            "url_key": str, "url": str, "source": str, "reason": str, "first_seen": str,
            "last_seen": str,
        },
        "pk": "url_key",
    },
    # HTTP validators of an article's last fetch, for conditional revisits.
    "article_http": {
        "columns": {
            "article_id": int, "etag": str, "last_modified": str, "checked_at": str,
            "checks": int, "not_modified": int,
        },
        "pk": "article_id",
    },
    # Near-duplicate stories: one row per clustered article; cluster_id = its first article.
    "story_clusters": {
        "columns": {
            "article_id": int, "cluster_id": int, "source": str, "published": str,
            "first_seen": str, "similarity": float,
        },
        "pk": "article_id",
        "indexes": [(["cluster_id"], False)],
    },
    # MinHash signature per article (uint32 × num_perm, little-endian) and its LSH band keys.
    "minhash": {
        "columns": {
            "article_id": int, "content_sha256": str, "num_perm": int, "size": int,
            "sig": bytes,
        },
        "pk": "article_id",
    },
    "minhash_bands": {
        "columns": {"band": int, "hash": int, "article_id": int},
        "pk": ("band", "hash", "article_id"),
        "indexes": [(["article_id"], False)],
    },
}

_COUNT_LAST = """
    (select count(1) from articles a where a.source = s.name
       and a.first_seen_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-{days} days'))"""

HEALTH_VIEWS: dict[str, str] = {
    "source_health": f"""
        select s.name as source,
          (select max(started) from crawl_runs r where r.source = s.name) as last_run,
          (select status from crawl_runs r where r.source = s.name
             order by started desc limit 1) as last_status,
          (select max(started) from crawl_runs r where r.source = s.name
             and r.status = 'finished' and r.pages > 0) as last_successful_run,
          (select count(1) from articles a where a.source = s.name) as articles,
          {_COUNT_LAST.format(days=7)} as new_last_7_days,
          round({_COUNT_LAST.format(days=30)} / 30.0, 2) as per_day_last_30_days,
          (select round(avg(a.published is null), 3) from articles a
             where a.source = s.name) as share_without_date,
          (select count(1) from crawl_runs r where r.source = s.name
             and r.status != 'finished') as failed_runs
        from sources s order by s.name""",
    "run_health": """
        select r.run, r.source, r.started, r.finished, r.status, r.requests, r.pages, r.new,
          r.updated, r.unchanged, r.skipped_known, r.not_modified, r.skipped_old,
          (select coalesce(sum(value), 0) from json_each(r.dropped)
             where key in ('http_error', 'error', 'bad_feed', 'forbidden_address'))
             as failures,
          r.dropped, r.details
        from crawl_runs r order by r.started desc, r.source""",
    "dropped_languages": """
        select r.source,
          substr(key, 13, instr(key || ' ', ' (') - 13) as language,
          sum(value) as pages
        from crawl_runs r, json_each(r.details)
        where substr(key, 1, 12) = 'not_arabic: '
        group by r.source, language order by r.source, pages desc""",
    "sources_silent": f"""
        select source, count(1) as runs, max(started) as last_run
        from (select source, started, new, status, row_number() over
                (partition by source order by started desc) as n from crawl_runs)
        where n <= {SILENT_RUNS} and substr(status, 1, 7) != 'running'
        group by source having count(1) = {SILENT_RUNS} and sum(new) = 0
        order by source""",
    "story_cluster_summary": """
        select c.cluster_id, count(1) as articles, count(distinct c.source) as outlets,
          (select c2.source from story_clusters c2 where c2.cluster_id = c.cluster_id
             order by coalesce(c2.published, c2.first_seen), c2.first_seen limit 1)
             as first_source,
          min(coalesce(c.published, c.first_seen)) as first_published,
          (select c3.source from story_clusters c3 where c3.cluster_id = c.cluster_id
             order by c3.first_seen limit 1) as first_seen_source,
          min(c.first_seen) as first_seen,
          group_concat(distinct c.source) as sources,
          (select title from articles where id = c.cluster_id) as title
        from story_clusters c group by c.cluster_id having count(1) > 1
        order by first_published desc""",
}
