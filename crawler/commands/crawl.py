"""`scrapy crawl` as Scrapy runs it, with `arshif crawl`'s exit codes.

0 every source crawled (or not due); 1 a source failed completely, the crawl was interrupted or
a feed export (-o/-O) could not be stored; 2 bad spider arguments (an unknown source, a bad
sources file), said in one line before anything starts.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrapy.commands import crawl
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from pipelines.runstats import NOT_FINISHED


class Command(crawl.Command):
    """Scrapy's crawl command; its exit code also says whether every source was crawled."""

    def __init__(self) -> None:
        super().__init__()
        self._crawlers: list[Crawler] = []

    def long_desc(self) -> str:
        """Scrapy's description plus the exit codes."""
        return (super().long_desc() + "\n\nExit codes: 0 every source crawled, 1 a source failed "
                "completely or the export failed, 2 bad spider arguments.")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Check the spider's arguments, crawl, then set the exit code from the run's outcome."""
        if len(args) == 1 and not self._arguments_ok(args[0], opts.spargs):
            self.exitcode = 2
            return
        super().run(args, opts)
        if self.exitcode == 0:
            self.exitcode = self._outcome(args[0])

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        # Scrapy's run() builds the crawler here; keep it to read its stats after the crawl.
        crawler = super()._create_crawler(spidercls)
        self._crawlers.append(crawler)
        return crawler

    def _arguments_ok(self, name: str, spargs: dict[str, Any]) -> bool:
        """Validate -a arguments up front: a bad one raised in from_crawler is an asyncio trace."""
        assert self.crawler_process is not None and self.settings is not None
        try:
            spidercls = self.crawler_process.spider_loader.load(name)
        except KeyError:
            return True  # Scrapy says "Spider not found" itself
        check = getattr(spidercls, "check_arguments", None)
        if check is None:
            return True
        try:
            check(self.settings, **spargs)
        except ValueError as exc:  # SourcesError and the like: the message names the fault
            print(f"scrapy crawl {name}: {exc}", file=sys.stderr)
            return False
        return True

    def _outcome(self, name: str) -> int:
        """1 when a source did not finish or an export failed, else 0."""
        code = 0
        for crawler in self._crawlers:
            if crawler.stats is None:
                continue
            stats = crawler.stats.get_stats()
            if stats.get(NOT_FINISHED):
                print(f"scrapy crawl {name}: not finished: {', '.join(stats[NOT_FINISHED])} "
                      "(see crawl_runs)", file=sys.stderr)
                code = 1
            failed = [k for k, v in stats.items() if k.startswith("feedexport/failed_count/") and v]
            if failed:
                print(f"scrapy crawl {name}: the feed export failed ({', '.join(failed)}); "
                      "see the log above", file=sys.stderr)
                code = 1
        return code
