"""Per-source counters kept in Scrapy's stats and turned into crawl_runs rows."""

from __future__ import annotations

from typing import Any

from scrapy.statscollectors import StatsCollector

PREFIX = "arshif/source/"
# The sources whose run did not finish, set when the run closes (`scrapy crawl` exits 1 on them).
NOT_FINISHED = "arshif/not_finished"
# Set when SQLite said the disk is full: the crawl is being stopped, nothing more is written.
DISK_FULL = "arshif/disk_full"
DAMAGED_DB = "arshif/damaged_database"  # the message of the save that found it damaged


def count(stats: StatsCollector, source: str, key: str, n: int = 1) -> None:
    """Add n to a per-source counter such as 'pages' or 'new'."""
    stats.inc_value(f"{PREFIX}{source}/{key}", n)


def drop(stats: StatsCollector, source: str, reason: str, detail: str | None = None) -> None:
    """Count a dropped page under its reason (and an optional finer detail)."""
    count(stats, source, f"dropped/{reason}")
    if detail:
        count(stats, source, f"detail/{reason}: {detail}"[:200])


def reason_of(message: str) -> tuple[str, str | None]:
    """Split a DropItem message 'reason: detail' into its parts."""
    reason, _, detail = str(message).partition(":")
    return reason.strip() or "error", (detail.strip() or None)


def per_source(stats: StatsCollector) -> dict[str, dict[str, Any]]:
    """Counters grouped by source: {'pages': n, 'dropped': {reason: n}, 'details': {...}}."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in stats.get_stats().items():
        if not key.startswith(PREFIX):
            continue
        source, _, name = key[len(PREFIX):].partition("/")
        row = out.setdefault(source, {"dropped": {}, "details": {}})
        if name.startswith("dropped/"):
            row["dropped"][name[len("dropped/"):]] = value
        elif name.startswith("detail/"):
            row["details"][name[len("detail/"):]] = value
        else:
            row[name] = value
    return out
