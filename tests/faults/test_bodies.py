"""Bodies that lie or break: binaries as HTML, empty, truncated, deep, NULs, bad bytes, titles."""

from __future__ import annotations

import pytest

from archive.publish import build_datasette
from pipelines.extract import TITLE_MAX_CHARS, cap_title
from tests.conftest import query


@pytest.mark.parametrize("path", ["/f/binary", "/f/pdf", "/f/empty"])
def test_binary_pdf_and_empty_bodies_are_not_articles(hostile, path):
    assert hostile.article(path) is None
    assert hostile.logged(rf"Dropped {hostile.site.url(path)}: not_article: not an HTML page")
    assert hostile.details["not_article: not an HTML page (text/html)"] == 3


def test_truncated_html_keeps_what_arrived(hostile):
    row = hostile.article("/f/truncated")
    assert row is not None and "داعش" in row["text"]
    assert len(row["text"]) < len(hostile.article("/good/1")["text"]) * 1.5


def test_deeply_nested_html_does_not_stop_the_crawl(hostile):
    # libxml2 stops at depth 256 without huge_tree: too little text is left to be an article.
    assert hostile.article("/f/deep") is None
    assert hostile.logged(r"Dropped .*/f/deep: not_article")
    assert hostile.detail("not_article", "body too short") == 1


def test_nul_bytes_do_not_reach_the_archive(hostile):
    row = hostile.article("/f/nul")
    assert row is not None
    assert "\x00" not in row["text"] and "\x00" not in (row["title"] or "")


def test_invalid_utf8_replaced_not_fatal(hostile):
    row = hostile.article("/f/bad-utf8")
    assert row is not None and row["encoding"] == "utf-8"
    assert "\ufffd" in row["text"] and "داعش" in row["text"]


def test_mislabelled_charset_detected(hostile):
    row = hostile.article("/f/mislabelled")
    assert row is not None and row["encoding"] == "cp1256"
    assert "عملية أمنية في الأنبار" in row["title"] and "داعش" in row["text"]


def test_future_date_rejected_feed_date_used(hostile):
    row = hostile.article("/f/future-date")
    assert row is not None
    assert row["published"].startswith("2024-03-05") and row["date_source"] == "feed"


def test_100k_char_title_capped(hostile):
    row = hostile.article("/f/long-title")
    assert row is not None
    assert len(row["title"]) <= TITLE_MAX_CHARS and row["title"].endswith("…")
    fts = query(hostile.db, "select length(title) n from articles_fts where rowid = ?",
                (row["search_key"],))
    assert fts[0]["n"] <= TITLE_MAX_CHARS * 2


def test_cap_title_cuts_at_a_word():
    assert cap_title("قصير") == "قصير"
    capped = cap_title("كلمة " * 1000, limit=100)
    assert len(capped) <= 100 and capped.endswith("كلمة…")


@pytest.mark.asyncio
async def test_script_in_title_and_text_stored_as_text_and_escaped(hostile):
    row = hostile.article("/f/script")
    assert row["title"] == "خبر <script>alert(1)</script> عاجل"
    assert "<script>alert(2)</script>" in row["text"] and "pwned" not in row["text"]
    ds = build_datasette(hostile.db)
    page = await ds.client.get(f"/{hostile.db.stem}/articles/{row['id']}")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "<script>alert(2)" not in page.text
    assert "&lt;script&gt;alert(1)" in page.text
