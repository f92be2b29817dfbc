"""articles_fts rowids follow publication time, so newest-first search is an index walk."""

from __future__ import annotations

import sqlite3

import pytest

from archive.publish import build_datasette
from archive.schema import connect
from archive.search import KEY_SCALE, epoch_seconds
from archive.store import save_article, save_sources

BODY = "واصلت القوات الأمنية عمليات التفتيش في قرى حوض حمرين بحثاً عن خلايا داعش النائمة. " * 6


def article(n: int, published: str | None, **extra) -> dict:
    return {"url": f"https://x.example/{n}", "source": "x", "title": f"خبر رقم {n} عن داعش",
            "text": f"النص {n}. " + BODY, "published": published,
            "fetched_at": "2024-06-01T12:00:00+00:00", **extra}



def newest_first(db, q: str = "داعش") -> list[str]:
    return [r[0] for r in db.execute(
        "select a.url from articles_fts f join articles a on a.search_key = f.rowid "
        "where articles_fts match ? order by f.rowid desc", [q])]


def test_epoch_seconds_reads_baghdad_time_and_offsets():
    assert epoch_seconds("2024-05-10T09:00:00+03:00") == epoch_seconds("2024-05-10T06:00:00Z")
    assert epoch_seconds("2024-05-10") == epoch_seconds("2024-05-10T00:00:00+03:00")
    assert epoch_seconds("2024-05-10T09:00:00") == epoch_seconds("2024-05-10T09:00:00+03:00")
    assert epoch_seconds("not a date") is None and epoch_seconds(None) is None


def test_index_order_is_publication_order_whatever_the_crawl_order(db):
    # Crawled out of order (a backfill finds old stories last); one has no date at all.
    for n, published in [(1, "2024-05-12T09:00:00+03:00"), (2, "2023-01-01"),
                         (3, "2024-05-12T09:30:00+03:00"), (4, None),
                         (5, "2024-05-12T08:59:59+03:00")]:
        save_article(db, article(n, published))
    # No date: placed by when Arshif first saw it (2024-06-01), i.e. the newest.
    expect = ["https://x.example/4", "https://x.example/3", "https://x.example/1",
              "https://x.example/5", "https://x.example/2"]
    assert newest_first(db) == expect
    by_published = [r[0] for r in db.execute(
        "select url from articles where published is not null order by published desc")]
    assert [u for u in expect if u != "https://x.example/4"] == by_published


def test_same_second_gets_distinct_keys_in_insertion_order(db):
    for n in range(1, 6):
        save_article(db, article(n, "2024-05-12"))  # bare dates: all at Baghdad midnight
    keys = [r[0] for r in db.execute("select search_key from articles order by id")]
    base = epoch_seconds("2024-05-12") * KEY_SCALE
    assert keys == [base, base + 1, base + 2, base + 3, base + 4]
    assert newest_first(db) == [f"https://x.example/{n}" for n in (5, 4, 3, 2, 1)]


def test_saving_twice_keeps_one_row_and_one_index_row(db):
    save_article(db, article(1, "2024-05-12T09:00:00+03:00"))
    key = db.execute("select search_key from articles").fetchone()[0]
    assert save_article(db, article(1, "2024-05-12T09:00:00+03:00")) == "unchanged"
    assert db.execute("select count(*), max(search_key) from articles").fetchone() == (1, key)
    assert db.execute("select count(*) from articles_fts").fetchone()[0] == 1


def test_corrected_date_moves_the_index_row(db):
    save_article(db, article(1, "2024-05-12T09:00:00+03:00"))
    save_article(db, article(2, "2024-05-13T09:00:00+03:00"))
    assert newest_first(db) == ["https://x.example/2", "https://x.example/1"]
    assert save_article(db, article(1, "2024-05-14T09:00:00+03:00")) == "updated"
    assert newest_first(db) == ["https://x.example/1", "https://x.example/2"]
    assert db.execute("select count(*) from articles_fts").fetchone()[0] == 2
    orphans = db.execute("select count(*) from articles_fts where rowid not in "
                         "(select search_key from articles)").fetchone()[0]
    assert orphans == 0
    # A re-fetch that finds no date keeps the date and the key.
    key = db.execute("select search_key from articles where id = 1").fetchone()[0]
    save_article(db, article(1, None))
    assert db.execute("select search_key from articles where id = 1").fetchone()[0] == key


