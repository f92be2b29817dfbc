"""The fixture HTTP server: sites on 127.0.0.1 ports, and the sample outlets it serves.

One core (FixtureServer) serves every local site Arshif is tested or shown against: the sample
outlets of crawler/demo/sites (`arshif demo`, tests), the hostile site of tests/faults and the
generated site of bench/. A site is any object with `reply(path, handler)`; the core adds what
they share: HTTP/1.1 keep-alive, HEAD, ETags and 304s, and gzip when the client accepts it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import yaml

SITES_DIR = Path(__file__).resolve().parent / "sites"  # package data: the demo runs from a wheel

# Content types by extension; HTML gets UTF-8 unless a route says otherwise.
TYPES = {
    ".html": "text/html; charset=UTF-8",
    ".xml": "application/xml; charset=UTF-8",
    ".txt": "text/plain; charset=UTF-8",
    ".gz": "application/x-gzip",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


@dataclass
class Reply:
    """One HTTP answer; `gzipped` is the body compressed, sent instead when the client asks."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    gzipped: bytes | None = None


# A Reply, or a function that writes to the raw connection itself (faults that break HTTP).
Answer = Reply | Callable[[BaseHTTPRequestHandler], None]


class Site(Protocol):
    """What FixtureServer serves."""

    conditional: bool  # send ETags and answer a matching If-None-Match with 304

    def reply(self, path: str, handler: BaseHTTPRequestHandler) -> Answer:
        """The answer to a request for path (handler.path has the query string too)."""
        ...


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real outlets and Scrapy use it
    server: FixtureServer

    def setup(self) -> None:
        """Set TCP_NODELAY when the server asks for it, before the streams are made."""
        self.disable_nagle_algorithm = self.server.nodelay
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        """Answer with headers and body."""
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server API
        """Answer with headers only."""
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        site = self.server.site
        answer = site.reply(urlsplit(self.path).path or "/", self)
        try:
            if not isinstance(answer, Reply):
                self.close_connection = True  # the function owns the socket now
                answer(self)
                return
            status, headers, body = answer.status, dict(answer.headers), answer.body
            if answer.gzipped is not None and "gzip" in self.headers.get("Accept-Encoding", ""):
                body, headers["Content-Encoding"] = answer.gzipped, "gzip"
            if site.conditional and status == 200:
                headers.setdefault("ETag", '"' + hashlib.sha1(body).hexdigest()[:20] + '"')
                if self.headers.get("If-None-Match") == headers["ETag"]:
                    status, body = 304, b""
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client hung up: a crawler may

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: tests read the crawl's own log, not the server's


class FixtureServer(ThreadingHTTPServer):
    """One site on a free 127.0.0.1 port, served from background threads."""

    daemon_threads = True

    def __init__(self, site: Site, backlog: int = 5, nodelay: bool = False) -> None:
        # backlog: connections waiting to be accepted. Past it new ones wait a SYN retry (1 s):
        # the small default keeps the pace the crash tests were tuned on; a benchmark raises it.
        # nodelay: headers and body leave in two writes, and on a keep-alive connection Nagle
        # holds the body until the client's delayed ACK (~40 ms); a benchmark cannot wait.
        self.request_queue_size = backlog
        self.nodelay = nodelay
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.base = f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FixtureServer:
        """Serve in a daemon thread until stop()."""
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self.shutdown()
        self.server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # broken connections are a crawler's right; the crawl's log is what tests read


# -- the sample outlets -----------------------------------------------------------------------


