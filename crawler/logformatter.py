"""Log lines that name the page, not the whole item (whose body is the raw page)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


class ArshifLogFormatter(logformatter.LogFormatter):
    """Say which URL was dropped and why, in one short line."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None
                ) -> logformatter.LogFormatterResult:
        """A dropped page: its URL and the DropItem reason."""
        url = item.get("final_url") or item.get("url") if hasattr(item, "get") else item
        return {
            "level": logging.INFO,
            "msg": "Dropped %(url)s: %(exception)s",
            "args": {"url": url, "exception": exception},
        }

    def scraped(self, item: Any, response: Any, spider: Any = None
                ) -> logformatter.LogFormatterResult:
        """A stored page: its URL only."""
        url = item.get("url") if hasattr(item, "get") else item
        return {"level": logging.DEBUG, "msg": "Scraped %(url)s", "args": {"url": url}}

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any = None
                   ) -> logformatter.LogFormatterResult:
        """A stage crashed on a page: its URL (the traceback follows), never the raw body."""
        url = item.get("final_url") or item.get("url") if hasattr(item, "get") else item
        return {
            "level": logging.ERROR,
            "msg": "Error processing %(url)s: %(exception)r",
            "args": {"url": url, "exception": exception},
        }
