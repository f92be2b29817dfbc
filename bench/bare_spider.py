"""Row (a), the ceiling: a bare Scrapy spider that only downloads the site's pages.

`python -m bench.bare_spider BASE_URL [--per-domain N]` reads the sitemap index like Arshif
does and fetches every article with Arshif's concurrency and politeness settings (minus the
delays), doing nothing with the responses. Prints one JSON line with the counts.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.spiders import SitemapSpider

from crawler import settings as arshif

COPIED = ("USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
          "COOKIES_ENABLED", "TELNETCONSOLE_ENABLED", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE",
          "REQUEST_FINGERPRINTER_IMPLEMENTATION", "RETRY_TIMES")


class BareSpider(SitemapSpider):
    """Download every URL of the sitemaps; keep nothing."""

    name = "bare"

    def parse(self, response: Response) -> Any:
        """Count the page; nothing else."""
        self.crawler.stats.inc_value("bench/pages")
        self.crawler.stats.inc_value("bench/bytes", len(response.body))
        return None


def main() -> None:
    """Crawl and print {"pages": …, "bytes": …, "seconds": …}."""
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--per-domain", type=int, default=None)
    args = parser.parse_args()
    settings: dict[str, Any] = {k: getattr(arshif, k) for k in COPIED}
    settings |= {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"}
    if args.per_domain:
        settings |= {"CONCURRENT_REQUESTS_PER_DOMAIN": args.per_domain,
                     "CONCURRENT_REQUESTS": max(args.per_domain, arshif.CONCURRENT_REQUESTS)}
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    t0 = time.perf_counter()
    process.crawl(crawler, sitemap_urls=[args.base + "/sitemap_index.xml"])
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("bench/pages", 0), "bytes": stats.get("bench/bytes", 0),
                      "seconds": time.perf_counter() - t0,
                      "per_domain": settings["CONCURRENT_REQUESTS_PER_DOMAIN"]}))


if __name__ == "__main__":
    main()
