"""Tests for pipelines.dates: signal order, Arabic date forms, time zones, plausibility."""

from __future__ import annotations

import json
from datetime import date, datetime

import lxml.html
import pytest

from pipelines.dates import (
    BAGHDAD,
    PublishedDate,
    extract_published,
    find_text_date,
    parse_date,
)

NOW = datetime(2024, 5, 12, 16, 0, tzinfo=BAGHDAD)


def page(head: str = "", body: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خبر</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


def jsonld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


ARTICLE_BODY = (
    "<article><h1>وزير النفط يعلن زيادة الصادرات</h1>"
    "<p>أعلن وزير النفط العراقي زيادة صادرات البصرة خلال الشهر الحالي.</p></article>"
)
JSONLD = jsonld(
    {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "وزير النفط يعلن زيادة الصادرات",
        "datePublished": "2024-05-11T08:00:00+03:00",
        "publisher": {"@type": "Organization", "name": "وكالة"},
    }
)
META = '<meta property="article:published_time" content="2024-05-10T08:00:00+03:00">'
# htmldate reads the date of the canonical URL; Arshif's own signals 1–4 do not.
CANONICAL = '<link rel="canonical" href="https://example.iq/news/2024/05/07/oil-exports">'
TEXT = "بغداد - الأحد ٥ أيار ٢٠٢٤ - أعلن وزير النفط العراقي زيادة الصادرات."
HINTS = {
    "feed_date": "Thu, 09 May 2024 05:00:00 GMT",
    "sitemap_date": "2024-05-08T08:00:00+03:00",
    "sitemap_lastmod": "2024-05-06",
}


def run(head="", body=ARTICLE_BODY, text=TEXT, hints=None, **kw) -> PublishedDate | None:
    return extract_published(page(head, body), text, hints or {}, now=NOW, **kw)


# ---------------------------------------------------------------------------- signal order


def test_jsonld_beats_everything():
    got = run(JSONLD + META + CANONICAL, hints=HINTS)
    assert got == PublishedDate("2024-05-11T08:00:00+03:00", "jsonld", "+03:00")


def test_meta_beats_feed():
    got = run(META + CANONICAL, hints=HINTS)
    assert got == PublishedDate("2024-05-10T08:00:00+03:00", "meta", "+03:00")


def test_feed_beats_sitemap():
    got = run(CANONICAL, hints=HINTS)
    assert got == PublishedDate("2024-05-09T08:00:00+03:00", "feed", "+00:00")


def test_sitemap_beats_htmldate():
    hints = {k: v for k, v in HINTS.items() if k != "feed_date"}
    got = run(CANONICAL, hints=hints)
    assert got == PublishedDate("2024-05-08T08:00:00+03:00", "sitemap", "+03:00")


def test_htmldate_beats_text_and_lastmod():
    got = run(CANONICAL, hints={"sitemap_lastmod": HINTS["sitemap_lastmod"]})
    assert got is not None
    assert (got.iso, got.source) == ("2024-05-07", "htmldate")


def test_text_beats_sitemap_lastmod():
    got = run(hints={"sitemap_lastmod": HINTS["sitemap_lastmod"]})
    assert got == PublishedDate("2024-05-05", "text", None)


def test_sitemap_lastmod_is_the_last_resort():
    got = run(text="نص بلا تاريخ", hints={"sitemap_lastmod": "2024-05-06T10:00:00Z"})
    assert got == PublishedDate("2024-05-06T13:00:00+03:00", "sitemap_lastmod", "+00:00")


def test_no_signal_at_all():
    assert run(text="نص بلا تاريخ") is None


def test_page_with_only_a_sitemap_date():
    got = run(text="", hints={"sitemap_date": "2024-05-08"})
    assert got == PublishedDate("2024-05-08", "sitemap", None)


def test_feed_date_beats_sidebar_links_from_2019():
    sidebar = "".join(
        f'<li><a href="https://example.iq/2019/01/01/old-{i}">خبر قديم {i}</a></li>'
        for i in range(8)
    )
    body = f'<aside class="sidebar"><ul>{sidebar}</ul></aside>{ARTICLE_BODY}'
    got = run(body=body, text="", hints={"feed_date": "Sat, 11 May 2024 21:30:00 +0000"})
    assert got == PublishedDate("2024-05-12T00:30:00+03:00", "feed", "+00:00")


def test_sidebar_dates_are_not_taken_for_the_article():
    sidebar = "".join(
        f'<li><a href="https://example.iq/2019/01/01/old-{i}">خبر</a>'
        f'<span class="date">01/01/2019</span></li>'
        for i in range(5)
    )
    body = f'<aside class="sidebar"><ul>{sidebar}</ul></aside>{ARTICLE_BODY}'
    got = run(body=body, text="الأحد ١٢ أيار ٢٠٢٤ بغداد")
    assert got == PublishedDate("2024-05-12", "text", None)


# ---------------------------------------------------------------------------- JSON-LD, meta


def test_jsonld_inside_graph_and_lists():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "موقع"},
            {"@type": "WebPage", "datePublished": "2020-01-01T00:00:00+00:00"},
            {"@type": ["ReportageNewsArticle"], "datePublished": "2024-05-11T10:00:00+02:00"},
        ],
    }
    got = run(jsonld([{"@type": "BreadcrumbList"}, graph]))
    assert got == PublishedDate("2024-05-11T11:00:00+03:00", "jsonld", "+02:00")


