"""A progress line on stderr every N seconds during a crawl (when stderr is a terminal)."""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from pipelines import runstats


def enabled(setting: str | None, stream: TextIO) -> bool:
    """ARSHIF_PROGRESS: '1'/'true' forces it on, '0'/'false' off, empty = only on a TTY."""
    value = (setting or os.environ.get("ARSHIF_PROGRESS") or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def render(per_source: dict[str, dict[str, Any]], elapsed: float) -> str:
    """One block: totals and rate, then one short line per source that has done something."""
    def total(key: str) -> int:
        return sum(int(row.get(key, 0)) for row in per_source.values())

    pages, new = total("pages"), total("new")
    rate = pages / elapsed * 60 if elapsed > 0 else 0.0
    head = (f"[arshif {int(elapsed // 60):d}m{int(elapsed % 60):02d}s] requests {total('requests')}"
            f"  pages {pages} ({rate:.0f}/min)  new {new}  known skipped {total('skipped_known')}"
            f"  not modified {total('not_modified')}")
    lines = [head]
    for name, row in sorted(per_source.items()):
        dropped = sum(row.get("dropped", {}).values())
        if row.get("pages") or row.get("requests"):
            lines.append(f"  {name:<18} pages {row.get('pages', 0):>5}  new {row.get('new', 0):>4}"
                         f"  skipped {row.get('skipped_known', 0):>5}  dropped {dropped:>4}")
    return "\n".join(lines)


class Progress:
    """Scrapy extension: print render() every ARSHIF_PROGRESS_SECONDS on stderr."""

    def __init__(self, crawler: Crawler, interval: float, stream: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.stream = stream
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        """Enabled on a TTY or when ARSHIF_PROGRESS is set."""
        settings = crawler.settings
        if not enabled(settings.get("ARSHIF_PROGRESS"), sys.stderr):
            # No message: Scrapy logs a NotConfigured with one as a WARNING, which would land in
            # every cron log although off is the intended state there.
            raise NotConfigured
        ext = cls(crawler, settings.getfloat("ARSHIF_PROGRESS_SECONDS", 10), sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        """Start the periodic report."""
        self.started = time.monotonic()
        if self.interval > 0:
            self._loop = task.LoopingCall(self.report)
            self._loop.start(self.interval, now=False)

    def report(self) -> None:
        """Write one progress block."""
        block = render(runstats.per_source(self.crawler.stats), time.monotonic() - self.started)
        self.stream.write(block + "\n")
        self.stream.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Stop reporting (the CLI prints the final summary)."""
        if self._loop and self._loop.running:
            self._loop.stop()
