"""The generated site served by crawler.demo.server's FixtureServer, and a capacity probe.

Run in its own process (`python -m bench.server SITE_DIR`): it loads every file into memory,
pre-compresses it with gzip (served when the client accepts it, as real outlets do), prints
`ready <base-url>` and serves 127.0.0.1 only, with HTTP/1.1 keep-alive. `GET /__stats` returns
its request count and its own CPU seconds, so a benchmark can show the server was not the
bottleneck.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import resource
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from bench.site import load_manifest
from crawler.demo.server import TYPES, FixtureServer, Reply

NOT_FOUND = Reply(404, {"Content-Type": TYPES[".html"]}, b"<html>404</html>")


class BenchSite:
    """Every route's body, plain and gzipped, with {base} already replaced."""

    conditional = False  # the bench crawls a fresh archive: validators would only cost CPU

    def __init__(self, root: Path) -> None:
        self.root = root
        self.routes: dict[str, Reply] = {}
        self.requests = 0
        self._count = threading.Lock()  # handler threads count concurrently

    def load(self, base: str) -> None:
        """Read every file of the manifest into memory, filled in for base."""
        for path, file in load_manifest(self.root)["routes"].items():
            body = (self.root / file).read_bytes().replace(b"{base}", base.encode())
            ctype = TYPES.get(Path(file).suffix, "application/octet-stream")
            self.routes[path] = Reply(200, {"Content-Type": ctype}, body, gzip.compress(body, 6))

    def reply(self, path: str, handler: BaseHTTPRequestHandler) -> Reply:
        """A page from memory, or /__stats (FixtureServer's Site)."""
        with self._count:
            self.requests += 1
        if path == "/__stats":
            ru = resource.getrusage(resource.RUSAGE_SELF)
            stats = {"requests": self.requests, "cpu": ru.ru_utime + ru.ru_stime}
            return Reply(200, {"Content-Type": "application/json"}, json.dumps(stats).encode())
        return self.routes.get(path, NOT_FOUND)


async def _client(base: str, paths: list[bytes], deadline: float, counts: list[int]) -> None:
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    i = len(counts)
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 7
        writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        counts[0] += 1
        counts[1] += length
    writer.close()


def capacity(base: str, paths: list[str], seconds: float = 3.0, conns: int = 8) -> dict:
    """Pages/s and MB/s one client process gets from the server (a lower bound on capacity)."""
    counts = [0, 0]
    raw = [p.encode() for p in paths]

    async def run() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_client(base, raw, deadline, counts) for _ in range(conns)))

    t0 = time.perf_counter()
    asyncio.run(run())
    wall = time.perf_counter() - t0
    return {"pages_s": counts[0] / wall, "mb_s": counts[1] / wall / 1e6, "connections": conns}


def main(root: Path) -> None:
    """Load the site, print `ready <base-url>` and serve until killed."""
    site = BenchSite(root)
    server = FixtureServer(site, backlog=512, nodelay=True)  # as fast as it can answer
    site.load(server.base)  # the base URL is known once the port is bound
    print(f"ready {server.base}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
