"""Answer the spider's robots.txt requests with the copy Scrapy's RobotsTxtMiddleware fetched."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response


class RobotsTxtReuse:
    """One fetch of robots.txt per host: the spider reads the `Sitemap:` lines of the copy
    ROBOTSTXT_OBEY already downloaded, instead of downloading it a second time.

    Sits right after RobotsTxtMiddleware (100): by the time a `kind=robots` request gets here,
    that middleware has fetched the host's robots.txt (its response passed through
    process_response below). Without ROBOTSTXT_OBEY nothing is kept and the request is sent.
    """

    def __init__(self) -> None:
        self._copies: dict[str, Response] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsTxtReuse:
        """Build the middleware."""
        return cls()

    def process_request(self, request: Request) -> Response | None:
        """Serve a spider's robots.txt request from the kept copy, if there is one."""
        if request.meta.get("kind") != "robots":
            return None
        copy = self._copies.get(urlsplit(request.url).netloc)
        if copy is None:
            return None
        headers = copy.headers.copy()
        headers.pop(b"Content-Encoding", None)  # the kept body is already decoded
        # "cached": the WARC capture skips it (the first fetch is already written).
        return copy.replace(url=request.url, headers=headers, request=request,
                            flags=[*copy.flags, "cached"])

    def process_response(self, request: Request, response: Response) -> Response:
        """Keep the robots.txt that RobotsTxtMiddleware fetched (it carries no kind)."""
        parts = urlsplit(request.url)
        if (request.meta.get("dont_obey_robotstxt") and "kind" not in request.meta
                and parts.path == "/robots.txt"):
            self._copies[parts.netloc] = response
        return response
