"""The extract stage on saved fixture bytes: article or not, clean text, metadata, encodings."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse

from crawler.demo.server import SITES_DIR
from pipelines.extract import clean_title, extract_article
from pipelines.sources import Source

SITES = SITES_DIR
BASE = "http://127.0.0.1:8765"


def page(outlet: str, rel: str, content_type: str = "text/html; charset=UTF-8") -> dict:
    """A page item built the way the spider builds it, from a fixture file's raw bytes."""
    body = (SITES / outlet / "public" / rel).read_bytes().replace(b"{base}", BASE.encode())
    url = f"{BASE}/{rel.removesuffix('index.html')}"
    response = HtmlResponse(url=url, body=body, headers={"Content-Type": content_type})
    return {"source": outlet, "url": url, "final_url": response.url, "status": 200,
            "content_type": content_type, "body": response.body, "hints": {}}


SOURCE = Source(name="rafidain", title="الرافدين نيوز", homepage=BASE + "/")


def test_wordpress_article_clean_text_and_metadata():
    item = page("rafidain", "2020/04/12/hamrin-attack-curfew/index.html")
    extract_article(item, SOURCE, 40)
    assert item["title"] == "مقتل ثلاثة مقاتلين بهجوم لـ«داعش» على نقطة مراقبة في تلال حمرين"
    assert item["published"] == "2020-04-12T11:15:00+03:00" and item["date_source"] == "jsonld"
    assert "وتُعدّ تلال حمرين" in item["text"]
    for boilerplate in ("الأكثر قراءة", "Exit mobile version", "جميع الحقوق محفوظة"):
        assert boilerplate not in item["text"]
    assert item["word_count"] > 100 and len(item["content_sha256"]) == 64
    assert item["encoding"] == "utf-8" and item["encoding_source"] == "http_header"


def test_print_version_points_at_canonical_url():
    item = page("rafidain", "2020/04/12/hamrin-attack-curfew/index.html")
    item["final_url"] = item["url"] + "?print=1"
    extract_article(item, SOURCE, 40)
    assert item["url"] == f"{BASE}/2020/04/12/hamrin-attack-curfew/"


@pytest.mark.parametrize(
    ("rel", "why"),
    [("tag/daesh/index.html", "collectionpage"), ("about/index.html", "aboutpage"),
     ("privacy-policy/index.html", "webpage"), ("index.html", "collectionpage")],
)
def test_site_pages_are_not_articles(rel, why):
    with pytest.raises(DropItem, match=f"not_article: page type {why}"):
        extract_article(page("rafidain", rel), SOURCE, 40)


def test_pdf_and_binary_are_not_articles():
    item = {"source": "rafidain", "url": BASE + "/r.pdf", "content_type": "application/pdf",
            "body": b"%PDF-1.4 ...", "hints": {}}
    with pytest.raises(DropItem, match="not_article: not an HTML page"):
        extract_article(item, SOURCE, 40)
    item |= {"content_type": "text/html", "body": b"%PDF-1.4\x00\x01binary"}
    with pytest.raises(DropItem, match="not_article"):
        extract_article(item, SOURCE, 40)


def test_empty_page_is_not_an_article():
    item = {"source": "rafidain", "url": BASE + "/x", "content_type": "text/html", "body": b"",
            "hints": {}}
    with pytest.raises(DropItem, match="not_article"):
        extract_article(item, SOURCE, 40)


def test_windows_1256_without_any_declared_charset():
    item = page("dijla", "news/iraqi-league-season-cancelled.html", content_type="text/html")
    assert b"charset" not in item["body"].lower()
    extract_article(item, Source(name="dijla", title="دجلة", homepage=BASE + "/"), 40)
    assert item["encoding"] == "cp1256" and item["encoding_source"] == "detected"
    assert item["title"] == "اتحاد الكرة يُنهي الموسم دون تتويج بطل بسبب جائحة كورونا"
    assert "Ø" not in item["text"] and "Ç" not in item["text"]


def test_windows_1256_declared_in_meta_only():
    item = page("dijla", "news/hawija-power-towers-attack-foiled.html", content_type="text/html")
    extract_article(item, Source(name="dijla", title="دجلة", homepage=BASE + "/"), 40)
    assert item["encoding"] == "cp1256" and item["encoding_source"] == "meta"
    assert "الحويجة" in item["text"]


def test_sitemap_date_used_when_page_has_none():
    item = page("dijla", "news/hawija-power-towers-attack-foiled.html", content_type="text/html")
    item["hints"] = {"sitemap_date": "2020-05-07T18:25:00+03:00", "via": "news_sitemap"}
    extract_article(item, Source(name="dijla", title="دجلة", homepage=BASE + "/"), 40)
    assert (item["published"], item["date_source"]) == ("2020-05-07T18:25:00+03:00", "sitemap")


def test_url_pattern_makes_a_plain_page_an_article():
    body = ("<html lang='ar'><body><div class='story'><h1>عنوان</h1><p>"
            + "أعلنت قيادة العمليات المشتركة انطلاق عملية أمنية واسعة في صحراء الأنبار. " * 12
            + "</p></div></body></html>").encode()
    item = {"source": "x", "url": BASE + "/news/123", "content_type": "text/html", "body": body,
            "hints": {}}
    with pytest.raises(DropItem, match="no article signals"):
        extract_article(dict(item), Source(name="x", title="x", homepage=BASE + "/"), 40)
    src = Source(name="x", title="x", homepage=BASE + "/", article_url_pattern=r"/news/\d+$")
    extract_article(item, src, 40)
    assert "صحراء الأنبار" in item["text"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("مقتل ثلاثة - الرافدين نيوز", "مقتل ثلاثة"),
     ("مقتل ثلاثة | الرافدين نيوز", "مقتل ثلاثة"),
     ("الرافدين نيوز | مقتل ثلاثة", "مقتل ثلاثة"),
     ("كركوك - مقتل ثلاثة", "كركوك - مقتل ثلاثة"),
     ("  مقتل   ثلاثة  ", "مقتل ثلاثة")],
)
def test_clean_title(raw, clean):
    assert clean_title(raw, ["الرافدين نيوز"]) == clean