def test_jsonld_webpage_only_is_not_an_article():
    got = run(jsonld({"@type": "WebPage", "datePublished": "2020-01-01"}) + META)
    assert got is not None and got.source == "meta"


def test_broken_jsonld_still_read():
    raw = '{"@type": "NewsArticle", "datePublished": "2024-05-11T09:00:00Z",}'
    got = run(f'<script type="application/ld+json">{raw}</script>')
    assert got == PublishedDate("2024-05-11T12:00:00+03:00", "jsonld", "+00:00")


@pytest.mark.parametrize(
    "head,body",
    [
        ('<meta itemprop="datePublished" content="2024-05-11">', ARTICLE_BODY),
        ('<meta name="pubdate" content="2024-05-11">', ARTICLE_BODY),
        ('<meta name="PublishDate" content="2024-05-11">', ARTICLE_BODY),
        ('<meta name="DC.date.issued" content="2024-05-11">', ARTICLE_BODY),
        ('<meta name="sailthru.date" content="2024-05-11">', ARTICLE_BODY),
        ('<meta name="parsely-pub-date" content="2024-05-11">', ARTICLE_BODY),
        (
            "",
            '<article><time itemprop="datePublished" datetime="2024-05-11">١١ أيار</time>'
            "</article>",
        ),
    ],
)
def test_meta_variants(head, body):
    assert run(head, body) == PublishedDate("2024-05-11", "meta", None)


def test_meta_in_arabic_words():
    # akhbarelyom writes its article:published_time in Arabic words with a 12-hour clock.
    got = run(
        '<meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">'
    )
    assert got == PublishedDate("2020-10-07T12:09:00+03:00", "meta", None)


def test_unparseable_meta_falls_through():
    # A Jalali meta value (year 1403) is implausible, so the feed date is used.
    head = '<meta property="article:published_time" content="۱۴۰۳/۰۲/۲۳ - ۱۸:۵۹">'
    got = run(head, hints={"feed_date": "2024-05-11T10:00:00Z"})
    assert got == PublishedDate("2024-05-11T13:00:00+03:00", "feed", "+00:00")


def test_midnight_crossing_is_converted_to_baghdad_day():
    # elbaladtv: 23:59 UTC on the 24th is already the 25th in Baghdad.
    got = run('<meta property="article:published_time" content="2023-12-24T23:59:50+00:00">')
    assert got == PublishedDate("2023-12-25T02:59:50+03:00", "meta", "+00:00")


def test_tree_is_not_mutated():
    sidebar = '<aside class="sidebar"><a href="/2019/01/01/x">قديم</a></aside>'
    tree = page(CANONICAL, sidebar + '<nav class="menu">القائمة</nav>' + ARTICLE_BODY)
    before = lxml.html.tostring(tree)
    extract_published(tree, TEXT, {}, now=NOW)
    assert lxml.html.tostring(tree) == before


# ---------------------------------------------------------------------------- plausibility


