"""Gzipped sitemaps and robots.txt `Sitemap:` lines: decoding, real crawls, `sources check`."""

from __future__ import annotations

import gzip
import json
import socket
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crawler.cli import cli
from crawler.cli.check import Refused, check_sources, fetch
from crawler.demo.server import SITES_DIR, SiteServer
from crawler.discovery import (
    MAX_DECOMPRESSED,
    FeedError,
    gunzip_bounded,
    parse_sitemap,
    robots_sitemaps,
)
from pipelines.sources import parse_source
from tests.conftest import FAST, expected, query, run_arshif

HAMRIN = SITES_DIR / "hamrin"
NEWS = (HAMRIN / "public" / "sitemaps" / "news-2024.xml").read_bytes()
CORRUPT = (HAMRIN / "public" / "sitemaps" / "archive-2022.xml.gz").read_bytes()


# -- decoding saved bytes ------------------------------------------------------------------

def test_gzipped_sitemap_reads_like_the_plain_one():
    plain = parse_sitemap(NEWS, "http://h.example/")
    assert plain[0] == "urlset" and len(plain[1]) == 2 and all(e.news for e in plain[1])
    assert parse_sitemap(gzip.compress(NEWS), "http://h.example/") == plain


def test_corrupt_and_truncated_gzip_are_feed_errors():
    with pytest.raises(FeedError, match="broken gzip"):
        parse_sitemap(CORRUPT, "http://h.example/")
    whole = gzip.compress(NEWS)
    with pytest.raises(FeedError):
        parse_sitemap(whole[: len(whole) // 2], "http://h.example/")
    with pytest.raises(FeedError, match="broken gzip"):
        gunzip_bounded(b"\x1f\x8b\x08" + b"\x00" * 5)


def test_gzip_bomb_stops_at_the_bound_quickly():
    # 17 MB of spaces after a sitemap start: ~17 KB on the wire, past the 16 MB page limit.
    bomb = gzip.compress(b"<urlset>" + b" " * (MAX_DECOMPRESSED + MAX_DECOMPRESSED // 16), 9)
    assert len(bomb) < 100_000
    start = time.monotonic()
    with pytest.raises(FeedError, match="expands beyond 16777216 bytes"):
        parse_sitemap(bomb, "http://h.example/")
    assert time.monotonic() - start < 5
    # The bound is a parameter: the same 5 KB sitemap passes at 8 KB and fails at 4 KB.
    small = gzip.compress(NEWS)
    assert len(gunzip_bounded(small, 8192)) == len(NEWS)
    with pytest.raises(FeedError, match="expands beyond 1000 bytes"):
        gunzip_bounded(small, 1000)


def test_robots_sitemap_lines():
    body = (b"User-agent: *\nDisallow: /admin/\nsitemap: /sitemap_index.xml.gz\n"
            b"SITEMAP:   https://cdn.example/s.xml  \nSitemap: ftp://x.example/s.xml\n"
            b"Sitemap: /sitemap_index.xml.gz\n# Sitemap: /commented.xml\n")
    assert robots_sitemaps(body, "http://h.example/robots.txt") == [
        "http://h.example/sitemap_index.xml.gz", "https://cdn.example/s.xml"]


def test_which_robots_txt_a_source_reads():
    def src(**kw):
        return parse_source({"name": "s", "title": "س", "homepage": "https://s.example/x/"}
                            | kw, 0)
    assert src().robots_txts == ("https://s.example/robots.txt",)
    assert src(sections=["https://s.example/iraq/"]).robots_txts == (
        "https://s.example/robots.txt",)
    assert src(feeds=["https://s.example/feed/"]).robots_txts == ()
    assert src(sitemaps=["https://s.example/sitemap.xml"]).robots_txts == ()
    listed = src(feeds=["https://s.example/feed/"],
                 sitemaps=["https://s.example/robots.txt", "https://s.example/news.xml.gz"])
    assert listed.robots_txts == ("https://s.example/robots.txt",)
    assert listed.sitemap_files == ("https://s.example/news.xml.gz",)


# -- real crawls -----------------------------------------------------------------------------

def _crawl(server: SiteServer, tmp_path: Path, *extra: str, **source_changes) -> Path:
    entry = server.sources()[0] | source_changes
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry]}, allow_unicode=True), "utf-8")
    db = tmp_path / "arshif.db"
    result = run_arshif("crawl", "--sources", path, "--db", db, *FAST, *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def test_crawl_finds_articles_through_robots_txt_and_gzipped_sitemaps(tmp_path):
    with SiteServer(SITES_DIR, ["hamrin"]) as server:
        db = _crawl(server, tmp_path)
        (outlet,) = server.outlets
        hits = list(outlet.hits)
    want = {a["url"]: a for a in expected(outlet)["articles"]}
    stored = {r["url"]: r for r in query(db, "select * from articles")}
    assert set(stored) == set(want)
    assert stored[outlet.base + "/2024/02/diyala-villagers-return-after-clearance/"][
        "date_source"] == "sitemap"  # the date came from the gzipped news sitemap
    # robots.txt is fetched once: the spider reads the copy the robots middleware fetched.
    assert hits.count("/robots.txt") == 1
    assert {"/sitemap_index.xml.gz", "/sitemaps/news-2024.xml.gz",
            "/sitemaps/archive-2023.xml.gz", "/sitemaps/archive-2022.xml.gz"} <= set(hits)
    (run,) = query(db, "select * from crawl_runs")
    assert run["status"] == "finished" and json.loads(run["dropped"]) == {"bad_feed": 1}
    (detail,) = json.loads(run["details"])
    assert detail.startswith("bad_feed: ") and "archive-2022.xml.gz: broken gzip" in detail


def test_listed_robots_txt_without_robots_obey_and_a_non_sitemap(tmp_path):
    """robots.txt listed among sitemaps is read (fetched by the spider when ROBOTSTXT_OBEY is
    off); an HTML page behind a sitemap URL is a bad_feed and the crawl goes on."""
    with SiteServer(SITES_DIR, ["hamrin"]) as server:
        (outlet,) = server.outlets
        db = _crawl(server, tmp_path, "-s", "ROBOTSTXT_OBEY=False",
                    feeds=[], sitemaps=[outlet.base + "/robots.txt", outlet.base + "/"])
        hits = list(outlet.hits)
    assert hits.count("/robots.txt") == 1
    stored = {r["url"] for r in query(db, "select url from articles")}
    assert stored == {a["url"] for a in expected(outlet)["articles"]}
    (run,) = query(db, "select * from crawl_runs")
    assert json.loads(run["dropped"]) == {"bad_feed": 2}
    details = " | ".join(json.loads(run["details"]))
    assert "broken gzip" in details
    assert f"{outlet.base}/: not a sitemap: root element <html>" in details


# -- arshif sources check ----------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>موقع</title>
<item><title>اشتباكات مع خلايا داعش في وادي الشاي جنوب كركوك</title>
<link>{base}/news/1/</link><pubDate>Tue, 05 Mar 2024 08:00:00 +0300</pubDate></item>
</channel></rss>
"""


def _site(root: Path, name: str, robots: str, routes: dict, feeds: list[str],
          allow: bool = True) -> None:
    (root / name / "public").mkdir(parents=True)
    (root / name / "public" / "robots.txt").write_text(robots, "utf-8")
    (root / name / "public" / "feed.xml").write_text(RSS, "utf-8")
    site = {"source": {"name": name, "title": "موقع", "homepage": "{base}/", "feeds": feeds,
                       "allow_private_network": allow}, "routes": routes}
    (root / name / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), "utf-8")


def _check(server: SiteServer, tmp_path: Path, name: str) -> tuple[int, dict[str, str]]:
    path = server.write_sources(tmp_path / f"{name}.yaml")
    result = CliRunner().invoke(cli, ["sources", "check", "--sources", str(path),
                                      "--source", name, "--timeout", "5"])
    rows = {line.split()[-1]: line for line in result.output.splitlines() if line.strip()}
    return result.exit_code, rows


@pytest.mark.parametrize("target", ["localhost", "[::1]", "[::ffff:127.0.0.1]", "2130706433"])
def test_check_refuses_a_redirect_to_a_loopback_address(tmp_path, target):
    root = tmp_path / "sites"
    # `victim` stands for a service on the loopback interface; `outlet` redirects to it.
    _site(root, "victim", "", {"/feed.xml": {"file": "feed.xml"}}, [])
    with SiteServer(root, ["victim"]) as victims:
        port = victims.outlets[0].base.rsplit(":", 1)[1]
        _site(root, "outlet", "User-agent: *\nDisallow:\n", {
            "/feed.xml": {"status": 301, "location": f"http://{target}:{port}/feed.xml"},
            "/moved.xml": {"status": 301, "location": "{base}/real.xml"},
            "/real.xml": {"file": "feed.xml", "content_type": "application/rss+xml"},
        }, ["{base}/feed.xml", "{base}/moved.xml"])
        with SiteServer(root, ["outlet"]) as server:
            base = server.outlets[0].base
            code, rows = _check(server, tmp_path, "outlet")
    assert code == 1
    assert "refused" in rows[f"{base}/feed.xml"] and "loopback" in rows[f"{base}/feed.xml"]
    # The outlet's own redirect is followed (allow_private_network covers its own host)…
    assert "ok" in rows[f"{base}/moved.xml"] and "items     1" in rows[f"{base}/moved.xml"]
    # …and the hop to another loopback address was never sent.
    assert victims.outlets[0].hits == []


def test_check_refuses_everything_private_without_the_allowance(tmp_path):
    root = tmp_path / "sites"
    _site(root, "closed", "", {"/feed.xml": {"file": "feed.xml"}}, ["{base}/feed.xml"],
          allow=False)
    with SiteServer(root) as server:
        rows = list(check_sources([parse_source(server.sources()[0], 0)], timeout=5))
        assert server.outlets[0].hits == []  # not even robots.txt
    assert rows[0]["status"].startswith("refused (127.0.0.1 → 127.0.0.1: loopback")


def test_check_obeys_robots_txt(tmp_path):
    root = tmp_path / "sites"
    robots = "User-agent: *\nDisallow: /wp-admin/\n\nUser-agent: Arshif\nDisallow: /private/\n"
    _site(root, "polite", robots, {
        "/private/feed.xml": {"file": "feed.xml"}, "/feed.xml": {"file": "feed.xml"},
    }, ["{base}/private/feed.xml", "{base}/feed.xml"])
    with SiteServer(root) as server:
        code, rows = _check(server, tmp_path, "polite")
        hits = server.outlets[0].hits
        base = server.outlets[0].base
    assert code == 1
    assert "disallowed by robots.txt" in rows[f"{base}/private/feed.xml"]
    assert "ok" in rows[f"{base}/feed.xml"]
    assert hits == ["/robots.txt", "/feed.xml"]


def test_check_reads_robots_sitemap_lines_and_gzipped_sitemaps(tmp_path):
    with SiteServer(SITES_DIR, ["hamrin"]) as server:
        code, rows = _check(server, tmp_path, "hamrin")
        base = server.outlets[0].base
        entry = server.sources()[0] | {"sitemaps": [
            base + "/sitemaps/news-2024.xml.gz", base + "/sitemaps/archive-2023.xml.gz",
            base + "/sitemaps/archive-2022.xml.gz"]}
        listed = {r["url"]: r for r in check_sources([parse_source(entry, 0)], timeout=5)}
    assert code == 0
    assert "robots" in rows[f"{base}/robots.txt"] and "items     1" in rows[f"{base}/robots.txt"]
    assert "items     3" in rows[f"{base}/sitemap_index.xml.gz"]  # the index's .xml.gz children
    news = listed[base + "/sitemaps/news-2024.xml.gz"]
    assert news["status"] == "ok" and news["items"] == 2
    assert news["newest"] == "2024-03-10T07:45:00+03:00"
    assert listed[base + "/sitemaps/archive-2023.xml.gz"]["items"] == 1  # Content-Encoding
    assert listed[base + "/sitemaps/archive-2022.xml.gz"]["status"].startswith("bad: broken gzip")


def test_check_connects_to_the_address_it_checked(tmp_path):
    root = tmp_path / "sites"
    _site(root, "pinned", "", {"/feed.xml": {"file": "feed.xml"}}, ["{base}/feed.xml"])
    with SiteServer(root) as server:
        port = int(server.outlets[0].base.rsplit(":", 1)[1])
        url = f"http://outlet.test:{port}/feed.xml"  # a name no real resolver knows
        own = parse_source({"name": "pinned", "title": "t", "homepage": url,
                            "allow_private_network": True}, 0)
        # The one checked lookup is the address connected to: no second (real) lookup happens.
        assert b"<rss" in fetch(own, url, 5, lookup=lambda host: ["127.0.0.1"])
        assert server.outlets[0].hits == ["/feed.xml"]
        # A rebinding name: public for the first look, loopback for the connection's own.
        answers = iter([["93.184.216.34"], ["127.0.0.1"]])
        other = parse_source({"name": "other", "title": "t", "homepage": url}, 0)
        with pytest.raises(Refused, match="127.0.0.1: loopback"):
            fetch(other, url, 5, lookup=lambda host: next(answers))
        # A lookup that fails is a refusal, not a pass.
        def again(host: str) -> list[str]:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        with pytest.raises(Refused, match="lookup failed"):
            fetch(other, url, 5, lookup=again)
        assert server.outlets[0].hits == ["/feed.xml"]


@pytest.mark.parametrize("body, root", [
    (b'<!DOCTYPE html>\n<html dir="rtl"><head><link rel="x"></head><body></body></html>', "html"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- feed -->\n<rss version="2.0"><channel>', "rss"),
    (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
])
def test_a_document_that_is_not_a_sitemap_is_named_by_its_root(body, root):
    # Broken HTML too: the message names the root element, whatever lxml reports first.
    with pytest.raises(FeedError, match=f"not a sitemap: root element <{root}>"):
        parse_sitemap(body, "http://127.0.0.1/")
    kind, _ = parse_sitemap(b'<?xml version="1.0"?>\n<sm:urlset xmlns:sm="http://www.sitemaps.org/'
                            b'schemas/sitemap/0.9"></sm:urlset>', "http://127.0.0.1/")
    assert kind == "urlset"
