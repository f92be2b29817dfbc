"""Run a crawl in this process: settings from crawler.settings plus the CLI's overrides."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.known_urls import mark_interrupted
from archive.lock import RunLock
from archive.schema import connect
from crawler.sources import load_sources


def parse_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """Turn ['NAME=VALUE', …] into a dict; raise ValueError on a malformed pair."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"expected NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def crawl_settings(
    db: Path, sources_file: Path | None, names: list[str], overrides: dict[str, Any]
) -> Settings:
    """Scrapy settings for one run."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARSHIF_DB", str(db), priority="cmdline")
    if sources_file:
        settings.set("ARSHIF_SOURCES", str(sources_file), priority="cmdline")
    settings.set("ARSHIF_SOURCE_NAMES", list(names), priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def incremental_overrides(force: bool, since: datetime | None, backfill: bool,
                          until: datetime | None) -> dict[str, str]:
    """Settings for `arshif crawl --force/--since/--backfill/--until`."""
    out: dict[str, str] = {}
    if force:
        out["ARSHIF_FORCE"] = "True"
    if since:
        out["ARSHIF_SINCE"] = since.date().isoformat()
    if backfill:
        out["ARSHIF_BACKFILL"] = "True"
    if until:
        out["ARSHIF_UNTIL"] = until.date().isoformat()
    return out


def run_crawl(settings: Settings) -> list[dict[str, Any]]:
    """Crawl with these settings (blocking) and return this run's crawl_runs rows."""
    from crawler.spiders.news import NewsSpider

    # Validate before Scrapy starts, so a bad file crawls nothing and says why.
    load_sources(settings.get("ARSHIF_SOURCES") or None, settings.getlist("ARSHIF_SOURCE_NAMES"))
    # One run per archive (archive/lock.py raises Locked); held until the crawl has ended.
    with RunLock(settings.get("ARSHIF_DB")):
        db = connect(settings.get("ARSHIF_DB"))
        mark_interrupted(db)  # rows left 'running' by a killed run: nobody else holds the lock
        db.close()
        process = CrawlerProcess(settings)  # LOG_INSTALL_ROOT_HANDLER (default True)
        crawler = process.create_crawler(NewsSpider)
        process.crawl(crawler)
        process.start()
    if crawler.stats and crawler.stats.get_value("finish_reason") == "disk_full":
        # The store stage stopped the crawl on SQLITE_FULL; its run rows may be unwritable too.
        raise sqlite3.OperationalError("database or disk is full")
    if crawler.stats and crawler.stats.get_value("arshif/damaged_database"):
        # A save found the archive malformed: the CLI says so in one line (exit 1).
        raise sqlite3.DatabaseError(crawler.stats.get_value("arshif/damaged_database"))
    db = connect(settings.get("ARSHIF_DB"))
    rows = [
        dict(r) | {"dropped": json.loads(r["dropped"] or "{}")}
        for r in db.query(
            "select * from crawl_runs where run = ? order by source",
            [crawler.settings.get("ARSHIF_RUN_ID")],  # set by the spider
        )
    ]
    db.close()
    return rows


def summary(rows: list[dict[str, Any]]) -> str:
    """A one-screen table of a run: per source pages, new/updated/unchanged and drops."""
    head = f"{'source':<20} {'status':<10} {'pages':>6} {'new':>5} {'upd':>5} {'same':>5}"
    # req: requests sent (robots.txt included); known: known URLs not requested again;
    # 304: feeds/sitemaps answered 304 or with unchanged bytes; old: items older than --since.
    head += f" {'req':>5} {'known':>6} {'304':>4} {'old':>5}"
    lines = [head + "  dropped"]
    for r in rows:
        drops = ", ".join(f"{k} {v}" for k, v in sorted(r["dropped"].items())) or "-"
        status = "not due" if r["status"] == "finished" and r.get("not_due") and not r["pages"] \
            else r["status"]
        lines.append(
            f"{r['source']:<20} {status:<10} {r['pages']:>6} {r['new']:>5} "
            f"{r['updated']:>5} {r['unchanged']:>5} {r.get('requests') or 0:>5} "
            f"{r.get('skipped_known') or 0:>6} {r.get('not_modified') or 0:>4} "
            f"{r.get('skipped_old') or 0:>5}  {drops}"
        )
    total = sum(r.get("requests") or 0 for r in rows)
    lines.append(f"{total} requests in all (robots.txt included, fetched once per site per run)")
    return "\n".join(lines)
