"""Schema migrations: an archive made by the first release opens and is upgraded in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from archive.migrations import LATEST, apply_migrations
from archive.schema import connect
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "archive_schema_v1.sql"


def old_archive(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text("utf-8"))
    conn.close()
    return path


def test_old_archive_is_upgraded_in_place(tmp_path):
    path = old_archive(tmp_path)
    db = connect(path)
    articles = {r["url"]: r for r in db.query("select * from articles order by id")}
    assert len(articles) == 2
    one, two = articles["https://shafaq.com/ar/1"], articles["https://shafaq.com/ar/2"]
    assert one["title"] == "مقتل أربعة من داعش" and one["content_sha256"] == "a" * 64
    # New columns and tables exist; data migrations filled what the old writer left empty.
    for col in ("warc_file", "warc_offset", "warc_length", "warc_digest", "gone_at"):
        assert col in one
    assert db.table("article_versions").exists()
    assert two["day"] == "2024-05-13" and two["first_seen_at"] == "2024-05-13T10:00:00+00:00"
    assert db.execute("select count(*) from articles_fts").fetchone()[0] == 2
    assert [r[0] for r in db.execute("select number from _migrations order by number")] == \
        list(range(1, LATEST + 1))
    assert db.execute("select value from arshif_meta where key = 'schema_version'"
                      ).fetchone()[0] == str(LATEST)
    assert db.execute("select count(*) from crawl_runs").fetchone()[0] == 1
    assert "idx_articles_search_key_day_source" in {i.name for i in db["articles"].indexes}
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.close()


def test_migrations_run_once(tmp_path):
    path = old_archive(tmp_path)
    db = connect(path)
    applied = db.execute("select number, applied_at from _migrations").fetchall()
    assert apply_migrations(db) == []
    db.close()
    again = connect(path)
    assert again.execute("select number, applied_at from _migrations").fetchall() == applied
    again.close()


def test_new_archive_starts_at_the_latest_version(tmp_path):
    db = connect(tmp_path / "new.db")
    assert db.execute("select max(number) from _migrations").fetchone()[0] == LATEST
    db.close()


def test_covering_index_is_added_to_an_archive_at_version_5(tmp_path):
    """Migration 6: an archive made before the desk's covering index gets it, once."""
    path = tmp_path / "v5.db"
    connect(path).close()
    conn = sqlite3.connect(path)  # as version 5 left it: no index, migration 6 not recorded
    with conn:
        conn.execute("drop index idx_articles_search_key_day_source")
        conn.execute("delete from _migrations where number = 6")
        conn.execute("update arshif_meta set value = '5' where key = 'schema_version'")
    conn.close()
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    assert apply_migrations(db) == [6]
    assert apply_migrations(db) == []
    db.close()
    db = connect(path)  # the declaration and the migration name the same index: no second one
    cols = [r[2] for r in db.execute("pragma index_info(idx_articles_search_key_day_source)")]
    assert cols == ["search_key", "day", "source"]
    indexes = [r[1] for r in db.execute("pragma index_list(articles)")]
    assert indexes.count("idx_articles_search_key_day_source") == 1
    assert len([i for i in indexes if "search_key" in i]) == 2  # the unique key index and this
    assert db.execute("select value from arshif_meta where key = 'schema_version'"
                      ).fetchone()[0] == str(LATEST)
    db.close()
