"""Rebuild articles from the WARC files with the current pipelines, without the network.

For every article URL the latest capture (a response, or a revisit of one) goes through the
stages of ITEM_PIPELINES except the store, then archive.store.save_article — so a better
extractor, date rule or topic list reaches the whole archive, and a lost articles table
comes back. A URL whose latest capture is a 404/410 is marked gone again.

The topic policy is the one each capture was crawled under (crawl_runs.all_topics of its run):
an article a --all-topics run archived comes back even if it matches no topic, one a default
run dropped stays dropped. ARSHIF_ALL_TOPICS (reextract --all-topics) keeps everything, and
sources with all_topics: true keep theirs, as in a crawl.

A damaged record (a WARC cut short, or a payload that does not match its digest) is never
re-extracted: its article keeps the text it has, and the record is listed under "damaged".
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import tempfile
from collections import Counter
from importlib.resources.abc import Traversable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlite_utils
import yaml
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import build_from_crawler, load_object

from archive.captures import (
    DamagedRecord,
    Rec,
    index,
    iter_by_url,
    payload_record,
    read_payload,
    run_of,
)
from archive.store import save_article
from archive.urls import canonical_url
from archive.versions import mark_gone
from archive.warc import iso_seconds
from pipelines import runstats
from pipelines.sources import Source, load_sources
from pipelines.topics import TopicPipeline

STORE = "pipelines.store_stage.StorePipeline"
logger = logging.getLogger(__name__)


def archive_sources(db: sqlite_utils.Database, path: Path | Traversable | None
                    ) -> dict[str, Source]:
    """Sources from a sources.yaml, plus any the archive knows that the file does not list."""
    sources = {s.name: s for s in load_sources(path)} if path else {}
    for row in db.query("select * from sources"):
        if row["name"] not in sources:
            sources[row["name"]] = Source(
                name=row["name"], title=row["title"] or row["name"], homepage=row["homepage"],
                founded=row.get("founded"),
                **{k: tuple(json.loads(row.get(k) or "[]")) for k in ("feeds", "sitemaps",
                                                                       "sections")},
            )
    return sources


def build_stages(settings: Settings, sources: dict[str, Source]) -> list[Any]:
    """The crawl's item pipelines, minus the store, built as Scrapy would build them.

    The stages read the sources from the settings, as in a crawl (pipelines/sources.py): these
    sources, the archive's included, are written to a sources file for them to load.
    """
    with tempfile.TemporaryDirectory(prefix="arshif-reextract-") as scratch:
        file = Path(scratch) / "sources.yaml"
        entries = [s.as_entry() for s in sources.values()]
        file.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), "utf-8")
        settings = settings.copy()
        settings.set("ARSHIF_SOURCES", str(file), priority="cmdline")
        settings.set("ARSHIF_SOURCE_NAMES", [], priority="cmdline")
        # The crawler parts a stage's from_crawler may use; there is no spider nor engine.
        crawler = SimpleNamespace(
            settings=settings, signals=SignalManager(),
            stats=MemoryStatsCollector(SimpleNamespace(settings=settings)),
        )
        stages = []
        order = settings.getwithbase("ITEM_PIPELINES")
        for path in sorted((p for p in order if order[p] is not None and p != STORE),
                           key=lambda p: order[p]):
            stage = build_from_crawler(load_object(path), crawler)
            if hasattr(stage, "open_spider"):
                stage.open_spider()
            stages.append(stage)
    return stages


def run_policies(db: sqlite_utils.Database) -> dict[str, bool]:
    """Whether each recorded run kept off-topic articles (runs without a record are left out)."""
    return {run: bool(keep) for run, keep in db.execute(
        "select run, max(all_topics) from crawl_runs where all_topics is not null group by run"
    ).fetchall()}


def _kept_off_topic(group: list[Rec], policies: dict[str, bool]) -> bool:
    """True when a run that kept off-topic articles captured this URL as an article page.

    Such a run stored the article whatever its topics, and a later default run that dropped it
    as off_topic did not delete it: the archive held it, so rebuilding it brings it back.
    """
    return any(policies.get(run_of(r) or "", False) for r in group
               if 200 <= r.status < 300 and r.meta.get("kind", "article") == "article")


def _run(stages: list[Any], item: dict[str, Any]) -> dict[str, Any]:
    for stage in stages:
        result = stage.process_item(item)
        if inspect.isawaitable(result):
            result = asyncio.run(result)  # an async stage (none yet): run it to completion
        item = result
    return item


def _article_capture(group: list[Rec], since: str | None, names: set[str] | None,
                     sources: dict[str, Source]) -> Rec | None:
    """The latest 2xx capture of an article page in a URL's captures, if it passes the filters."""
    ok = [r for r in group if 200 <= r.status < 300
          and r.meta.get("kind", "article") == "article"]
    if not ok:
        return None
    rec = ok[-1]
    source = rec.meta.get("source") or next(
        (n for n, s in sources.items() if s.owns(rec.uri)), None)
    rec.meta["source"] = source
    if source is None or (names and source not in names) or (since and rec.date < since):
        return None
    return rec


