"""`scrapy crawl news` from the repository root: exit codes and feed exports (-O)."""

from __future__ import annotations

import csv
import json
import socket
import sqlite3
import subprocess
import sys

import yaml

from crawler.settings import FEED_EXPORT_FIELDS
from tests.conftest import FAST, REPO, query

INTERNAL = {"body", "precomputed", "hints", "requested_url", "status", "content_type"}


def scrapy_crawl(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `scrapy crawl news` in a subprocess from the repository root."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", *map(str, args), *FAST]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout)


def archive_rows(db) -> dict[str, dict]:
    """Stored articles by URL."""
    return {r["url"]: r for r in query(db, "select * from articles")}


def test_failed_source_exits_1(tmp_path):
    with socket.socket() as sock:  # a port nothing listens on: every request is refused
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [{
        "name": "dead", "title": "وكالة صلاح الدين", "homepage": dead + "/",
        "feeds": [dead + "/rss.xml"], "allow_private_network": True,
    }]}, allow_unicode=True), "utf-8")
    db = tmp_path / "dead.db"
    result = scrapy_crawl("-a", "source=dead", "-a", f"sources={path}", "-s", f"ARSHIF_DB={db}",
                          "-s", "RETRY_ENABLED=False")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "scrapy crawl news: not finished: dead" in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("select source, status from crawl_runs").fetchall() == [("dead", "failed")]


def test_unknown_source_is_one_line_and_exits_2(sites, tmp_path):
    path = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "never.db"
    result = scrapy_crawl("-a", "source=zagros,basra", "-a", f"sources={path}",
                          "-s", f"ARSHIF_DB={db}")
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stderr.splitlines()[-1] == f"scrapy crawl news: {path}: no source named basra"
    assert "Traceback" not in result.stderr and "Task exception" not in result.stderr
    assert not db.exists()  # nothing was started


def test_feed_exports_are_the_stored_articles(sites, tmp_path):
    path = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "export.db"
    jsonl, csv_out = tmp_path / "out.jsonl", tmp_path / "out.csv"
    result = scrapy_crawl("-a", "source=zagros", "-a", f"sources={path}", "-s", f"ARSHIF_DB={db}",
                          "-O", jsonl, "-O", csv_out)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = archive_rows(db)
    assert len(stored) >= 3

    items = [json.loads(line) for line in jsonl.read_text("utf-8").splitlines()]
    assert sorted(i["url"] for i in items) == sorted(stored)
    for item in items:
        assert not INTERNAL & set(item)
        row = stored[item["url"]]
        for key, value in item.items():
            want = json.loads(row[key]) if key in {"topics", "topic_matches", "categories",
                                                   "tags"} and row[key] else row[key]
            assert value == want, (item["url"], key)
        assert item["topics"] == ["isis-iraq"] and item["topic_matches"][0]["terms"]
        assert item["text"].strip() and item["published"]

    with csv_out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == FEED_EXPORT_FIELDS
        lines = list(reader)
    assert not INTERNAL & set(reader.fieldnames)
    assert sorted(line["url"] for line in lines) == sorted(stored)
    for line in lines:
        row = stored[line["url"]]
        for key in FEED_EXPORT_FIELDS:
            # CSV cells are text; lists and dicts are the archive's own JSON text.
            assert line[key] == ("" if row[key] is None else str(row[key])), (line["url"], key)


def test_export_fields_are_article_columns():
    from archive.store import ARTICLE_FIELDS
    from pipelines.items import PageItem

    # Every stored column the item carries (day and month are derived by the store).
    assert FEED_EXPORT_FIELDS == [f for f in ARTICLE_FIELDS if f in PageItem.fields]
    assert set(ARTICLE_FIELDS) - set(FEED_EXPORT_FIELDS) == {"day", "month"}
