"""A hostile web site on 127.0.0.1: every fault a crawler meets, one path each, plus good articles.

`FaultSite()` is a site for crawler.demo.server's FixtureServer. On its own port it serves good
Arabic articles (`/good/N`), feeds and sitemaps that point at the faults, and the faults
themselves (`/f/<name>`, `/bad/<name>.xml`; pages and the gzip bomb in tests/faults/pages.py).
It also holds a bound-but-not-listening port (connection refused) and a second, "other domain"
server for the off-site redirect. Nothing here ever sends a packet outside 127.0.0.0/8.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import yaml

from crawler.demo.server import Answer, FixtureServer, Reply
from tests.faults.pages import (
    DEEP_LEVELS,
    LONG_TITLE_CHARS,
    MB,
    article_html,
    article_text,
    gzip_bomb,
)

HUGE_SITEMAP_URLS = 100_000


# A plain answer (status, headers, body), or a function that writes to the raw handler.
Page = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]


class FaultSite:
    """The hostile site: start(), base, url(path), hits, source() for sources.yaml."""

    conditional = False  # no ETags: every answer is exactly what its fault says

    def __init__(self, delay: float = 0.0, good: int = 3) -> None:
        self.delay = delay  # seconds added before answering every request (kill -9 trials)
        self.good = good  # /good/0 … /good/{good-1} are listed in the feed
        self.hits: list[tuple[float, str]] = []
        self.other_hits: list[str] = []
        self.stopping = threading.Event()
        self.base = self.other_base = ""
        self.refused_port = 0
        self._servers: list[FixtureServer] = []
        self._refuser: socket.socket | None = None
        self._huge = b""

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FaultSite:
        """Bind the site, the off-site server and the refusing port; serve in threads."""
        main = FixtureServer(self).start()
        other = FixtureServer(_OtherSite(self)).start()
        self._servers += [main, other]
        self.base, self.other_base = main.base, other.base
        # Bound but never listening: a connect() to it is refused, and no one else gets the port.
        self._refuser = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._refuser.bind(("127.0.0.1", 0))
        self.refused_port = self._refuser.getsockname()[1]
        return self

    def stop(self) -> None:
        """Stop serving; hanging and trickling handlers end too."""
        self.stopping.set()
        for srv in self._servers:
            srv.stop()
        if self._refuser:
            self._refuser.close()

    def __enter__(self) -> FaultSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        """Absolute URL of a path on the site."""
        return self.base + path

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        return [p for _, p in self.hits]

    def hit_times(self, path: str) -> list[float]:
        """When each request for path arrived (time.monotonic)."""
        return [t for t, p in self.hits if p == path]

    # -- what is served -------------------------------------------------------------------

    ARTICLE_FAULTS = [
        "refused", "reset", "hang", "trickle", "500", "502", "503-retry-after", "429-then-ok",
        "503-retry-after-too-long", "403", "redirect-loop", "redirect-chain/9",
        "redirect-chain/3", "offsite", "to-private", "to-file", "big", "big-stream",
        "gzip-bomb", "binary", "pdf", "empty", "truncated", "deep", "nul", "bad-utf8",
        "mislabelled", "future-date", "long-title", "script",
    ]
    BAD_FEEDS = ["invalid", "laughs", "xxe", "empty", "html", "redirect-private"]

    def article_urls(self) -> list[str]:
        """Every URL the main feed lists: the good articles, then one per fault."""
        urls = [self.url(f"/good/{n}") for n in range(self.good)]
        for name in self.ARTICLE_FAULTS:
            if name == "refused":
                urls.append(f"http://127.0.0.1:{self.refused_port}/f/refused")
            else:
                urls.append(self.url(f"/f/{name}"))
        return urls

    def source(self, faults: bool = True, **extra: Any) -> dict[str, Any]:
        """The sources.yaml entry: the main feed, plus bad feeds and sitemaps when faults."""
        entry: dict[str, Any] = {
            "name": "hostile", "title": "موقع معاد", "homepage": self.url("/"),
            "feeds": [self.url("/feed.xml" if faults else "/good-feed.xml")],
            "allow_private_network": True,
            "domains": [f"127.0.0.1:{self.refused_port}"],
        }
        if faults:
            entry["feeds"] += [self.url(f"/bad/{name}.xml") for name in self.BAD_FEEDS]
            entry["sitemaps"] = [self.url("/sitemap-self.xml"), self.url("/sitemap-huge.xml")]
        return entry | extra

    def write_sources(self, path: Path, **kw: Any) -> Path:
        """Write a sources.yaml with the one hostile source."""
        text = yaml.safe_dump({"sources": [self.source(**kw)]}, allow_unicode=True)
        path.write_text(text, "utf-8")
        return path

    def _feed(self, urls: list[str]) -> bytes:
        items = "".join(
            f"<item><title>خبر {i}</title><link>{u}</link>"
            f"<pubDate>Tue, 05 Mar 2024 07:{i % 60:02d}:00 +0000</pubDate></item>"
            for i, u in enumerate(urls)
        )
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>موقع معاد</title><link>{self.base}/</link>{items}</channel></rss>"
                ).encode()

    def _bad_feed(self, name: str) -> bytes:
        link = self.url("/good/0")
        if name == "invalid":
            return b'<?xml version="1.0"?><rss><channel><item><link>' + link.encode() + b"</item>"
        if name == "laughs":
            ents = '<!ENTITY lol "lol">' + "".join(
                f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'
                for i in range(1, 10))
            return (f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel>'
                    f"<item><title>&lol9;</title><link>{self.url('/good/1')}</link></item>"
                    "</channel></rss>").encode()
        if name == "xxe":
            return (f'<?xml version="1.0"?><!DOCTYPE rss ['
                    f'<!ENTITY probe SYSTEM "{self.url("/xxe-probe")}">'
                    f'<!ENTITY passwd SYSTEM "file:///etc/passwd">'
                    f'<!ENTITY % remote SYSTEM "{self.url("/xxe-dtd")}"> %remote;]>'
                    '<rss version="2.0"><channel>'
                    f"<item><title>&passwd;</title><link>{self.url('/good/2')}</link></item>"
                    "<item><title>probe</title><link>&probe;</link></item>"
                    "</channel></rss>").encode()
        if name == "empty":
            return b""
        return "<html><body><p>ليست خلاصة</p></body></html>".encode()  # name == "html"

    def _sitemap_self(self) -> bytes:
        return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.url('/sitemap-self.xml')}</loc></sitemap>"
                f"<sitemap><loc>{self.url('/sitemap-child.xml')}</loc></sitemap>"
                f"</sitemapindex>").encode()

    def _sitemap_child(self) -> bytes:
        return (f'<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{self.url('/sitemap-index-child')}</loc></url>"
                f"<url><loc>{self.url('/sitemap-self.xml')}</loc></url></urlset>").encode()

    def huge_sitemap(self) -> bytes:
        """A urlset of HUGE_SITEMAP_URLS URLs (about 5 MB)."""
        if self._huge:
            return self._huge
        head = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
        urls = "".join(f"<url><loc>{self.base}/huge/{i}</loc></url>"
                       for i in range(HUGE_SITEMAP_URLS))
        self._huge = (head + urls + "</urlset>").encode()
        return self._huge

    def page(self, path: str) -> Page:
        """Status, headers and body for a path, or a function that writes to the raw handler."""
        html = {"Content-Type": "text/html; charset=utf-8"}
        xml = {"Content-Type": "application/xml; charset=utf-8"}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if path == "/":
            return 200, html, article_html(0, title="الرئيسية").encode()
        if path == "/feed.xml":
            return 200, xml, self._feed(self.article_urls())
        if path == "/good-feed.xml":
            return 200, xml, self._feed([self.url(f"/good/{n}") for n in range(self.good)])
        if path == "/bad/redirect-private.xml":  # a feed that moved to another loopback address
            return 302, {"Location": self.base.replace("127.0.0.1", "127.0.0.2") + "/feed.xml"}, b""
        if path.startswith("/bad/") and path.endswith(".xml"):
            return 200, xml, self._bad_feed(path[5:-4])
        if path == "/sitemap-self.xml":
            return 200, xml, self._sitemap_self()
        if path == "/sitemap-child.xml":
            return 200, xml, self._sitemap_child()
        if path == "/sitemap-huge.xml":
            return 200, xml, self.huge_sitemap()
        if path.startswith("/good/") or path == "/sitemap-index-child":
            n = int(path.rsplit("/", 1)[1]) if path.startswith("/good/") else 40
            return 200, html, article_html(n).encode()
        if path.startswith("/f/"):
            return self.fault(path[3:])
        return 404, html, "<html><body>غير موجود</body></html>".encode()

    def fault(self, name: str) -> Page:
        """One fault by name (see ARTICLE_FAULTS)."""
        html = {"Content-Type": "text/html; charset=utf-8"}
        simple: dict[str, tuple[int, dict[str, str], bytes]] = {
            "500": (500, html, b"<html><body>Internal error</body></html>"),
            "502": (502, html, b"<html><body>Bad gateway</body></html>"),
            "503-retry-after": (503, html | {"Retry-After": "1"}, b"busy"),
            "503-retry-after-too-long": (503, html | {"Retry-After": "3600"}, b"busy"),
            "403": (403, html, "<html><body>ممنوع</body></html>".encode()),
            "redirect-loop": (302, {"Location": self.url("/f/redirect-loop-b")}, b""),
            "redirect-loop-b": (301, {"Location": self.url("/f/redirect-loop")}, b""),
            "offsite": (302, {"Location": self.other_base + "/story/1"}, b""),
            "to-private": (302, {"Location": self.base.replace("127.0.0.1", "127.0.0.2")
                                 + "/good/7"}, b""),
            "to-file": (302, {"Location": "file:///etc/passwd"}, b""),
            "binary": (200, html, bytes(range(256)) * 64),
            "pdf": (200, html, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 50),
            "empty": (200, html, b""),
        }
        if name in simple:
            return simple[name]
        if name.startswith("redirect-chain/"):
            left = int(name.rsplit("/", 1)[1])
            if left == 0:
                return 200, html, article_html(30 + len(name)).encode()
            return 302, {"Location": self.url(f"/f/redirect-chain/{left - 1}")}, b""
        if name == "429-then-ok":
            if len(self.hit_times("/f/429-then-ok")) <= 1:
                return 429, html | {"Retry-After": "1"}, b"slow down"
            return 200, html, article_html(21).encode()
        if name == "truncated":
            page = article_html(22).encode()
            return 200, html, page[: int(len(page) * 0.75)]
        if name == "deep":
            body = "<div>" * DEEP_LEVELS + " ".join(article_text(23)) + "</div>" * DEEP_LEVELS
            return 200, html, article_html(23, paragraphs=[body]).encode()
        if name == "nul":
            paras = [p.replace(" ", " \x00", 3) for p in article_text(24)]
            return 200, html, article_html(24, paragraphs=paras).encode()
        if name == "bad-utf8":
            page = article_html(25).encode()
            cut = page.index(b"<p>") + 3
            return 200, html, page[:cut] + b"\xff\xfe\xc3\x28\xa0\xa1" + page[cut:]
        if name == "mislabelled":
            page = article_html(26, charset="windows-1256").encode("cp1256")
            return 200, html, page  # says UTF-8 in the header, is windows-1256
        if name == "future-date":
            return 200, html, article_html(27, published="2099-01-01T10:00:00+03:00").encode()
        if name == "long-title":
            title = "خبر عاجل عن داعش في العراق " * (LONG_TITLE_CHARS // 27)
            return 200, html, article_html(28, title=title, h1="خبر عاجل").encode()
        if name == "script":
            title = "خبر &lt;script&gt;alert(1)&lt;/script&gt; عاجل"
            paras = article_text(29) + ["نص فيه &lt;script&gt;alert(2)&lt;/script&gt; كنص."]
            extra = "<script>document.title='pwned'</script>"
            return 200, html, article_html(29, title=title, paragraphs=paras,
                                           head_extra=extra).encode()
        raw: dict[str, Callable[[Any], None]] = {
            "reset": self._reset, "hang": self._hang, "trickle": self._trickle,
            "big": self._big, "big-stream": self._big, "gzip-bomb": self._bomb,
        }
        if name in raw:
            return raw[name]
        return 404, html, b"<html><body>no such fault</body></html>"

    # -- faults that break HTTP itself (they write to the socket) ---------------------------

    def _reset(self, h: Any) -> None:
        """Half the promised body, then a TCP RST."""
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      b"Content-Length: 20000\r\n\r\n" + article_html(31).encode()[:2000])
        h.wfile.flush()
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()

    def _hang(self, h: Any) -> None:
        """Read the request, never answer (until the site stops or a minute passes)."""
        self.stopping.wait(60)

    def _trickle(self, h: Any) -> None:
        """A page at one byte per second."""
        page = article_html(32).encode()
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(page))
        for i in range(len(page)):
            if self.stopping.wait(1.0):
                return
            h.wfile.write(page[i:i + 1])
            h.wfile.flush()

    def _big(self, h: Any) -> None:
        """50 MB of HTML, with a Content-Length (/f/big) or ended by closing (/f/big-stream)."""
        size = 50 * MB
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        if h.path.endswith("/big"):
            head += b"Content-Length: %d\r\n" % size
        h.wfile.write(head + b"Connection: close\r\n\r\n<html><body>")
        block = ("<p>" + "كلام " * 2000 + "</p>\n").encode()
        sent = 0
        while sent < size and not self.stopping.is_set():
            h.wfile.write(block)
            sent += len(block)

    def _bomb(self, h: Any) -> None:
        """A gzip body that inflates to BOMB_BYTES."""
        body = gzip_bomb()
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                      b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body))
        h.wfile.write(body)

    # -- serving ------------------------------------------------------------------------------

    def reply(self, path: str, handler: BaseHTTPRequestHandler) -> Answer:
        """Record the hit, wait the site's delay, answer (FixtureServer's Site)."""
        self.hits.append((time.monotonic(), path))
        if self.delay:
            time.sleep(self.delay)
        page = self.page(path)
        return Reply(*page) if isinstance(page, tuple) else page


class _OtherSite:
    """The "other domain" an off-site redirect points at: one article on every path."""

    conditional = False

    def __init__(self, site: FaultSite) -> None:
        self.site = site

    def reply(self, path: str, handler: BaseHTTPRequestHandler) -> Reply:
        """Record the hit and answer with the article."""
        self.site.other_hits.append(handler.path)
        body = article_html(50, title="خبر من موقع آخر").encode()
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body)