def test_future_date_rejected_and_next_signal_used():
    head = jsonld({"@type": "NewsArticle", "datePublished": "2024-05-20T10:00:00+03:00"}) + META
    assert run(head) == PublishedDate("2024-05-10T08:00:00+03:00", "meta", "+03:00")


def test_clock_skew_of_less_than_a_day_is_accepted():
    got = run(hints={"feed_date": "2024-05-13T10:00:00+03:00"}, text="")
    assert got == PublishedDate("2024-05-13T10:00:00+03:00", "feed", "+03:00")


def test_date_before_earliest_rejected():
    got = run(META, hints={"feed_date": "2024-05-11"}, earliest=date(2024, 5, 11))
    assert got == PublishedDate("2024-05-11", "feed", None)


def test_default_earliest_is_1995():
    got = run(hints={"feed_date": "Mon, 01 Jan 1990 10:00:00 GMT", "sitemap_date": "2024-05-01"})
    assert got == PublishedDate("2024-05-01", "sitemap", None)


def test_everything_implausible_gives_none():
    got = run(text="سيعقد المؤتمر في 20 حزيران 2030", hints={"feed_date": "2031-01-01"})
    assert got is None


# ---------------------------------------------------------------------------- parse_date


def iso(value: str, now: datetime = NOW) -> tuple[str, str | None]:
    res = parse_date(value, now)
    assert res is not None, value
    dt, has_time, tz = res
    return (dt.isoformat() if has_time else dt.date().isoformat()), tz


@pytest.mark.parametrize(
    "value,expected,tz",
    [
        ("Sun, 12 May 2024 09:15:00 GMT", "2024-05-12T12:15:00+03:00", "+00:00"),
        ("Sun, 12 May 2024 09:15:00 +0200", "2024-05-12T10:15:00+03:00", "+02:00"),
        ("2024-05-12 14:30", "2024-05-12T14:30:00+03:00", None),
        ("2024-05-12T11:30:00Z", "2024-05-12T14:30:00+03:00", "+00:00"),
        ("2024-05-12T11:30:00.000+00:00", "2024-05-12T14:30:00+03:00", "+00:00"),
        ("2024-05-12T14:30+0400", "2024-05-12T13:30:00+03:00", "+04:00"),
        ("2024-05-12 T 14:30:00 +0330", "2024-05-12T14:00:00+03:00", "+03:30"),
        ("2024-05-12", "2024-05-12", None),
        ("2024/05/12", "2024-05-12", None),
        ("12-05-2024", "2024-05-12", None),
        ("12/05/2024 14:30", "2024-05-12T14:30:00+03:00", None),
        ("5/24/2024 9:23:13 AM", "2024-05-24T09:23:13+03:00", None),
        ("الأحد ١٢ أيار ٢٠٢٤", "2024-05-12", None),
        ("الاحد 12 ايار 2024", "2024-05-12", None),
        ("24 نيسان/أبريل 2024", "2024-04-24", None),
        ("24 نيسان / أبريل 2024 09:22 مساءً", "2024-04-24T21:22:00+03:00", None),
        ("10 حزيران (يونيو) 2024", "2024-06-10", None),
        ("3 يونيه 2023", "2023-06-03", None),
        ("15 تشرين الثاني 2023", "2023-11-15", None),
        ("15 تشرين الأول 2023", "2023-10-15", None),
        ("2 كانون الثاني 2024", "2024-01-02", None),
        ("31 كانون الأول 2023", "2023-12-31", None),
        ("1 آب 2023", "2023-08-01", None),
        ("الخميس، 9 مايو 2024 الساعة 14:30", "2024-05-09T14:30:00+03:00", None),
        ("9 مايو 2024 - 2:30 م", "2024-05-09T14:30:00+03:00", None),
        ("9 مايو 2024 - 2:30 ص", "2024-05-09T02:30:00+03:00", None),
        ("9 مايو 2024 12:10 صباحًا", "2024-05-09T00:10:00+03:00", None),
        ("9 أغسطس 2023", "2023-08-09", None),
        ("9 ابريل 2024", "2024-04-09", None),
        ("May 9, 2024", "2024-05-09", None),
        ("منذ ساعتين", "2024-05-12T14:00:00+03:00", None),
        ("منذ 3 ساعات", "2024-05-12T13:00:00+03:00", None),
        ("منذ دقيقة", "2024-05-12T15:59:00+03:00", None),
        ("منذ 5 دقائق", "2024-05-12T15:55:00+03:00", None),
        ("منذ يومين", "2024-05-10", None),
        ("منذ 3 أيام", "2024-05-09", None),
        ("أمس", "2024-05-11", None),
        ("اليوم", "2024-05-12", None),
        ("اليوم الساعة 09:05", "2024-05-12T09:05:00+03:00", None),
    ],
)
def test_parse_date(value, expected, tz):
    assert iso(value) == (expected, tz)


