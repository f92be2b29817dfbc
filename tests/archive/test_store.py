"""archive.store: idempotent saves, tracking URLs, crawl_runs, and the schema."""

import json
import sqlite3

import pytest

from archive.schema import connect, ensure_schema
from archive.store import record_run, save_article, save_sources
from archive.urls import canonical_url

TEXT = ("أعلنت خلية الإعلام الأمني مقتل أربعة من عناصر تنظيم داعش في ضربة جوية على وادي الشاي "
        "جنوب كركوك، فيما تواصل القوات عمليات التفتيش في تلال حمرين. ") * 5


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "arshif.db")
    save_sources(database, [{"name": "shafaq", "title": "شفق نيوز",
                             "homepage": "https://shafaq.com/ar", "feeds": []}])
    yield database
    database.close()


def article(**kw):
    base = {"url": "https://shafaq.com/ar/أمن/مقتل-أربعة", "source": "shafaq",
            "title": "مقتل أربعة من داعش جنوب كركوك", "published": "2024-05-12T14:30:00+03:00",
            "date_source": "jsonld", "text": TEXT, "fetched_at": "2024-05-12T12:00:00+00:00",
            "language": "ar", "language_score": 0.99, "tags": ["داعش", "كركوك"]}
    return base | kw


def test_wal_and_schema_are_idempotent(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    before = db.execute("select sql from sqlite_master order by name").fetchall()
    ensure_schema(db)
    ensure_schema(db)
    assert db.execute("select sql from sqlite_master order by name").fetchall() == before


def test_saving_the_same_article_twice_leaves_one_row(db):
    assert save_article(db, article()) == "new"
    assert save_article(db, article(fetched_at="2024-05-13T12:00:00+00:00")) == "unchanged"
    assert db.execute("select count(*) from articles").fetchone()[0] == 1
    assert db.execute("select count(*) from articles_fts").fetchone()[0] == 1
    row = db.execute("select first_seen_at, fetched_at, day, tags from articles").fetchone()
    assert row[0] == "2024-05-12T12:00:00+00:00" and row[1] == "2024-05-13T12:00:00+00:00"
    assert row[2] == "2024-05-12"
    assert json.loads(row[3]) == ["داعش", "كركوك"]


def test_tracking_parameter_url_maps_to_the_same_row(db):
    plain = canonical_url("https://shafaq.com/ar/أمن/مقتل-أربعة")
    tracked = canonical_url("https://shafaq.com/ar/أمن/مقتل-أربعة?utm_source=rss&fbclid=x#c")
    assert save_article(db, article(url=plain)) == "new"
    assert save_article(db, article(url=tracked)) == "unchanged"
    assert db.execute("select count(*) from articles").fetchone()[0] == 1


def test_changed_text_updates_row_and_index(db):
    save_article(db, article())
    new_text = TEXT + " وأكدت المصادر أن العملية جاءت بناء على معلومات استخبارية دقيقة."
    assert save_article(db, article(text=new_text)) == "updated"
    assert db.execute("select text from articles").fetchone()[0] == new_text
    assert db.execute("select count(*) from articles_fts").fetchone()[0] == 1


def test_refetch_without_date_keeps_earlier_date(db):
    save_article(db, article())
    save_article(db, article(published=None, date_source=None))
    row = db.execute("select published, date_source from articles").fetchone()
    assert row == ("2024-05-12T14:30:00+03:00", "jsonld")


def test_article_without_text_is_refused(db):
    with pytest.raises(ValueError, match="without text"):
        save_article(db, article(text=""))
    assert db.execute("select count(*) from articles").fetchone()[0] == 0


def test_unknown_source_is_refused_by_foreign_key(db):
    with pytest.raises(sqlite3.IntegrityError):
        save_article(db, article(source="nope"))
    assert db.execute("select count(*) from articles").fetchone()[0] == 0


def test_record_run_upserts_one_row_per_run_and_source(db):
    record_run(db, "r1", "shafaq", "2024-05-12T00:00:00+00:00", "running", {"pages": 1})
    record_run(db, "r1", "shafaq", "2024-05-12T00:00:00+00:00", "finished",
               {"pages": 7, "new": 3, "dropped": {"not_arabic": 2, "http_error": 1}},
               "2024-05-12T00:05:00+00:00")
    rows = db.execute("select status, pages, new, dropped, finished from crawl_runs").fetchall()
    assert rows == [("finished", 7, 3, '{"http_error": 1, "not_arabic": 2}',
                     "2024-05-12T00:05:00+00:00")]
