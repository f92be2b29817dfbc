"""Redis keys, connection and atomic scripts shared by crawlers, `arshif enqueue` and the writer.

Every key starts with a prefix (ARSHIF_REDIS_PREFIX, default "arshif") so several archives, or
tests, can share one Redis server:

    P:requests              sorted set  the shared frontier (scrapy-redis PriorityQueue)
    P:dupefilter:YYYYMMDD   set         request fingerprints seen that day (expire after N days)
    P:inflight:WORKER       hash        requests a crawler popped but has not finished
    P:workers / P:alive:W   set / key   crawler processes, each with a heartbeat that expires
    P:items[:processing]    list        messages to the one writer, and those it is storing
    P:tally:RUN             hash        the writer's new/updated/unchanged counts per run
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import redis

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Errors that mean "Redis is away for now": pause and retry instead of failing the crawl.
DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, OSError)

# Pop the best request and remember it as in flight for this worker, in one step: a crawler
# killed right after the pop cannot lose the request.
POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local h = redis.sha1hex(r[1])
redis.call('HSET', KEYS[2], 'd:' .. h, r[1], 's:' .. h, r[2])
return r[1]
"""
# Give a worker's in-flight requests back to the frontier (their fingerprints are already in
# the dupefilter, so they go straight into the queue).
REQUEUE = """
local kv = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #kv, 2 do
  if string.sub(kv[i], 1, 2) == 'd:' then
    local score = redis.call('HGET', KEYS[1], 's:' .. string.sub(kv[i], 3)) or '0'
    redis.call('ZADD', KEYS[2], score, kv[i + 1])
    n = n + 1
  end
end
redis.call('DEL', KEYS[1])
return n
"""
# Queue a request unless its fingerprint was seen in the window, in one step, so a crawler
# killed in between cannot leave a URL marked as seen but never queued. KEYS: queue, today's
# set, older sets; ARGV: fingerprint ("" = dont_filter), ttl, score, data ("" = only mark seen).
PUSH = """
local seen = 0
if ARGV[1] ~= '' then
  for i = 3, #KEYS do
    if redis.call('SISMEMBER', KEYS[i], ARGV[1]) == 1 then seen = 1 end
  end
  if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then seen = 1 end
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
if seen == 0 and ARGV[4] ~= '' then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4]) end
return 1 - seen
"""


class Keys:
    """The Redis key names under one prefix."""

    def __init__(self, prefix: str = "arshif") -> None:
        self.prefix = prefix
        self.requests = f"{prefix}:requests"
        self.workers = f"{prefix}:workers"
        self.items = f"{prefix}:items"
        self.processing = f"{prefix}:items:processing"

    def inflight(self, worker: str) -> str:
        """The hash of a worker's in-flight requests."""
        return f"{self.prefix}:inflight:{worker}"

    def alive(self, worker: str) -> str:
        """A worker's heartbeat key (expires when it stops beating)."""
        return f"{self.prefix}:alive:{worker}"

    def dupefilter(self, day: str) -> str:
        """The fingerprint set of one UTC day (YYYYMMDD)."""
        return f"{self.prefix}:dupefilter:{day}"

    def tally(self, run: str) -> str:
        """The writer's outcome counters of one crawler run."""
        return f"{self.prefix}:tally:{run}"


def connect(url: str) -> redis.Redis:
    """A client with short timeouts, so an outage is noticed (and waited out) quickly."""
    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=3,
                                health_check_interval=15)


def worker_id() -> str:
    """host-pid-random: unique per crawler process, readable in logs and WARC names."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:4]}"


def retry(call: Callable[[], T], what: str, stop: Callable[[], bool] = lambda: False,
          cap: float = 30.0) -> T:
    """Run call until Redis answers, sleeping 0.5 s, 1 s, 2 s … (at most cap) in between."""
    delay = 0.5
    while True:
        try:
            return call()
        except DOWN as exc:
            if stop():
                raise
            logger.warning("Redis unavailable (%s: %s); retrying in %.1f s", what, exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, cap)


def requeue_dead(server: redis.Redis, keys: Keys, me: str | None = None) -> int:
    """Give the in-flight requests of crawlers whose heartbeat expired back to the frontier."""
    moved = 0
    for raw in server.smembers(keys.workers):
        worker = raw.decode()
        if worker == me or server.exists(keys.alive(worker)):
            continue
        # RENAME is atomic: of two processes recovering the same worker, only one gets its hash.
        grabbed = f"{keys.inflight(worker)}:recovering:{uuid.uuid4().hex[:6]}"
        try:
            server.rename(keys.inflight(worker), grabbed)
        except redis.ResponseError:  # no such key: nothing in flight, or already recovered
            server.srem(keys.workers, worker)
            continue
        n = server.eval(REQUEUE, 2, grabbed, keys.requests)
        server.srem(keys.workers, worker)
        if n:
            logger.warning("Re-queued %d in-flight requests of stopped crawler %s", n, worker)
        moved += int(n)
    return moved


def busy_elsewhere(server: redis.Redis, keys: Keys, me: str | None = None) -> bool:
    """True while another crawler, live or stopped, has requests in flight (more may follow)."""
    return any(server.hlen(keys.inflight(w.decode()))
               for w in server.smembers(keys.workers) if w.decode() != me)


def live_workers(server: redis.Redis, keys: Keys) -> list[str]:
    """Workers whose heartbeat has not expired."""
    return [w.decode() for w in server.smembers(keys.workers)
            if server.exists(keys.alive(w.decode()))]


def status(server: redis.Redis, keys: Keys) -> dict[str, Any]:
    """Queue lengths and live workers, for logs and tests."""
    return {
        "requests": server.zcard(keys.requests), "items": server.llen(keys.items),
        "processing": server.llen(keys.processing), "workers": live_workers(server, keys),
    }


def _json(value: Any) -> Any:
    """bytes and other odd values as text, so every message serialises."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class Outbox:
    """Messages for the writer on P:items, held in order while Redis is away."""

    def __init__(self, url: str, keys: Keys) -> None:
        self.server = connect(url)
        self.keys = keys
        self.pending: list[str] = []  # messages not yet accepted by Redis (an outage)

    def send(self, message: dict[str, Any]) -> None:
        """Push a message now, or keep it until Redis answers (flushed in order)."""
        self.pending.append(json.dumps(message, ensure_ascii=False, default=_json))
        try:
            self.server.rpush(self.keys.items, *self.pending)
            self.pending.clear()
        except DOWN as exc:
            logger.warning("Redis unavailable, %d messages held: %s", len(self.pending), exc)

    def send_pending(self) -> None:
        """Retry the held messages."""
        if not self.pending:
            # Another item's retry pushed them while this one slept (RPUSH with no values
            # is a Redis error, which used to fail this item after its message was sent).
            return
        try:
            self.server.rpush(self.keys.items, *self.pending)
            self.pending.clear()
        except DOWN:
            pass

    def drain(self, seconds: float = 120) -> None:
        """Wait (bounded, blocking: the crawl is closing) for the held messages to reach Redis."""
        deadline = time.monotonic() + seconds
        while self.pending and time.monotonic() < deadline:
            time.sleep(1)
            self.send_pending()
        if self.pending:
            logger.error("Lost %d messages: Redis did not come back", len(self.pending))