@dataclass
class Outlet:
    """One fixture outlet: its folder, its site.yaml and the port it is served on."""

    name: str
    root: Path
    config: dict[str, Any]
    base: str = ""
    server: FixtureServer | None = None
    hits: list[str] = field(default_factory=list)
    delay: float = 0.0  # seconds before every answer (a slow outlet), plus a route's `delay`
    conditional: bool = True  # send ETags and answer a matching If-None-Match with 304

    def fill(self, value: Any) -> Any:
        """Replace {base} in strings, lists and dicts with this outlet's base URL."""
        if isinstance(value, str):
            return value.replace("{base}", self.base)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value

    @property
    def source(self) -> dict[str, Any]:
        """The sources.yaml entry for this outlet, with real URLs."""
        return self.fill(self.config["source"])

    def reply(self, path: str, handler: BaseHTTPRequestHandler) -> Reply:
        """Record the hit, wait the outlet's and the route's delay, then answer."""
        self.hits.append(handler.path)
        route = (self.config.get("routes") or {}).get(path) or {}
        wait = self.delay + float(route.get("delay", 0))
        if wait > 0:
            time.sleep(wait)
        return self.resolve(path)

    def resolve(self, path: str) -> Reply:
        """The answer to a request path: a site.yaml route, or a file under public/."""
        routes = self.config.get("routes") or {}
        route = routes.get(path)
        if route is None:
            file = self._file_for(path)
            if file is None:
                return Reply(404, {"Content-Type": "text/html; charset=UTF-8"}, self._not_found())
            route = {"file": str(file.relative_to(self.root / "public"))}
        status = int(route.get("status", 200))
        headers: dict[str, str] = {}
        if "location" in route:
            headers["Location"] = self.fill(route["location"])
        body = b""
        if "file" in route:
            file = self.root / "public" / route["file"]
            body = file.read_bytes().replace(b"{base}", self.base.encode("ascii"))
            ctype = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0]
            headers["Content-Type"] = ctype or "application/octet-stream"
        elif status == 404:
            body = self._not_found()
            headers["Content-Type"] = "text/html; charset=UTF-8"
        # gzip: a .gz file made from the filled-in file; content_encoding: gzip on the wire.
        # mtime=0 keeps the bytes (and so the ETag) the same from one request to the next.
        if route.get("gzip"):
            body = gzip.compress(body, mtime=0)
            headers["Content-Type"] = "application/x-gzip"
        if route.get("content_encoding") == "gzip":
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        if "content_type" in route:
            headers["Content-Type"] = route["content_type"]
        for key, value in (route.get("headers") or {}).items():
            headers[key] = str(value)
        return Reply(status, headers, body)

    def _file_for(self, path: str) -> Path | None:
        public = (self.root / "public").resolve()
        rel = path.lstrip("/")
        candidates = [public / rel, public / rel / "index.html", public / (rel + ".html")]
        for cand in candidates:
            cand = cand.resolve()
            # Never serve outside the outlet's public folder.
            if public in cand.parents and cand.is_file():
                return cand
        return None

    def _not_found(self) -> bytes:
        page = self.root / "public" / "404.html"
        if page.is_file():
            return page.read_bytes()
        return "<html><body><h1>404 - الصفحة غير موجودة</h1></body></html>".encode()


def load_outlets(root: Path = SITES_DIR, names: list[str] | None = None) -> list[Outlet]:
    """Read every outlet folder (one with a site.yaml) under root."""
    outlets = []
    for cfg in sorted(root.glob("*/site.yaml")):
        name = cfg.parent.name
        if names and name not in names:
            continue
        outlets.append(Outlet(name, cfg.parent, yaml.safe_load(cfg.read_text("utf-8"))))
    if not outlets:
        raise FileNotFoundError(f"no fixture outlets (*/site.yaml) under {root}")
    return outlets


class SiteServer:
    """Serve outlets, each on its own 127.0.0.1 port, in background threads."""

    def __init__(self, root: Path = SITES_DIR, names: list[str] | None = None,
                 delay: float = 0.0, conditional: bool = True) -> None:
        self.outlets = load_outlets(root, names)
        for outlet in self.outlets:
            outlet.delay, outlet.conditional = delay, conditional

    def start(self) -> SiteServer:
        """Bind every outlet to a free port and start serving."""
        for outlet in self.outlets:
            outlet.server = FixtureServer(outlet)
            outlet.base = outlet.server.base
            outlet.server.start()
        return self

    def stop(self) -> None:
        """Shut every outlet's server down."""
        for outlet in self.outlets:
            if outlet.server:
                outlet.server.stop()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def sources(self) -> list[dict[str, Any]]:
        """The sources.yaml entries of the served outlets."""
        return [o.source for o in self.outlets]

    def write_sources(self, path: Path) -> Path:
        """Write a sources.yaml for the served outlets."""
        path.write_text(yaml.safe_dump({"sources": self.sources()}, allow_unicode=True), "utf-8")
        return path


def main() -> None:
    """Serve the fixture outlets until interrupted (python -m crawler.demo.server)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=SITES_DIR)
    parser.add_argument("--sources-out", type=Path, help="write a sources.yaml here")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    with SiteServer(args.root, args.names or None) as srv:
        if args.sources_out:
            srv.write_sources(args.sources_out)
        for outlet in srv.outlets:
            print(f"{outlet.name}\t{outlet.base}/", flush=True)
        print("ready", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
