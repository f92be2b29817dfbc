"""A real `arshif serve` in headless Chromium: Arabic search, snippets, an RTL article page."""

import os
import shutil
from pathlib import Path

import pytest

from archive.schema import connect
from archive.store import save_article, save_sources
from tests.conftest import chromium_page, serving

QUERY = "الدوله الاسلاميه"  # the article spells it الدَّولة الإسلامية
FILLER = "وقالت مصادر محلية إن الوضع في المنطقة هادئ نسبياً بعد انتهاء العملية. "



def make_archive(path: Path) -> Path:
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس نيوز", "homepage": "https://x.example/"}])
    save_article(db, {
        "url": "https://x.example/kirkuk", "source": "x", "author": "مراسل إكس",
        "title": "تنظيم الدولة الإسلامية يتبنى هجوم كركوك",
        "published": "2024-05-01T09:00:00+03:00",
        "text": ("أعلن تنظيم الدَّولة الإسلامية مسؤوليته عن الهجوم على قرية قرب كركوك.\n"
                 "وقال مسؤول أمني لوكالة Reuters إن 12 عنصراً شاركوا في الهجوم.\n" + FILLER * 5),
    })
    save_article(db, {
        "url": "javascript:alert(1)", "source": "x", "title": "<script>alert(1)</script>",
        "published": "2024-04-01T09:00:00+03:00",
        "text": "خبر آخر عن الدولة الإسلامية <img src=x onerror=alert(1)>.\n" + FILLER * 5,
    })
    db.close()
    return path


@pytest.fixture
def server(tmp_path):
    """`arshif serve` on a free port, stopped after the test."""
    with serving(make_archive(tmp_path / "arshif.db")) as (base, _):
        yield base


@pytest.fixture
def page(tmp_path):
    """A page in a fresh headless Chromium profile that never talks to the network on its own."""
    with chromium_page(tmp_path / "profile") as page:
        yield page


def alignment(page, selector: str) -> dict:
    """Gap between the element's text and its box, left and right, plus its direction."""
    return page.eval_on_selector(selector, """el => {
        const range = document.createRange(); range.selectNodeContents(el);
        const text = range.getBoundingClientRect(), box = el.getBoundingClientRect();
        return {left: text.left - box.left, right: box.right - text.right,
                direction: getComputedStyle(el).direction};
    }""")


def test_search_snippet_and_rtl_article_page(server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # The table's own search box, spelt differently from the text: the match is highlighted.
    page.goto(server + "/arshif/articles")
    page.fill("#_search", QUERY)
    page.press("#_search", "Enter")
    page.wait_for_selector("td.col-text mark")
    marks = page.locator("td.col-text mark").all_inner_texts()
    assert "الدَّولة" in marks and "الإسلامية" in marks
    title_cell = alignment(page, "td.col-title")
    assert title_cell["right"] < 12 < title_cell["left"]  # Arabic cell: right-aligned
    url_cell = alignment(page, "td.col-url")
    assert url_cell["left"] <= url_cell["right"]  # the URL stays left-aligned
    page.screenshot(path=str(tmp_path / "table.png"))

    # The search page with snippets: type the query, see the article and its snippet.
    page.goto(server + "/arshif/search")
    page.fill("input[name=q]", QUERY)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("td.col-snippet mark")
    row = page.locator("tr", has_text="كركوك")
    assert row.locator("td.col-snippet mark").first.inner_text() == "الدَّولة"
    assert page.locator("td.col-title", has_text="<script>alert(1)</script>").count() == 1
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    # Its article page: the text block is right-to-left and right-aligned.
    row.locator("td.col-title a").click()
    page.wait_for_selector(".article-text")
    title = page.locator("h1.article-title").inner_text()
    assert title == "تنظيم الدولة الإسلامية يتبنى هجوم كركوك"
    assert page.eval_on_selector(".article-text", "el => getComputedStyle(el).direction") == "rtl"
    first = alignment(page, ".article-text p")
    assert first["direction"] == "rtl" and first["right"] < 2
    assert page.locator(".article-url a").get_attribute("href") == (
        "https://x.example/kirkuk")
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

    # The hostile article: its title is text, its javascript: URL is not a link, nothing ran.
    page.goto(server + "/arshif/latest_from_source?source=x")
    page.locator("td.col-title a", has_text="<script>").click()
    page.wait_for_selector(".article-text")
    assert page.locator("h1.article-title").inner_text() == "<script>alert(1)</script>"
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator(".article-text img").count() == 0
    assert dialogs == []
    if os.environ.get("ARSHIF_SCREENSHOTS"):  # keep the screenshots for a human to look at
        for name in ("table.png", "search.png", "article.png"):
            shutil.copy(tmp_path / name, Path(os.environ["ARSHIF_SCREENSHOTS"]) / name)
