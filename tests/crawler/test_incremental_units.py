"""Unit tests of incremental pieces: ages, revisit windows, intervals, sitemap order, progress."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from archive import known_urls as inc
from crawler.discovery import Entry
from crawler.incremental import Incremental, to_time, url_date
from crawler.progress import enabled, render


def test_parse_ages():
    assert inc.parse_ages("1d,7d") == [86400, 7 * 86400]
    assert inc.parse_ages("12h, 30m") == [1800, 43200]
    assert inc.parse_ages("0") == [] and inc.parse_ages("") == []
    with pytest.raises(ValueError):
        inc.parse_ages("soon")


def test_revisit_due_once_per_age_within_a_window():
    first = datetime(2024, 1, 1, tzinfo=UTC)
    day = timedelta(days=1)
    ages = inc.parse_ages("1d,7d")
    assert not inc.revisit_due(first, first, ages, first + day / 2)
    assert inc.revisit_due(first, first, ages, first + day * 1.5)
    assert not inc.revisit_due(first, first + day * 1.5, ages, first + day * 1.6)  # done
    assert inc.revisit_due(first, first + day * 1.5, ages, first + day * 8)
    # A month late: the schedule does not re-fetch the whole archive at once.
    assert not inc.revisit_due(first, first, ages, first + day * 30)


def test_interval_shrinks_with_news_and_grows_without_within_bounds():
    assert inc.next_interval(None, 3) == inc.START_INTERVAL // 2
    assert inc.next_interval(3600, 0) == 5400
    assert inc.next_interval(301, 5) == inc.MIN_INTERVAL
    assert inc.next_interval(80000, 0) == inc.MAX_INTERVAL


def test_dates_of_child_sitemaps():
    assert url_date("https://www.aljazeera.net/sitemap.xml?yyyy=2024&mm=05&dd=12").day == 12
    assert url_date("https://x.example/sitemap-2020-04.xml").month == 4
    assert url_date("https://x.example/sitemaps/2019/11/posts.xml").year == 2019
    assert url_date("https://x.example/sitemap-news.xml") is None
    assert to_time("Mon, 18 May 2020 21:30:00 +0000").year == 2020


def _incremental(**attrs) -> Incremental:
    obj = Incremental.__new__(Incremental)
    obj.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    obj.since, obj.until, obj.backfill, obj.old = None, None, False, set()
    for key, value in attrs.items():
        setattr(obj, key, value)
    return obj


def test_backfill_walks_children_newest_first_down_to_until():
    source = SimpleNamespace(name="x", max_age_days=None)
    entries = [
        Entry("https://x.example/sitemap-2020-03.xml"),
        Entry("https://x.example/sitemap-news.xml", lastmod="2020-05-01T00:00:00+00:00"),
        Entry("https://x.example/sitemap-2020-04.xml"),
        Entry("https://x.example/sitemap-misc.xml"),
    ]
    walker = _incremental(backfill=True, until=to_time("2020-04-01"))
    order = walker.children(entries, source)
    urls = [e.url.rsplit("/", 1)[1] for e, _ in order]
    assert urls == ["sitemap-misc.xml", "sitemap-news.xml", "sitemap-2020-04.xml"]
    priorities = [p for _, p in order]
    assert priorities == sorted(priorities, reverse=True) and min(priorities) > 10


def test_items_older_than_since_or_max_age_are_skipped():
    source = SimpleNamespace(name="x", max_age_days=None)
    walker = _incremental(since=to_time("2020-05-10"))
    assert walker.too_old(Entry("https://x.example/a", date="2020-05-01"), source)
    assert not walker.too_old(Entry("https://x.example/b", date="2020-05-12"), source)
    assert not walker.too_old(Entry("https://x.example/c"), source)  # undated: fetched
    recent = SimpleNamespace(name="x", max_age_days=2)
    old = (datetime.now(UTC) - timedelta(days=5)).isoformat()
    assert _incremental().too_old(Entry("https://x.example/d", date=old), recent)
    assert "https://x.example/a" in walker.old


def test_progress_lines():
    block = render({"a": {"pages": 30, "new": 4, "requests": 33, "skipped_known": 2,
                          "dropped": {"not_article": 3}}, "b": {}}, 60.0)
    assert "pages 30 (30/min)" in block and "new 4" in block and "\n  a " in block
    assert "  b " not in block
    assert enabled("1", io.StringIO()) and not enabled("0", io.StringIO())
    assert not enabled("", io.StringIO())  # not a terminal