def reextract(
    db: sqlite_utils.Database, directory: Path, settings: Settings,
    sources_file: Path | None = None, names: list[str] | None = None, since: str | None = None,
) -> dict[str, Any]:
    """Re-run the pipelines on the archived captures; counts of new/updated/unchanged/dropped.

    report["damaged"] lists the damaged records skipped ('file:offset: damaged … (why)').
    """
    sources = archive_sources(db, sources_file)
    damaged: list[DamagedRecord] = []
    recs = index(directory, damaged)
    report: dict[str, Any] = {"captures": len(recs), "new": 0, "updated": 0, "unchanged": 0,
                              "gone": 0, "dropped": Counter(), "damaged": []}
    chosen: list[Rec] = []
    policies = run_policies(db)
    keep_all: dict[str, bool] = {}  # record id -> keep it off-topic (its runs' policy)
    for url, group in iter_by_url(recs):
        rec = _article_capture(group, since, set(names or []), sources)
        if rec is not None:
            chosen.append(rec)
            keep_all[rec.record_id] = _kept_off_topic(group, policies)
        last = group[-1]
        if last.status in (404, 410) and last.meta.get("kind", "article") == "article":
            report["gone"] += mark_gone(db, url, iso_seconds(last.date), last.status)
    stages = build_stages(settings, sources)
    topic_stage = next((s for s in stages if isinstance(s, TopicPipeline)), None)
    forced = settings.getbool("ARSHIF_ALL_TOPICS", False)
    try:
        for rec in sorted(chosen, key=lambda r: r.date):
            original = payload_record(rec, recs)
            if original is None:
                report["dropped"]["missing_payload"] += 1
                continue
            try:
                content_type, body = read_payload(original)
            except DamagedRecord as exc:
                # A cut record would "update" the article with part of its text: skip it.
                logger.warning("Skipped %s: %s", rec.uri, exc)
                damaged.append(exc)
                continue
            item: dict[str, Any] = {
                "source": rec.meta["source"], "url": canonical_url(rec.uri), "final_url": rec.uri,
                "requested_url": rec.meta.get("requested_url") or rec.uri,
                "status": rec.status, "content_type": content_type or "", "body": body,
                "fetched_at": iso_seconds(rec.date), "hints": dict(rec.meta.get("hints") or {}),
                "warc_file": original.file.name, "warc_offset": original.offset,
                "warc_length": original.length, "warc_digest": original.digest,
            }
            if topic_stage is not None:  # items go through one at a time: set it per capture
                topic_stage.keep_all = forced or keep_all[rec.record_id]
            try:
                item = _run(stages, item)
            except DropItem as exc:
                report["dropped"][runstats.reason_of(str(exc))[0]] += 1
                continue
            except Exception:  # noqa: BLE001 - like the crawl: one broken page stops nothing
                logger.exception("Re-extraction failed on %s", rec.uri)
                report["dropped"]["error"] += 1
                continue
            article = {k: v for k, v in item.items() if k not in ("body", "hints")}
            report[save_article(db, article)] += 1
    finally:
        for stage in stages:
            if hasattr(stage, "close_spider"):
                stage.close_spider()
    report["dropped"] = dict(sorted(report["dropped"].items()))
    report["damaged"] = [str(exc) for exc in damaged]
    return report
