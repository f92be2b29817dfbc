"""The archive look-ups the crawl's stages and the distributed writer share."""

import pytest

from archive.clusters import stored_article
from archive.schema import connect
from archive.store import save_article, save_sources
from pipelines.dedupe import record_copy, stored_copy

TEXT = "أعلنت خلية الإعلام الأمني مقتل أربعة من عناصر تنظيم داعش جنوب كركوك. " * 5
URL = "http://127.0.0.1:8001/a"


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "arshif.db")
    save_sources(database, [{"name": "s", "title": "S", "homepage": "http://127.0.0.1:8001/"}])
    save_article(database, {"url": URL, "source": "s", "title": "t", "text": TEXT,
                            "content_sha256": "d1", "published": "2024-05-12T14:30:00+03:00"})
    yield database
    database.close()


def test_stored_copy_is_the_same_text_under_another_url(db):
    assert stored_copy(db, "http://127.0.0.1:8001/b", "d1") == URL
    assert stored_copy(db, URL, "d1") is None  # the article itself is no copy
    assert stored_copy(db, "http://127.0.0.1:8001/b", "d2") is None


def test_record_copy_aliases_every_url_of_the_duplicate(db):
    item = {"url": "http://127.0.0.1:8001/b", "final_url": "http://127.0.0.1:8001/b?x=1",
            "requested_url": None, "source": "s"}
    record_copy(db, item, URL)
    rows = db.execute("select alias_url from aliases order by alias_url").fetchall()
    assert [r[0] for r in rows] == ["http://127.0.0.1:8001/b", "http://127.0.0.1:8001/b?x=1"]


def test_stored_article_has_what_assign_reads(db):
    article = stored_article(db, URL)
    assert article is not None and "text" not in article
    assert (article["source"], article["content_sha256"]) == ("s", "d1")
    assert article["published"] == "2024-05-12T14:30:00+03:00" and article["first_seen_at"]
    assert stored_article(db, URL, with_text=True)["text"] == TEXT
    assert stored_article(db, "http://127.0.0.1:8001/none") is None