def test_old_layout_is_migrated_by_moving_index_rows(tmp_path):
    """An archive whose index rowid was articles.id gets search keys and a moved index."""
    path = tmp_path / "old.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    save_article(db, article(1, "2024-05-12T09:00:00+03:00"))
    save_article(db, article(2, "2023-05-12T09:00:00+03:00"))
    # Rewind to the layout of migration 3: FTS rowid = id, no keys, migration 4 not applied.
    rows = db.execute("select a.id, f.title, f.description, f.text from articles a "
                      "join articles_fts f on f.rowid = a.search_key").fetchall()
    db.execute("delete from articles_fts")
    for row in rows:
        db.execute("insert into articles_fts(rowid, title, description, text) "
                   "values (?, ?, ?, ?)", list(row))
    db.execute("drop index idx_articles_search_key")
    db.execute("update articles set search_key = null")
    db.execute("delete from _migrations where number = 4")
    db.close()
    db = connect(path)
    assert newest_first(db) == ["https://x.example/1", "https://x.example/2"]
    assert db.execute("select count(*) from articles_fts").fetchone()[0] == 2
    assert db.execute("select count(*) from articles where search_key is null").fetchone()[0] == 0
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    db.close()


def test_newest_first_plan_is_an_index_walk(db):
    for n in range(1, 4):
        save_article(db, article(n, f"2024-05-1{n}"))
    plan = " ".join(r[3] for r in db.execute(
        "explain query plan select rowid from articles_fts where articles_fts match 'x' "
        "order by rowid desc limit 50"))
    assert "TEMP B-TREE" not in plan  # FTS5 returns rowids in order: nothing is sorted


@pytest.mark.asyncio
async def test_canned_search_newest_and_relevance(tmp_path):
    path = tmp_path / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    # Saved out of publication order; 3 names Kirkuk in its title and text, 1 only in passing.
    save_article(db, article(3, "2024-05-10T09:00:00+03:00", title="هجوم في كركوك",
                             text="كركوك كركوك: هجوم على قرية في كركوك. " + BODY))
    save_article(db, article(1, "2024-05-14T09:00:00+03:00",
                             text="مرّ الرتل قرب كركوك. " + BODY))
    save_article(db, article(2, "2024-05-12T09:00:00+03:00"))
    db.close()
    ds = build_datasette(path)
    newest = (await ds.client.get("/arshif/search.json", params={
        "q": "كركوك", "_shape": "array"})).json()
    assert [r["id"] for r in newest] == [2, 1]  # ids are save order: 3 → id 1, 1 → id 2
    ranked = (await ds.client.get("/arshif/search.json", params={
        "q": "كركوك", "sort": "relevance", "_shape": "array"})).json()
    assert [r["id"] for r in ranked] == [1, 2]
    assert "<mark>" in ranked[0]["snippet"]
    everything = (await ds.client.get("/arshif/search.json", params={
        "q": "داعش", "_shape": "array"})).json()
    assert [r["published"][:10] for r in everything] == ["2024-05-14", "2024-05-12",
                                                         "2024-05-10"]
    feed = await ds.client.get("/arshif/search_feed.atom", params={"q": "كركوك"})
    assert feed.status_code == 200
    assert "x.example/2" not in feed.text  # no Kirkuk in it
    assert feed.text.index("https://x.example/1") < feed.text.index("https://x.example/3")


def test_sqlite_has_fts5_rowid_order():
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(x)")
    conn.executemany("insert into t(rowid, x) values (?, 'a')", [(5,), (1,), (9,)])
    assert [r[0] for r in conn.execute(
        "select rowid from t where t match 'a' order by rowid desc")] == [9, 5, 1]


@pytest.mark.asyncio
async def test_relevance_ranks_the_newest_10000_matches_unless_scope_all(tmp_path):
    """Ranking cost grows with the matches, so relevance looks at the newest 10,000."""
    from archive.arabic import index_text

    path = tmp_path / "big.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    n = 10_050
    plain, strong = "ذكر التقرير حمرين مرة واحدة في سياق آخر", "حمرين حمرين حمرين"
    rows = [(i, i, f"https://x.example/{i}", "x", strong if i == 1 else "خبر",
             plain, "h", "2024-01-01T00:00:00+00:00") for i in range(1, n + 1)]
    with db.conn:
        db.execute("begin")
        db.conn.executemany(
            "insert into articles (id, search_key, url, source, title, text, content_sha256, "
            "fetched_at) values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.conn.executemany(
            "insert into articles_fts (rowid, title, description, text) values (?, ?, '', ?)",
            [(r[1], index_text(r[4]), index_text(r[5])) for r in rows])
    db.close()
    ds = build_datasette(path)

    async def top(**params) -> list[int]:
        data = (await ds.client.get("/big/search.json", params={
            "q": "حمرين", "_shape": "array", **params})).json()
        return [r["id"] for r in data]

    assert (await top())[:2] == [n, n - 1]  # newest first
    assert 1 not in await top(sort="relevance")  # its match is older than the newest 10,000
    assert (await top(sort="relevance", scope="all"))[0] == 1  # three title hits win
