"""The run record (crawler/run_record.py): a crawl whose stage drops pages and crashes on one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import redis
import scrapy
from scrapy.exceptions import DropItem

from pipelines import runstats
from tests.conftest import REPO

SOURCES = """sources:
  - {name: s, title: S, homepage: "http://127.0.0.1:9/"}
  - {name: t, title: T, homepage: "http://127.0.0.2:9/"}
"""


class Pages(scrapy.Spider):
    """Four pages of source s, no network; source t fetches nothing."""

    name = "pages"

    async def start(self) -> AsyncIterator[dict[str, Any]]:
        """Count four pages and hand them to the stages."""
        runstats.count(self.crawler.stats, "s", "pages", 4)
        for n in range(4):
            yield {"source": "s", "url": f"http://127.0.0.1:9/{n}", "n": n}


class Picky:
    """Keeps page 0, drops pages 1 and 2 as off topic, crashes on page 3."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        """Keep, drop or crash, by page number."""
        if item["n"] == 3:
            raise RuntimeError("boom")
        if item["n"]:
            raise DropItem(f"off_topic: page {item['n']}")
        return item


def crawl(db: str, sources: str, redis_url: str = "", prefix: str = "") -> None:
    """Crawl Pages with only Picky and the run record; print the not-finished sources."""
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess({
        "ITEM_PIPELINES": {"tests.crawler.test_run_record.Picky": 100},
        "EXTENSIONS": {"crawler.run_record.RunRecord": 500},
        "ARSHIF_DB": db, "ARSHIF_SOURCES": sources, "ARSHIF_RUN_ID": "r1",
        "ARSHIF_RUN_FLUSH_SECONDS": 0, "ARSHIF_REDIS_URL": redis_url,
        "ARSHIF_REDIS_PREFIX": prefix, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
    })
    crawler = process.create_crawler(Pages)
    process.crawl(crawler)
    process.start()
    print(json.dumps(crawler.stats.get_value(runstats.NOT_FINISHED)))


def _run(*args: str) -> str:
    code = f"from tests.crawler.test_run_record import crawl; crawl(*{list(args)!r})"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_drops_and_errors_are_counted_by_reason_in_the_archive(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, "utf-8")
    db = tmp_path / "arshif.db"
    not_finished = json.loads(_run(str(db), str(sources)))
    assert not_finished == ["t"]  # read by `scrapy crawl` for its exit code
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {r["source"]: r for r in conn.execute("select * from crawl_runs where run = 'r1'")}
    assert rows["s"]["status"] == "finished" and rows["s"]["pages"] == 4
    assert json.loads(rows["s"]["dropped"]) == {"error": 1, "off_topic": 2}
    details = json.loads(rows["s"]["details"])
    assert details["off_topic: page 1"] == 1 and "boom" in "".join(details)
    assert rows["s"]["finished"] and rows["s"]["all_topics"] == 1  # no topic stage: all kept
    assert rows["t"]["status"] == "failed"  # nothing at all fetched


def test_distributed_mode_sends_the_run_messages_the_writer_reads(tmp_path: Path,
                                                                   redis_url: str) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES, "utf-8")
    prefix = f"t{uuid.uuid4().hex[:8]}"
    _run(str(tmp_path / "scratch.db"), str(sources), redis_url, prefix)
    server = redis.Redis.from_url(redis_url)
    messages = [json.loads(m) for m in server.lrange(f"{prefix}:items", 0, -1)]
    runs = [m for m in messages if m["type"] == "run"]
    assert {m["source"] for m in runs} == {"s"}  # a crawler reports only what it touched
    last = runs[-1]
    assert last["run"] == "r1" and last["status"] == "finished" and last["finished"]
    assert last["counts"]["pages"] == 4
    assert last["counts"]["dropped"] == {"error": 1, "off_topic": 2}
    assert set(last) == {"type", "run", "source", "started", "status", "finished", "counts",
                         "all_topics"}
