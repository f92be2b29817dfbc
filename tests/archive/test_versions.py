"""Versions and deletions: an edited article keeps its earlier text; a vanished page is marked."""

from __future__ import annotations

import shutil
import sqlite3
from urllib.parse import urlsplit

import pytest

from archive.schema import connect
from archive.store import save_article, save_sources
from archive.versions import mark_gone
from crawler.demo.server import SITES_DIR, SiteServer
from tests.archive.test_store import TEXT, article
from tests.conftest import FAST, expected, run_arshif


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "arshif.db")
    save_sources(database, [{"name": "shafaq", "title": "شفق نيوز",
                             "homepage": "https://shafaq.com/ar", "feeds": []}])
    yield database
    database.close()


def test_changed_text_keeps_the_previous_version_with_a_diff(db):
    assert save_article(db, article(warc_file="a.warc.gz", warc_offset=10)) == "new"
    edited = TEXT.replace("أربعة", "خمسة")
    assert save_article(db, article(text=edited, fetched_at="2024-05-13T12:00:00+00:00")) \
        == "updated"
    assert save_article(db, article(text=edited, fetched_at="2024-05-14T12:00:00+00:00")) \
        == "unchanged"
    versions = db.execute("select text, warc_file, warc_offset, superseded_at, diff "
                          "from article_versions").fetchall()
    assert len(versions) == 1
    text, warc_file, offset, superseded, diff = versions[0]
    assert text == TEXT and (warc_file, offset) == ("a.warc.gz", 10)
    assert superseded == "2024-05-13T12:00:00+00:00"
    assert "-" in diff and "+" in diff and "خمسة" in diff
    assert db.execute("select text from articles").fetchone()[0] == edited
    view = db.execute("select version_title, current_title, diff from article_versions_diff")
    assert len(view.fetchall()) == 1


def test_gone_is_marked_once_and_cleared_by_a_new_fetch(db):
    save_article(db, article())
    url = article()["url"]
    assert mark_gone(db, url, "2024-06-01T00:00:00+00:00", 404)
    assert not mark_gone(db, url, "2024-06-02T00:00:00+00:00", 404)
    assert db.execute("select gone_at, gone_status from articles").fetchone() == (
        "2024-06-01T00:00:00+00:00", 404)
    assert db.execute("select count(*) from gone_articles").fetchone()[0] == 1
    save_article(db, article(fetched_at="2024-07-01T00:00:00+00:00"))
    assert db.execute("select gone_at from articles").fetchone()[0] is None


def _page_file(outlet, url):
    path = urlsplit(url).path
    route = (outlet.config.get("routes") or {}).get(path)
    if route is not None:
        return None  # routed pages are left alone
    return outlet._file_for(path)


def test_revisit_crawl_versions_edits_and_marks_gone_pages(tmp_path):
    root = tmp_path / "sites"
    shutil.copytree(SITES_DIR, root)
    with SiteServer(root) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "arshif.db"
        first = run_arshif("crawl", "--sources", sources, "--db", db, *FAST)
        assert first.returncode == 0, first.stderr[-3000:]
        # Pick two UTF-8 article pages served from files: edit one, delete the other.
        pages = []
        for outlet in server.outlets:
            for art in expected(outlet)["articles"]:
                file = _page_file(outlet, art["url"])
                if file and art.get("must_contain"):
                    try:
                        file.read_bytes().decode("utf-8")
                    except UnicodeDecodeError:
                        continue
                    pages.append((art, file))
        (edited, edited_file), (removed, removed_file) = pages[0], pages[1]
        snippet = edited["must_contain"][0]
        html = edited_file.read_text("utf-8")
        edited_file.write_text(html.replace(snippet, snippet + " وأكد مصدر أمني صحة الخبر"),
                               "utf-8")
        removed_file.unlink()
        second = run_arshif("crawl", "--sources", sources, "--db", db, "--revisit", *FAST)
        assert second.returncode == 0, second.stderr[-3000:]
    conn = sqlite3.connect(db)
    text = conn.execute("select text from articles where url = ?", [edited["url"]]).fetchone()[0]
    assert "وأكد مصدر أمني صحة الخبر" in text
    old = conn.execute("select text, diff from article_versions where url = ?",
                       [edited["url"]]).fetchall()
    assert len(old) == 1 and "وأكد مصدر أمني" not in old[0][0] and "وأكد مصدر أمني" in old[0][1]
    gone = conn.execute("select gone_at, gone_status, text from articles where url = ?",
                        [removed["url"]]).fetchone()
    assert gone[0] and gone[1] == 404 and gone[2], "the row stays, marked gone"
    conn.close()
