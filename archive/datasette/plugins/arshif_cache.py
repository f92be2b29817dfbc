"""Datasette plugin: an in-memory cache of whole responses when every database is immutable.

A public archive never changes while it is served (`arshif serve` opens it immutable), so the
same URL always gives the same bytes: a repeated search, article page, JSON or CSV is replayed
instead of re-run and re-rendered (bench/README.md, "Load": 8–18 ms CPU per request saved).
Only plain GETs with no cookie are cached, only 200s without Set-Cookie, per worker process,
least recently used first out, within a byte budget. Identical requests that arrive while the
first is still being answered wait for it and replay its response (request coalescing, as
nginx's proxy_cache_lock does) instead of each running the same queries and templates.
"""

from __future__ import annotations

import asyncio
import os
from collections import OrderedDict
from typing import Any

from datasette import hookimpl

BUDGET = int(os.environ.get("ARSHIF_CACHE_MB", "64")) * 1024 * 1024
MAX_ENTRY = 2 * 1024 * 1024  # a bigger response (a whole CSV) is not worth a slot
Key = tuple[str, bytes, str, bytes]


class ResponseCache:
    """Least-recently-used ASGI responses (start and body messages) within a byte budget."""

    def __init__(self, budget: int = BUDGET):
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[Key, tuple[int, list[dict[str, Any]]]] = OrderedDict()

    def get(self, key: Key) -> list[dict[str, Any]] | None:
        """The messages stored under key (now the most recently used), or None."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        self.entries.move_to_end(key)
        return entry[1]

    def put(self, key: Key, messages: list[dict[str, Any]], size: int) -> None:
        """Store messages, dropping the least recently used entries beyond the budget."""
        if key in self.entries or size > self.budget:
            return
        self.entries[key] = (size, messages)
        self.size += size
        while self.size > self.budget:
            _, (dropped, _) = self.entries.popitem(last=False)
            self.size -= dropped


def cacheable_request(scope: dict[str, Any]) -> bool:
    """A GET without cookies, not one of the live /-/ pages (static files are fine)."""
    path = scope.get("path", "")
    if scope.get("method") != "GET" or (path.startswith("/-/") and
                                         not path.startswith("/-/static/")):
        return False
    return not any(name.lower() == b"cookie" for name, _ in scope.get("headers") or [])


def all_immutable(datasette) -> bool:
    """True when no file-backed database can change under the server."""
    files = [db for db in datasette.databases.values() if not db.is_memory]
    return bool(files) and not any(db.is_mutable for db in files)


@hookimpl
def asgi_wrapper(datasette):
    """Replay a stored response for a repeated URL; store the 200s of the others."""
    cache = ResponseCache()
    in_flight: dict[Key, asyncio.Future] = {}  # URL being answered -> its messages or None
    enabled: list[bool] = []  # decided at the first request: databases are attached by then

    def wrap(app):
        async def cached(scope, receive, send):
            if scope.get("type") != "http" or not cacheable_request(scope):
                return await app(scope, receive, send)
            if not enabled:
                enabled.append(all_immutable(datasette))
            if not enabled[0]:
                return await app(scope, receive, send)
            host = dict(scope.get("headers") or []).get(b"host", b"")
            key = (scope.get("scheme", "http"), host, scope.get("path", ""),
                   scope.get("query_string", b""))
            hit = cache.get(key)
            if hit is None and key in in_flight:
                # Same URL already being answered: wait for it (None: it was not cacheable).
                hit = await asyncio.shield(in_flight[key])
            if hit is not None:
                for message in hit:
                    await send(message)
                return None
            done: asyncio.Future = asyncio.get_running_loop().create_future()
            in_flight[key] = done
            stored = None
            try:
                stored = await answer(app, scope, receive, send, key)
            finally:
                if in_flight.get(key) is done:
                    del in_flight[key]
                done.set_result(stored)  # waiters replay it, or answer themselves on None
            return None

        return cached

    async def answer(app, scope, receive, send, key: Key) -> list[dict[str, Any]] | None:
        """Run the app for this request; store and return its messages when cacheable."""
        messages: list[dict[str, Any]] = []
        size = [len(key[2]) + len(key[3])]

        async def capture(message):
            if size[0] <= MAX_ENTRY:
                messages.append(message)
                size[0] += len(message.get("body") or b"")
            await send(message)

        await app(scope, receive, capture)
        start = messages[0] if messages else {}
        headers = {name.lower() for name, _ in start.get("headers") or []}
        if (start.get("status") == 200 and b"set-cookie" not in headers
                and size[0] <= MAX_ENTRY and not messages[-1].get("more_body")):
            cache.put(key, messages, size[0])
            return messages
        return None

    return wrap
