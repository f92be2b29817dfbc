"""Archive side of incremental crawling: known URLs, aliases, feed state, revisits, stale runs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from archive.isotime import parse_iso
from archive.store import now_iso
from archive.tx import transaction
from archive.urls import canonical_url, url_key

# Adaptive interval of a discovery URL: halved when it brought new articles, ×1.5 when not.
MIN_INTERVAL = 5 * 60
MAX_INTERVAL = 24 * 3600
START_INTERVAL = 30 * 60
_AGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 86400, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_ages(value: str | Iterable[str] | None) -> list[int]:
    """'1d,7d' → [86400, 604800] seconds; '0', '' or None → [] (revisits off)."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    ages = []
    for item in items:
        if not str(item).strip():
            continue
        match = _AGE_RE.match(str(item))
        if not match:
            raise ValueError(f"bad revisit age {item!r}: use e.g. 1d, 12h, 7d")
        seconds = int(float(match.group(1)) * _UNITS[match.group(2)])
        if seconds > 0:
            ages.append(seconds)
    return sorted(ages)


def backfill_url_keys(db: sqlite_utils.Database) -> int:
    """Fill articles.url_key where an older archive has none; the number of rows keyed."""
    rows = db.execute("select id, url from articles where url_key is null").fetchall()
    if rows:
        with transaction(db):
            db.conn.executemany(
                "update articles set url_key = ? where id = ?", [(url_key(u), i) for i, u in rows]
            )
    return len(rows)


def known(db: sqlite_utils.Database, url: str, dropped_since: str | None) -> str | None:
    """'article', 'alias' or 'dropped' when this URL (any variant) is known, else None."""
    key = url_key(url)
    if db.execute("select 1 from articles where url_key = ? limit 1", [key]).fetchone():
        return "article"
    if db.execute("select 1 from aliases where url_key = ? limit 1", [key]).fetchone():
        return "alias"
    if dropped_since is not None and db.execute(
        "select 1 from dropped_urls where url_key = ? and last_seen >= ?", [key, dropped_since]
    ).fetchone():
        return "dropped"
    return None


def revisit_due(first_seen: datetime, last_check: datetime, ages: list[int], now: datetime
                ) -> bool:
    """True when an age has passed since first_seen with no fetch since (within a grace window).

    The window (as long as the age, at least a day) keeps a long outage or a newly enabled
    schedule from re-fetching the whole archive at once.
    """
    for age in ages:
        at = first_seen + timedelta(seconds=age)
        window = timedelta(seconds=max(age, 86400))
        if at <= now <= at + window and last_check < at:
            return True
    return False


def revisits(db: sqlite_utils.Database, source: str, ages: list[int]) -> list[dict[str, Any]]:
    """Stored articles of a source due for a fetch again now, by their age (ARSHIF_REVISIT_AGES)."""
    if not ages:
        return []
    now = datetime.now().astimezone()
    # Only articles young enough for an age's window can be due: skip reading the rest.
    oldest = now - timedelta(seconds=2 * max(ages) + 86400)
    rows = db.execute(
        "select a.id, a.url, a.first_seen_at, a.fetched_at, h.checked_at, h.etag, "
        "h.last_modified from articles a left join article_http h on h.article_id = a.id "
        "where a.source = ? and a.first_seen_at >= ? "  # stored as UTC ISO text (now_iso)
        "order by a.first_seen_at desc",
        [source, oldest.astimezone(UTC).isoformat(timespec="seconds")],
    ).fetchall()
    out = []
    for rid, url, first, fetched, checked, etag, modified in rows:
        first_dt = parse_iso(first)
        checks = [t for t in (parse_iso(fetched), parse_iso(checked)) if t]
        if first_dt and revisit_due(first_dt, max(checks, default=first_dt), ages, now):
            out.append({"id": rid, "url": url, "etag": etag, "last_modified": modified})
    return out


def record_article_fetch(db: sqlite_utils.Database, url: str, etag: str | None,
                         last_modified: str | None, not_modified: bool = False,
                         checked_at: str | None = None) -> bool:
    """Keep the validators of an article's latest fetch; False when no such article is stored."""
    row = db.execute("select id from articles where url_key = ? order by id limit 1",
                     [url_key(url)]).fetchone()
    if row is None:
        return False
    with db.conn:
        db.execute(
            "insert into article_http (article_id, etag, last_modified, checked_at, checks, "
            "not_modified) values (?, ?, ?, ?, 1, ?) on conflict(article_id) do update set "
            "etag = coalesce(excluded.etag, etag), "
            "last_modified = coalesce(excluded.last_modified, last_modified), "
            "checked_at = excluded.checked_at, checks = checks + 1, "
            "not_modified = not_modified + excluded.not_modified",
            [row[0], etag, last_modified, checked_at or now_iso(), int(not_modified)],
        )
    return True


def record_alias(db: sqlite_utils.Database, alias_url: str, article_url: str, source: str
                 ) -> bool:
    """Remember another URL of a stored article; False when it is the article's own URL."""
    alias = canonical_url(alias_url)
    key = url_key(alias)
    row = db.execute("select id, url_key from articles where url = ? or url_key = ? limit 1",
                     [article_url, url_key(article_url)]).fetchone()
    if row is None or row[1] == key:
        return False
    with db.conn:
        db.execute(
            "insert or ignore into aliases (alias_url, url_key, article_id, source, first_seen) "
            "values (?, ?, ?, ?, ?)", [alias, key, row[0], source, now_iso()],
        )
    return True


def record_dropped(db: sqlite_utils.Database, url: str, source: str, reason: str) -> None:
    """Remember a fetched page that was not kept, so it is not fetched again soon."""
    now = now_iso()
    with db.conn:
        db.execute(
            "insert into dropped_urls (url_key, url, source, reason, first_seen, last_seen) "
            "values (?, ?, ?, ?, ?, ?) on conflict(url_key) do update set "
            "reason = excluded.reason, last_seen = excluded.last_seen",
            [url_key(url), canonical_url(url), source, reason, now, now],
        )


def feed_states(db: sqlite_utils.Database, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """feed_state rows of these URLs, by URL."""
    urls = list(urls)
    if not urls:
        return {}
    cursor = db.execute(
        f"select * from feed_state where url in ({', '.join('?' * len(urls))})", urls
    )
    names = [c[0] for c in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def next_interval(interval: int | None, new_articles: int, lo: int = MIN_INTERVAL,
                  hi: int = MAX_INTERVAL) -> int:
    """Shorter after a fetch that found new articles, longer after one that found none."""
    current = interval or START_INTERVAL
    current = current // 2 if new_articles else int(current * 1.5)
    return max(lo, min(hi, current))


def save_feed_states(db: sqlite_utils.Database, rows: Iterable[Mapping[str, Any]]) -> None:
    """Upsert feed_state rows (one transaction)."""
    rows = [dict(r) for r in rows]
    if rows:
        with db.conn:
            db.table("feed_state").upsert_all(rows, pk="url")


def mark_interrupted(db: sqlite_utils.Database) -> int:
    """Close crawl_runs rows left 'running' by a run that died; call it holding the run lock."""
    with db.conn:
        cursor = db.execute(
            "update crawl_runs set status = 'interrupted', finished = coalesce(finished, ?) "
            "where status = 'running'", [now_iso()],
        )
    return cursor.rowcount
