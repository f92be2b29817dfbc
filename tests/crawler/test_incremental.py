"""Incremental crawling on the fixture outlets: known URLs, 304s, due seeds, --since, resume."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from archive.lock import lock_path
from crawler.demo.server import SITES_DIR, SiteServer
from tests.conftest import FAST, REPO, query, run_arshif

# Keep every fetched article whatever the topic stage decides: these tests count fetches.
KEEP = [*FAST, "-s", "ARSHIF_ALL_TOPICS=True"]
DISCOVERY = {"rafidain": {"/robots.txt", "/feed/", "/category/security/"},
             "dijla": {"/robots.txt", "/sitemap.xml", "/"},
             # robots.txt is fetched once: its Sitemap: line is read from that same copy.
             "hamrin": {"/robots.txt", "/", "/sitemap_index.xml.gz"},
             "zagros": {"/robots.txt", "/", "/atom.xml"}}


def last_run(db: Path) -> dict[str, dict]:
    rows = query(db, "select * from crawl_runs where run = "
                 "(select run from crawl_runs order by id desc limit 1)")
    return {r["source"]: r for r in rows}


def crawl(sources: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run_arshif("crawl", "--sources", sources, "--db", db, *KEEP, *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def stored(db: Path) -> set[tuple[str, str]]:
    """(source, path) of the stored articles: ports differ between two servers."""
    return {(r["source"], urlsplit(r["url"]).path) for r in query(db, "select * from articles")}


def copy_sites(tmp_path: Path) -> Path:
    root = tmp_path / "sites"
    shutil.copytree(SITES_DIR, root, ignore=shutil.ignore_patterns("make.py", "*.md"))
    return root


def test_unchanged_second_run_fetches_only_discovery(tmp_path):
    with SiteServer(copy_sites(tmp_path)) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "a.db"
        crawl(sources, db)
        before = query(db, "select url, content_sha256, fetched_at from articles order by url")
        assert before
        for outlet in server.outlets:
            outlet.hits.clear()
        result = crawl(sources, db, "--force")
        for outlet in server.outlets:
            # robots.txt (once per run) + the feed/sitemap (304) + a section or home page.
            assert set(outlet.hits) == DISCOVERY[outlet.name], outlet.hits
            assert len(outlet.hits) == 3
        assert query(db, "select url, content_sha256, fetched_at from articles order by url"
                     ) == before
        runs = last_run(db)
        for name, run in runs.items():
            assert run["new"] == run["updated"] == run["unchanged"] == 0
            assert run["not_modified"] == 1 and run["requests"] == 3, (name, run)
            assert run["status"] == "finished" and run["dropped"] == "{}"
        assert runs["rafidain"]["skipped_known"] > 0 and runs["zagros"]["skipped_known"] > 0
        assert "requests in all" in result.stdout and "known" in result.stdout

        # Right after, without --force, nothing is due: no request at all, still exit 0.
        for outlet in server.outlets:
            outlet.hits.clear()
        crawl(sources, db)
        assert all(not o.hits for o in server.outlets)
        assert all(r["not_due"] >= 1 and r["status"] == "finished"
                   for r in last_run(db).values())


def test_same_bytes_without_validators_are_not_modified(tmp_path):
    with SiteServer(copy_sites(tmp_path), ["dijla"], conditional=False) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "a.db"
        crawl(sources, db)
        server.outlets[0].hits.clear()
        crawl(sources, db, "--force")
        # The sitemap index came back byte for byte: its child sitemap is not even requested.
        assert sorted(server.outlets[0].hits) == ["/", "/robots.txt", "/sitemap.xml"]
        assert last_run(db)["dijla"]["not_modified"] == 1


def test_a_new_feed_item_is_the_only_article_fetched(tmp_path):
    root = copy_sites(tmp_path)
    with SiteServer(root, ["rafidain"]) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "a.db"
        crawl(sources, db)
        first = query(db, "select * from feed_state where kind = 'feed'")[0]
        # The outlet publishes a new article (a copy of one page under a new URL, new text).
        public = root / "rafidain" / "public"
        src = public / "2020" / "05" / "18" / "salahuddin-cell-dismantled" / "index.html"
        new_dir = public / "2020" / "05" / "19" / "new-story"
        new_dir.mkdir(parents=True)
        page = src.read_text("utf-8").replace("salahuddin-cell-dismantled", "new-story")
        (new_dir / "index.html").write_text(
            page.replace("<p>", "<p>خبر جديد: عاد عناصر التنظيم إلى القرى بعد أسبوع. ", 1),
            "utf-8")
        feed = public / "feed.xml"
        feed.write_text(feed.read_text("utf-8").replace(
            "<item>", "<item><title>خبر جديد</title><link>{base}/2020/05/19/new-story/</link>"
            "<pubDate>Tue, 19 May 2020 09:00:00 +0000</pubDate></item><item>", 1), "utf-8")
        server.outlets[0].hits.clear()
        crawl(sources, db, "--force")
        hits = set(server.outlets[0].hits)
        assert hits == DISCOVERY["rafidain"] | {"/2020/05/19/new-story/"}, hits
        assert last_run(db)["rafidain"]["new"] == 1
        state = query(db, "select * from feed_state where kind = 'feed'")[0]
        assert state["last_new_articles"] == 1
        # Adaptive interval: new articles shorten it, bounded below by five minutes.
        assert 300 <= state["interval_seconds"] < first["interval_seconds"] * 1.5


def test_since_skips_older_feed_items_before_fetching(tmp_path):
    with SiteServer(copy_sites(tmp_path), ["rafidain"]) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "a.db"
        crawl(sources, db, "--since", "2020-05-10")
        hits = server.outlets[0].hits
        assert "/2020/05/18/salahuddin-cell-dismantled/" in hits
        # April items come from the feed only (dated): never requested.
        assert not any(h.startswith("/2020/04/27/") for h in hits)
        assert last_run(db)["rafidain"]["skipped_old"] >= 2


def test_scheduled_revisit_is_a_conditional_get(tmp_path):
    with SiteServer(copy_sites(tmp_path), ["dijla"]) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "a.db"
        crawl(sources, db, "-s", "ARSHIF_REVISIT_AGES=1s")
        stored = query(db, "select count(*) as n from articles")[0]["n"]
        time.sleep(1.5)
        crawl(sources, db, "--force", "-s", "ARSHIF_REVISIT_AGES=1s")
        run = last_run(db)["dijla"]
        assert run["unchanged"] == stored and run["new"] == 0 and run["dropped"] == "{}"
        checks = query(db, "select checks, not_modified from article_http")
        assert len(checks) == stored and all(c["not_modified"] == 1 for c in checks)
        # Both ages are behind it now: no third fetch of the same articles.
        server.outlets[0].hits.clear()
        crawl(sources, db, "--force", "-s", "ARSHIF_REVISIT_AGES=1s")
        assert sorted(server.outlets[0].hits) == ["/", "/robots.txt", "/sitemap.xml"]


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path):
    root = copy_sites(tmp_path)
    # Reference: the same outlets crawled in one go.
    with SiteServer(root) as server:
        sources = server.write_sources(tmp_path / "ref.yaml")
        crawl(sources, tmp_path / "ref.db")
        want = stored(tmp_path / "ref.db")
    with SiteServer(root, delay=0.25) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "a.db"
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
               "--db", str(db), *KEEP]
        proc = subprocess.Popen(cmd, cwd=REPO, env=dict(os.environ, PYTHONUNBUFFERED="1"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if query(db, "select count(*) as n from articles")[0]["n"] >= 2:
                    break
            except sqlite3.OperationalError:
                pass  # the schema is not there yet
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = stored(db)
        assert partial and partial != want, "kill the crawl in the middle"
        assert lock_path(db).exists()  # left behind by the dead run: stale, taken over
        crawl(sources, db)
    urls = [r["url"] for r in query(db, "select url from articles")]
    assert stored(db) == want and len(urls) == len(set(urls)) == len(want)
    assert query(db, "pragma integrity_check") == [{"integrity_check": "ok"}]
    statuses = {r["status"] for r in query(db, "select status from crawl_runs")}
    assert "running" not in statuses and "interrupted" in statuses
    assert not lock_path(db).exists()