@pytest.mark.parametrize("value", ["", "   ", "غدا", "بدون تاريخ", "31/02/2024", "2024-13-01"])
def test_parse_date_rejects_non_dates(value):
    assert parse_date(value, NOW) is None


def test_parse_date_with_naive_now_assumes_baghdad():
    dt, has_time, tz = parse_date("منذ ساعة", datetime(2024, 5, 12, 16, 0))
    assert dt.isoformat() == "2024-05-12T15:00:00+03:00" and has_time and tz is None


# ---------------------------------------------------------------------------- find_text_date


def test_find_text_date_first_plausible():
    text = "الموعد المقرر 1 كانون الثاني 2031 ملغى. نشر في 3 آذار/مارس 2024 ثم عدّل في 4 آذار 2024"
    dt, has_time, _ = find_text_date(text, NOW)
    assert dt.date() == date(2024, 3, 3) and not has_time


def test_find_text_date_only_looks_at_the_beginning():
    assert find_text_date("كلام " * 1000 + " 12 أيار 2024", NOW) is None


def test_bare_yesterday_in_running_text_is_not_a_date():
    text = "قال الوزير أمس إن الصادرات ارتفعت. " * 5
    assert find_text_date(text, NOW) is None


def test_relative_date_in_byline():
    body = '<article><div class="post-meta">منذ ساعتين</div><p>نص الخبر</p></article>'
    got = run(body=body, text="نص الخبر")
    assert got == PublishedDate("2024-05-12T14:00:00+03:00", "text", None)


def test_byline_with_double_month_and_evening_time():
    body = (
        '<div class="article_created">تم نشره الجمعة 24 نيسان / أبريل 2024 09:22 مساءً</div>'
        + ARTICLE_BODY
    )
    got = run(body=body, text="نص")
    assert got == PublishedDate("2024-04-24T21:22:00+03:00", "text", None)


def test_iraqi_month_in_article_text():
    got = run(text="بغداد - الأحد ١٢ أيار ٢٠٢٤ - قال مسؤول عراقي")
    assert got == PublishedDate("2024-05-12", "text", None)


def test_iso_values_go_through_the_archive_reader():
    # One ISO rule with archive.isotime: naive is Baghdad, a written zone is kept as tz_given.
    assert parse_date("2024-05-12T09:00:00") == (datetime(2024, 5, 12, 9, tzinfo=BAGHDAD), True,
                                                 None)
    dt, has_time, tz = parse_date("2024-05-12T06:00:00.5Z")
    assert (dt, has_time, tz) == (datetime(2024, 5, 12, 9, tzinfo=BAGHDAD), True, "+00:00")
    assert parse_date("2024-05-12")[1:] == (False, None)
    # Looser ISO-like forms still reach the text forms.
    assert parse_date("2024-5-12 9:00 GMT")[0] == datetime(2024, 5, 12, 12, tzinfo=BAGHDAD)


def test_shared_fold_links_em_dash_and_keeps_rlm_as_a_break():
    # archive.arabic.fold turns — into -, a connector before the time.
    assert parse_date("12 May 2024 — 14:30")[0] == datetime(2024, 5, 12, 14, 30, tzinfo=BAGHDAD)
    assert parse_date("12\u200fمايو 2024")[0] == datetime(2024, 5, 12, tzinfo=BAGHDAD)
    assert parse_date("منذ 5 دقائق", NOW)[0] == datetime(2024, 5, 12, 15, 55, tzinfo=BAGHDAD)
