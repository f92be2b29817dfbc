"""Article history: earlier texts kept in article_versions, pages that vanished marked gone."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import sqlite_utils

# Declared here, merged into archive/schema.py's TABLES and VIEWS.
VERSION_COLUMNS = {  # added to articles
    "warc_file": str, "warc_offset": int, "warc_length": int, "warc_digest": str,
    "gone_at": str, "gone_status": int,
}
VERSION_TABLES: dict[str, dict] = {
    "article_versions": {
        "columns": {
            "id": int, "article_id": int, "url": str, "title": str, "published": str,
            "text": str, "fetched_at": str, "content_sha256": str, "warc_file": str,
            "warc_offset": int, "warc_length": int, "superseded_at": str, "diff": str,
        },
        "pk": "id",
        "not_null": {"url", "text", "superseded_at"},
        "indexes": [(["url"], False), (["article_id"], False)],
    },
}
VERSION_VIEWS: dict[str, str] = {
    # Joined on url, not article_id: a row rebuilt by `arshif reextract` keeps its history.
    "article_versions_diff": """
        select v.id, v.url, a.id as article_id, a.source, v.fetched_at as version_fetched_at,
               v.superseded_at, v.title as version_title, a.title as current_title,
               v.published as version_published, v.content_sha256, v.warc_file, v.warc_offset,
               v.diff
        from article_versions v left join articles a on a.url = v.url
        order by v.url, v.superseded_at""",
    "article_captures": """
        select id, url, source, title, fetched_at, warc_file, warc_offset, warc_length,
               warc_digest, gone_at, gone_status,
               (select count(1) from article_versions v where v.url = articles.url) as versions
        from articles where warc_file is not null""",
    "gone_articles": """
        select id, url, source, title, published, gone_at, gone_status
        from articles where gone_at is not null order by gone_at desc""",
}
KEPT = ("title", "published", "text", "fetched_at", "content_sha256", "warc_file",
        "warc_offset", "warc_length")


def text_diff(old_title: str | None, old_text: str, new_title: str | None, new_text: str) -> str:
    """A unified diff, title first, paragraph per line: what a reader needs to see the edit."""
    before = [f"# {old_title or ''}", *old_text.splitlines()]
    after = [f"# {new_title or ''}", *new_text.splitlines()]
    return "\n".join(difflib.unified_diff(before, after, "before", "after", lineterm=""))


def before_update(db: sqlite_utils.Database, rowid: int, row: Mapping[str, Any]) -> bool:
    """Keep the stored text as a version if row changes title/text; True if one was kept.

    Call inside save_article's transaction, before the update. A fetch also revives a gone page.
    """
    cols = ", ".join(KEPT)
    old = db.execute(f"select url, {cols}, gone_at from articles where id = ?", [rowid]).fetchone()
    if old is None:
        return False
    url, *values, gone_at = old
    prev = dict(zip(KEPT, values, strict=True))
    if gone_at is not None:
        db.execute("update articles set gone_at = null, gone_status = null where id = ?", [rowid])
    new_title, new_text = row.get("title"), row.get("text") or ""
    if (prev["title"] or None) == (new_title or None) and prev["text"] == new_text:
        return False
    # Re-extraction replays old captures: never store the same version twice.
    exists = db.execute(
        "select 1 from article_versions where url = ? and content_sha256 = ? "
        "and coalesce(title, '') = coalesce(?, '')",
        [url, prev["content_sha256"], prev["title"]],
    ).fetchone()
    if exists:
        return False
    db.execute(
        f"insert into article_versions (article_id, url, {cols}, superseded_at, diff) "
        f"values (?, ?, {', '.join('?' * len(KEPT))}, ?, ?)",
        [rowid, url, *values, row.get("fetched_at"),
         text_diff(prev["title"], prev["text"], new_title, new_text)],
    )
    return True


def mark_gone(db: sqlite_utils.Database, url: str, when: str, status: int) -> bool:
    """Mark a stored article whose page now answers 404/410; the row itself stays."""
    with db.conn:
        cursor = db.execute(
            "update articles set gone_at = ?, gone_status = ? where url = ? and gone_at is null",
            [when, status, url],
        )
    return cursor.rowcount > 0


def revisit_targets(db_path: str, source: str) -> list[tuple[str, dict[str, Any]]]:
    """Stored article URLs of a source, with the feed/sitemap hints their date came from."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return []
    try:
        rows = conn.execute(
            "select url, published, date_source from articles where source = ? order by id",
            [source],
        ).fetchall()
    except sqlite3.Error:
        rows = []  # no archive yet
    finally:
        conn.close()
    out = []
    for url, published, date_source in rows:
        hints: dict[str, Any] = {"via": "revisit"}
        # The page alone may not carry the date a feed gave: pass it on, or the date would change.
        if date_source in ("feed", "sitemap") and published:
            hints[f"{date_source}_date"] = published
        out.append((url, hints))
    return out
