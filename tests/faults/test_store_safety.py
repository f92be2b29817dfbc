"""The writer's last line of defence: no article row without its text, writes in transactions."""

from __future__ import annotations

import sqlite3

import pytest

from archive.schema import connect
from archive.store import save_article, save_sources

ARTICLE = {"url": "http://127.0.0.1:9/a", "source": "s", "title": "عنوان",
           "text": "نص الخبر عن داعش في العراق", "fetched_at": "2024-03-05T10:00:00+00:00"}


@pytest.fixture
def db(tmp_path):
    conn = connect(tmp_path / "arshif.db")
    save_sources(conn, [{"name": "s", "title": "t", "homepage": "http://127.0.0.1:9/"}])
    yield conn
    conn.close()


@pytest.mark.parametrize("text", [None, "", "   \n\t ", b"bytes"])
def test_store_refuses_an_article_without_text(db, text):
    with pytest.raises(ValueError, match="without text"):
        save_article(db, ARTICLE | {"text": text})
    assert db.execute("select count(*) from articles").fetchone()[0] == 0


def test_not_null_constraint_backs_the_check(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into articles (url, source, text, fetched_at, content_sha256) "
                   "values ('http://127.0.0.1:9/b', 's', null, 'x', 'y')")


def test_wal_mode_and_article_with_its_index_row(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert save_article(db, ARTICLE) == "new"
    (rowid,) = db.execute("select search_key from articles").fetchone()
    assert db.execute("select count(*) from articles_fts where rowid = ?", [rowid]).fetchone()[0]


def test_failed_index_write_rolls_the_article_back(db, monkeypatch):
    import archive.store as store

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "index_article", broken)
    with pytest.raises(sqlite3.OperationalError):
        save_article(db, ARTICLE)
    assert db.execute("select count(*) from articles").fetchone()[0] == 0
    assert not db.conn.in_transaction
