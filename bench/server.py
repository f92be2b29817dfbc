"""A small in-memory HTTP/1.1 keep-alive server for the generated site, and a capacity probe.

Run in its own process (`python -m bench.server SITE_DIR`): it loads every file into memory,
pre-compresses it with gzip (served when the client accepts it, as real outlets do), prints
`ready <base-url>` and serves 127.0.0.1 only. `GET /__stats` returns its request count and
its own CPU seconds, so a benchmark can show the server was not the bottleneck.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import resource
import sys
import time
from pathlib import Path

from bench.site import load_manifest

TYPES = {".html": b"text/html; charset=UTF-8", ".xml": b"application/xml; charset=UTF-8",
         ".txt": b"text/plain; charset=UTF-8"}


class Site:
    """Every route's body, plain and gzipped, with {base} already replaced."""

    def __init__(self, root: Path, base: str) -> None:
        self.routes: dict[bytes, tuple[bytes, bytes, bytes]] = {}
        for path, file in load_manifest(root)["routes"].items():
            body = (root / file).read_bytes().replace(b"{base}", base.encode())
            ctype = TYPES.get(Path(file).suffix, b"application/octet-stream")
            self.routes[path.encode()] = (ctype, body, gzip.compress(body, 6))
        self.requests = 0


def _response(status: bytes, ctype: bytes, body: bytes, gz: bool) -> bytes:
    head = [b"HTTP/1.1 " + status, b"Content-Type: " + ctype,
            b"Content-Length: " + str(len(body)).encode(), b"Connection: keep-alive"]
    if gz:
        head.append(b"Content-Encoding: gzip")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


async def _handle(site: Site, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            method, target, _ = (lines[0].split(b" ") + [b"", b""])[:3]
            path = target.split(b"?", 1)[0]
            gz = any(ln.lower().startswith(b"accept-encoding:") and b"gzip" in ln.lower()
                     for ln in lines[1:])
            site.requests += 1
            if path == b"/__stats":
                ru = resource.getrusage(resource.RUSAGE_SELF)
                stats = {"requests": site.requests, "cpu": ru.ru_utime + ru.ru_stime}
                out = _response(b"200 OK", b"application/json", json.dumps(stats).encode(), False)
            elif path in site.routes:
                ctype, plain, packed = site.routes[path]
                out = _response(b"200 OK", ctype, packed if gz else plain, gz)
            else:
                out = _response(b"404 Not Found", TYPES[".html"], b"<html>404</html>", False)
            if method == b"HEAD":
                out = out.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
            writer.write(out)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def _serve(root: Path) -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()  # we only needed a free port to know the base URL before loading
    base = f"http://127.0.0.1:{port}"
    site = Site(root, base)
    server = await asyncio.start_server(lambda r, w: _handle(site, r, w), "127.0.0.1", port,
                                        backlog=512)
    print(f"ready {base}", flush=True)
    async with server:
        await server.serve_forever()


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


if __name__ == "__main__":
    asyncio.run(_serve(Path(sys.argv[1])))
