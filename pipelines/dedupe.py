"""Dedupe stage: one article per canonical URL and per text, in a crawl and across the archive."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlite_utils
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.known_urls import record_alias
from archive.schema import connect
from pipelines.items import PageItem


def stored_copy(db: sqlite_utils.Database, url: str, digest: str) -> str | None:
    """The URL of a stored article with this text under another URL, if there is one."""
    row = db.execute(
        "select url from articles where content_sha256 = ? and url != ? limit 1", [digest, url]
    ).fetchone()
    return row[0] if row else None


def record_copy(db: sqlite_utils.Database, item: Mapping[str, Any], kept_url: str) -> None:
    """Record the URLs a duplicate page was fetched under as aliases of the kept article."""
    for other in {item.get("requested_url"), item.get("final_url"), item["url"]}:
        if other:
            record_alias(db, other, kept_url, item["source"])


class DedupePipeline:
    """Drop a page whose canonical URL or text was already kept (this run or before)."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.urls: dict[str, str] = {}  # canonical URL -> fetched URL that claimed it
        self.hashes: dict[str, str] = {}  # content hash -> canonical URL

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        """Read ARSHIF_DB."""
        return cls(crawler.settings.get("ARSHIF_DB"))

    def open_spider(self) -> None:
        """Open the archive to look up texts stored by earlier runs."""
        self.db = connect(Path(self.db_path))

    def close_spider(self) -> None:
        """Close the archive connection."""
        self.db.close()

    def _duplicate(self, item: PageItem, kept_url: str, why: str) -> DropItem:
        """Record this copy's URLs as aliases of the kept article; the DropItem to raise."""
        record_copy(self.db, item, kept_url)
        return DropItem(why)

    def process_item(self, item: PageItem) -> PageItem:
        """Raise DropItem('duplicate: …') for a second copy of a kept article."""
        url, digest = item["url"], item["content_sha256"]
        if url in self.urls:
            raise self._duplicate(
                item, url, f"duplicate: canonical URL already kept from {self.urls[url]}"
            )
        if digest in self.hashes and self.hashes[digest] != url:
            kept = self.hashes[digest]
            raise self._duplicate(item, kept, f"duplicate: same text as {kept}")
        stored = stored_copy(self.db, url, digest)
        if stored:
            raise self._duplicate(item, stored, f"duplicate: same text as {stored}")
        self.urls[url] = item.get("final_url") or url
        self.hashes[digest] = url
        return item
