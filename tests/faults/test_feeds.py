"""Malformed and malicious feeds and sitemaps: counted as bad_feed, never expanded or fetched."""

from __future__ import annotations

import time

import pytest

from crawler.discovery import FeedError, parse_feed, parse_sitemap
from tests.conftest import query
from tests.faults.conftest import MAX_FEED_ITEMS
from tests.faults.server import HUGE_SITEMAP_URLS, FaultSite


@pytest.mark.parametrize("name, why", [
    ("invalid", "invalid XML"), ("empty", "empty document"), ("html", "not a feed"),
])
def test_broken_feed_is_bad_feed(hostile, name, why):
    url = hostile.site.url(f"/bad/{name}.xml")
    assert hostile.logged(rf"Bad feed {url}: {why}")
    assert hostile.detail("bad_feed", url, why) == 1


def test_billion_laughs_not_expanded(hostile):
    url = hostile.site.url("/bad/laughs.xml")
    assert hostile.logged(rf"Bad feed {url}: invalid XML: .*amplification")
    assert hostile.dropped["bad_feed"] == 4  # invalid, empty, html, laughs
    dump = "".join(str(r) for r in query(hostile.db, "select * from crawl_runs"))
    assert "lollol" not in dump


def test_external_entities_neither_fetched_nor_read(hostile):
    paths = hostile.site.paths()
    assert "/xxe-probe" not in paths and "/xxe-dtd" not in paths
    everything = "".join(str(r) for r in query(hostile.db, "select * from articles"))
    assert "root:x:0:0" not in everything
    assert hostile.logged(r"Feed .*/bad/xxe\.xml: 1 entries")  # the &probe; link is no URL
    assert hostile.article("/good/2") is not None


def test_sitemap_index_listing_itself_read_once(hostile):
    paths = hostile.site.paths()
    assert paths.count("/sitemap-self.xml") == 1 and paths.count("/sitemap-child.xml") == 1
    assert hostile.article("/sitemap-index-child") is not None


def test_100k_url_sitemap_bounded_by_max_feed_items(hostile):
    huge = [p for p in hostile.site.paths() if p.startswith("/huge/")]
    assert len(huge) == MAX_FEED_ITEMS
    assert hostile.details["http_error: HTTP 404"] == MAX_FEED_ITEMS


def test_huge_sitemap_parse_is_streamed_and_stops_at_the_limit():
    site = FaultSite()
    site.base = "http://127.0.0.1:9"
    body = site.huge_sitemap()
    start = time.process_time()
    kind, entries = parse_sitemap(body, site.base + "/", 500)
    limited = time.process_time() - start
    assert kind == "urlset" and len(entries) == 500 and entries[-1].url.endswith("/huge/499")
    start = time.process_time()
    kind, entries = parse_sitemap(body, site.base + "/", HUGE_SITEMAP_URLS)
    full = time.process_time() - start
    assert len(entries) == HUGE_SITEMAP_URLS
    assert limited < full / 5  # the first 500 URLs cost a fraction of all 100,000


@pytest.mark.parametrize("name", ["laughs", "xxe"])
def test_entity_attacks_at_parser_level(name):
    site = FaultSite()
    site.base = "http://127.0.0.1:9"
    body = site._bad_feed(name)
    try:
        entries = parse_feed(body, site.base)
    except FeedError:
        return
    for entry in entries:
        assert "lol" not in (entry.title or "") and "root:" not in (entry.title or "")
    sitemap = body.replace(b"<rss", b"<urlset").replace(b"</rss>", b"</urlset>")
    try:
        _, listed = parse_sitemap(sitemap, site.base)
    except FeedError:
        listed = []
    assert all("root:" not in e.url and "lol" not in e.url for e in listed)
