"""Cluster stage (after store): put each stored article in its near-duplicate story cluster."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from scrapy.crawler import Crawler

from archive import clusters
from archive.schema import connect
from pipelines.items import PageItem
from pipelines.store_stage import is_disk_full, stop_disk_full

logger = logging.getLogger(__name__)


class ClusterPipeline:
    """MinHash the stored text and join (or start) a story cluster; never drops an item."""

    def __init__(self, db_path: str, enabled: bool, backfill: int,
                 window_days: int | None = clusters.WINDOW_DAYS) -> None:
        self.db_path = db_path
        self.enabled = enabled
        self.backfill = backfill
        self.window_days = window_days or None  # 0: compare with the whole archive
        self.crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterPipeline:
        """Read ARSHIF_DB, ARSHIF_CLUSTERS, ARSHIF_CLUSTER_BACKFILL, ARSHIF_CLUSTER_WINDOW_DAYS."""
        s = crawler.settings
        stage = cls(s.get("ARSHIF_DB"), s.getbool("ARSHIF_CLUSTERS", True),
                    s.getint("ARSHIF_CLUSTER_BACKFILL", 5000),
                    s.getint("ARSHIF_CLUSTER_WINDOW_DAYS", clusters.WINDOW_DAYS))
        stage.crawler = crawler
        return stage

    def open_spider(self) -> None:
        """Open the archive; sign articles an earlier run stored but did not cluster."""
        self.db = connect(Path(self.db_path))
        if self.enabled and self.backfill > 0:
            done = clusters.backfill(self.db, self.backfill)
            if done:
                logger.info("Clustered %d stored articles that had no signature", done)

    def close_spider(self) -> None:
        """Close the archive connection."""
        self.db.close()

    def process_item(self, item: PageItem) -> PageItem:
        """Assign the stored article to a cluster (unchanged text keeps its cluster)."""
        if not self.enabled:
            return item
        article = clusters.stored_article(self.db, item["url"])
        if article is None:
            return item
        pre = (item.get("precomputed") or {}).get("signature")
        if pre and pre[2] == article["content_sha256"]:
            article["signature"] = pre[:2]  # computed by a worker from the same text
        else:  # no worker signature (or the stored text differs): sign the stored text
            article["text"] = self.db.execute(
                "select text from articles where id = ?", [article["id"]]).fetchone()[0]
        try:
            cluster = clusters.assign(self.db, article, self.window_days)
        except sqlite3.OperationalError as exc:
            if not is_disk_full(exc):
                raise
            # The article is stored; the next run's backfill clusters it. Stop, in one line.
            if self.crawler is not None:
                stop_disk_full(self.crawler, Path(self.db_path), exc)
            return item
        if cluster is not None and cluster != article["id"]:
            logger.info("Cluster %s: %s joins a story first stored as article %s",
                        cluster, item["url"], cluster)
        return item
