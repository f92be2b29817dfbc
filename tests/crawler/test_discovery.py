"""Feeds, sitemaps and listing pages parsed into candidate URLs, safely."""

import pytest

from crawler.discovery import (
    FeedError,
    feed_links,
    page_links,
    parse_feed,
    parse_html,
    parse_sitemap,
)

BASE = "http://127.0.0.1:9/"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>شفق</title>
<item><title>مقتل ثلاثة من داعش في حمرين</title><link>http://127.0.0.1:9/a/1?utm_source=rss</link>
<pubDate>Sun, 12 May 2024 09:15:00 GMT</pubDate></item>
<item><title>بلا رابط</title><guid isPermaLink="true">http://127.0.0.1:9/a/2</guid></item>
<item><title>بلا شيء</title></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>زاكروس</title>
<entry><title>خبر</title><link rel="alternate" href="/ar/1"/><link rel="enclosure" href="/x.jpg"/>
<published>2024-05-12T10:00:00+03:00</published><updated>2024-05-13T10:00:00+03:00</updated></entry>
</feed>""".encode()

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://127.0.0.1:9/n/1</loc><news:news><news:publication>
<news:name>دجلة</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>2024-05-12T08:00:00+03:00</news:publication_date>
<news:title>عنوان الخبر</news:title></news:news></url>
<url><loc>http://127.0.0.1:9/n/2</loc><lastmod>2024-05-01</lastmod></url>
</urlset>""".encode()


def test_rss():
    entries = parse_feed(RSS, BASE)
    assert [e.url for e in entries] == ["http://127.0.0.1:9/a/1?utm_source=rss",
                                        "http://127.0.0.1:9/a/2"]
    assert entries[0].title == "مقتل ثلاثة من داعش في حمرين"
    assert entries[0].date == "Sun, 12 May 2024 09:15:00 GMT"


def test_atom_prefers_published_and_alternate_link():
    (entry,) = parse_feed(ATOM, "http://127.0.0.1:9/atom.xml")
    assert entry.url == "http://127.0.0.1:9/ar/1"
    assert entry.date == "2024-05-12T10:00:00+03:00"


def test_news_sitemap_keeps_news_fields():
    kind, entries = parse_sitemap(NEWS_SITEMAP, BASE)
    assert kind == "urlset"
    assert entries[0].news and entries[0].date == "2024-05-12T08:00:00+03:00"
    assert entries[0].title == "عنوان الخبر"
    assert not entries[1].news and entries[1].lastmod == "2024-05-01"


def test_sitemap_index():
    body = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>http://127.0.0.1:9/s1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(body, BASE) == ("index", parse_sitemap(body, BASE)[1])
    assert parse_sitemap(body, BASE)[1][0].url == "http://127.0.0.1:9/s1.xml"


@pytest.mark.parametrize(
    "body", [b"", b"<rss><channel><item>", b"<html><body>not a feed</body></html>",
             b"\x00\x01\x02binary"],
)
def test_broken_feeds_raise_feed_error(body):
    with pytest.raises(FeedError):
        parse_feed(body, BASE)


def test_entity_expansion_is_not_performed():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><item><title>&lol3;</title><link>http://127.0.0.1:9/a</link></item></channel></rss>"""
    entries = parse_feed(bomb, BASE)
    assert len(entries) == 1
    assert "lollol" not in (entries[0].title or "")


def test_external_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>
<rss><channel><item><title>&x;</title><link>http://127.0.0.1:9/a</link></item></channel></rss>"""
    entries = parse_feed(body.encode(), BASE)
    assert "TOP-SECRET" not in (entries[0].title or "")


def test_feed_autodiscovery_and_links():
    page = """<html><head>
    <link rel="alternate" type="application/rss+xml" href="/feed/">
    <link rel="alternate" type="application/atom+xml" href="http://127.0.0.1:9/atom.xml">
    <link rel="stylesheet" href="/s.css"></head><body>
    <a href="/2024/05/12/x/#comments">خبر</a><a href="/2024/05/12/x/">خبر</a>
    <a href="/report.pdf">تقرير</a><a href="mailto:a@b">بريد</a><a href="javascript:void(0)">x</a>
    <a href="https://other.example/y">خارجي</a></body></html>"""
    tree = parse_html(page)
    assert feed_links(tree, BASE) == ["http://127.0.0.1:9/feed/", "http://127.0.0.1:9/atom.xml"]
    assert page_links(tree, BASE) == ["http://127.0.0.1:9/2024/05/12/x/", "https://other.example/y"]
