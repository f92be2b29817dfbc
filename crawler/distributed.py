"""Distributed crawling on scrapy-redis: shared frontier, in-flight recovery, bounded dupefilter.

Scrapy-redis pops a request from Redis and forgets it: a crawler killed with requests in flight
loses them, and their fingerprints stay in the dupefilter, so nobody fetches them again. Here
the pop also records the request in the worker's `inflight` hash (one Lua script), the request
leaves that hash only when its outcome is settled (its item pushed to the writer or dropped,
its links queued, its error counted), and a worker whose heartbeat expired has its in-flight
requests put back in the queue by any other crawler, by `arshif enqueue` or by the writer.
Redis outages pause the crawl: pops return nothing, pushes wait in a local backlog, and the
spider does not count as idle until Redis answers again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler import redisq

logger = logging.getLogger(__name__)
TAG = "arshif_inflight"  # request.meta key: the in-flight hash field of a popped request
REPLACED = ("pipelines.dedupe.DedupePipeline", "pipelines.store_stage.StorePipeline",
            "pipelines.cluster_stage.ClusterPipeline")  # these run in the writer instead


def apply_settings(settings: BaseSettings, url: str | None = None) -> None:
    """Turn a crawl's settings into a distributed crawler's: scheduler, dupefilter, stages."""
    url = url or settings.get("ARSHIF_REDIS_URL")
    if not url:
        raise ValueError("distributed mode needs ARSHIF_REDIS_URL (or --redis URL)")
    prefix = settings.get("ARSHIF_REDIS_PREFIX") or "arshif"
    if os.environ.get("ARSHIF_REDIS_PREFIX") and settings.getpriority("ARSHIF_REDIS_PREFIX") < 40:
        prefix = os.environ["ARSHIF_REDIS_PREFIX"]  # like --prefix of enqueue/writer; -s wins
    keys = redisq.Keys(prefix)
    pri = 45  # above the command line's 40: these make the mode, they are not preferences
    settings.set("ARSHIF_REDIS_PREFIX", prefix, priority=pri)
    settings.set("ARSHIF_REDIS_URL", url, priority=pri)
    settings.set("REDIS_URL", url, priority=pri)
    settings.set("SCHEDULER", "crawler.distributed.RedisScheduler", priority=pri)
    settings.set("SCHEDULER_QUEUE_KEY", keys.requests, priority=pri)
    settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.PriorityQueue", priority=pri)
    settings.set("SCHEDULER_PERSIST", True, priority=pri)  # the frontier outlives any crawler
    settings.set("DUPEFILTER_CLASS", "crawler.distributed.DayDupeFilter", priority=pri)
    pipes = dict(settings.getdict("ITEM_PIPELINES"))
    for name in REPLACED:
        pipes.pop(name, None)
    pipes["crawler.redis_items.RedisItemPipeline"] = 800
    settings.set("ITEM_PIPELINES", pipes, priority=pri)
    # Seeds come from `arshif enqueue`, so there is no per-crawler "due" bookkeeping, and the
    # crawler does not look URLs up in its --db (the writer's archive may be elsewhere): the
    # shared dupefilter de-duplicates them.
    for name, value in (("ARSHIF_FORCE", True), ("ARSHIF_SKIP_KNOWN", False),
                        ("ARSHIF_REVISIT_AGES", "0"), ("ARSHIF_CLUSTER_BACKFILL", 0)):
        settings.set(name, value, priority=pri)


class DayDupeFilter(BaseDupeFilter):
    """Fingerprints in one Redis set per UTC day, kept ARSHIF_REDIS_DUPE_DAYS days: bounded."""

    def __init__(self, server: Any, keys: redisq.Keys, days: int, fingerprint: Any) -> None:
        self.server, self.keys, self.fingerprint = server, keys, fingerprint
        self.days = max(days, 1)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DayDupeFilter:
        """Connect with the crawl's Redis URL and prefix."""
        s = crawler.settings
        return cls(redisq.connect(s.get("ARSHIF_REDIS_URL")),
                   redisq.Keys(s.get("ARSHIF_REDIS_PREFIX") or "arshif"),
                   s.getint("ARSHIF_REDIS_DUPE_DAYS", 3), crawler.request_fingerprinter)

    def day_keys(self, now: datetime | None = None) -> list[str]:
        """Today's key first, then the previous days' still in the window."""
        now = now or datetime.now(UTC)
        return [self.keys.dupefilter((now - timedelta(days=i)).strftime("%Y%m%d"))
                for i in range(self.days)]

    def request_seen(self, request: Request) -> bool:
        """True if another crawler (or this one) already queued this request in the window."""
        return not self.push_unseen(request, None, "", b"")

    def push_unseen(self, request: Request | None, queue_key: str | None, score: Any,
                    data: bytes) -> bool:
        """Queue data unless the request was seen (a None request is never filtered)."""
        fp = self.fingerprint.fingerprint(request).hex() if request is not None else ""
        days = self.day_keys()
        pushed = self.server.eval(redisq.PUSH, 1 + len(days), queue_key or self.keys.requests,
                                  *days, fp, self.days * 86400 + 3600, score, data)
        return bool(pushed)

    def clear(self) -> None:
        """Forget every fingerprint of the window (`arshif enqueue --reset`)."""
        self.server.delete(*self.day_keys())


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler plus in-flight tracking, heartbeats and outage tolerance."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        """Build like scrapy-redis, but our dupefilter comes from the crawler (fingerprinter)."""
        s = crawler.settings
        server = redisq.connect(s.get("ARSHIF_REDIS_URL"))
        self = cls(server=server, persist=True, queue_key=s.get("SCHEDULER_QUEUE_KEY"),
                   queue_cls=s.get("SCHEDULER_QUEUE_CLASS"),
                   dupefilter=DayDupeFilter.from_crawler(crawler))
        self.stats, self.crawler = crawler.stats, crawler
        self.keys = redisq.Keys(s.get("ARSHIF_REDIS_PREFIX") or "arshif")
        self.worker = s.get("ARSHIF_WORKER_ID") or redisq.worker_id()
        self.beat = s.getfloat("ARSHIF_REDIS_HEARTBEAT_SECONDS", 5)
        self.dead_after = max(s.getint("ARSHIF_REDIS_DEAD_SECONDS", 30), 2)
        self._stop_beating = threading.Event()
        self.backlog: list[Request] = []  # requests to push once Redis is back
        self.down_until = 0.0  # after a failure, do not hammer Redis on every engine tick
        self.down_since: float | None = None
        self.last_active = time.monotonic()
        self.orphan_rounds = 0  # times in-flight entries were found with nothing running
        self._loop: task.LoopingCall | None = None
        return self

    # -- Redis availability -------------------------------------------------------------

    def _failed(self, what: str, exc: Exception) -> None:
        if self.down_since is None:
            self.down_since = time.monotonic()
            logger.warning("Redis unavailable (%s: %s): crawling paused", what, exc)
        self.down_until = time.monotonic() + 1.0
        self.last_active = time.monotonic()  # an outage is not idleness

    def _ok(self) -> None:
        if self.down_since is not None:
            logger.warning("Redis is back after %.0f s: crawling resumes",
                           time.monotonic() - self.down_since)
            self.down_since = None

    @property
    def down(self) -> bool:
        """True while Redis failed a moment ago (the next try waits a second)."""
        return time.monotonic() < self.down_until

    # -- lifecycle ----------------------------------------------------------------------

    def open(self, spider: Any) -> None:
        """Open the queue (retrying while Redis is down) and start the heartbeat."""
        self.spider = spider
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider,
                                                 key=self.queue_key, serializer=self.serializer)
        queued = redisq.retry(lambda: len(self.queue), "open")
        self.heartbeat()
        # The "I am alive" beat runs in a thread: a reactor busy extracting pages for seconds
        # must not make this crawler look dead (its requests would be fetched twice).
        threading.Thread(target=self._beat, name="arshif-heartbeat", daemon=True).start()
        self._loop = task.LoopingCall(self.heartbeat)
        self._loop.start(self.beat, now=False)
        logger.info("Crawler %s on %s (%d queued)", self.worker, self.keys.prefix, queued)

    def _alive(self) -> None:
        pipe = self.server.pipeline()
        pipe.sadd(self.keys.workers, self.worker)
        pipe.set(self.keys.alive(self.worker), "1", ex=self.dead_after)
        pipe.execute()

    def _beat(self) -> None:
        while not self._stop_beating.wait(min(self.beat, self.dead_after / 3)):
            try:
                self._alive()
            except redisq.DOWN:
                pass  # the reactor side notices and reports the outage

    def heartbeat(self) -> None:
        """Say this worker is alive, flush the backlog, recover stopped crawlers' requests."""
        try:
            self._alive()
            self._flush_backlog()
            redisq.requeue_dead(self.server, self.keys, self.worker)
            self._ok()
            if len(self) and (slot := getattr(self.crawler.engine, "_slot", None)):
                slot.nextcall.schedule()  # wake an idle engine without waiting for its tick
        except redisq.DOWN as exc:
            self._failed("heartbeat", exc)

    def close(self, reason: str) -> None:
        """Give back anything still in flight, stop beating and leave the worker set."""
        if self._loop and self._loop.running:
            self._loop.stop()
        self._stop_beating.set()
        try:
            self._flush_backlog()
            mine = self.keys.inflight(self.worker)
            n = self.server.eval(redisq.REQUEUE, 2, mine, self.keys.requests)
            if n:
                logger.info("Returned %d unfinished requests to the queue", n)
            self.server.delete(self.keys.alive(self.worker))
            self.server.srem(self.keys.workers, self.worker)
        except redisq.DOWN as exc:  # its heartbeat expires; another process re-queues them
            logger.warning("Could not say goodbye to Redis: %s", exc)

    # -- queue --------------------------------------------------------------------------

    def _flush_backlog(self) -> None:
        while self.backlog:
            self._push(self.backlog[0])
            self.backlog.pop(0)

    def _push(self, request: Request) -> bool:
        tag = request.meta.pop(TAG, None)  # a retry or redirect of a request we popped
        data = self.queue._encode_request(request)
        queued = self.df.push_unseen(None if request.dont_filter else request, self.queue.key,
                                     -request.priority, data)
        if tag:
            self.server.hdel(self.keys.inflight(self.worker), f"d:{tag}", f"s:{tag}")
        if queued and self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return queued

    def enqueue_request(self, request: Request) -> bool:
        """Queue in Redis (if not seen); keep it locally while Redis is down."""
        self.last_active = time.monotonic()
        if self.backlog or self.down:
            self.backlog.append(request)
            return True
        try:
            queued = self._push(request)
            self._ok()
            return queued
        except redisq.DOWN as exc:
            self._failed("push", exc)
            self.backlog.append(request)
            return True

    def next_request(self) -> Request | None:
        """Pop the best request and record it as in flight, atomically."""
        if self.down:
            return None
        try:
            self._flush_backlog()
            data = self.server.eval(redisq.POP, 2, self.queue.key, self.keys.inflight(self.worker))
            self._ok()
        except redisq.DOWN as exc:
            self._failed("pop", exc)
            return None
        if not data:
            return None
        request = self.queue._decode_request(data)
        request.meta[TAG] = hashlib.sha1(data).hexdigest()  # noqa: S324 - a name, not security
        self.last_active = time.monotonic()
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def done(self, request: Request | None) -> None:
        """The request's outcome is settled: forget it as in flight."""
        tag = request.meta.get(TAG) if request is not None else None
        if not tag:
            return
        try:
            self.server.hdel(self.keys.inflight(self.worker), f"d:{tag}", f"s:{tag}")
        except redisq.DOWN as exc:  # harmless: at worst it is fetched once more after a crash
            logger.warning("Could not settle %s: %s", request.url, exc)

    def has_pending_requests(self) -> bool:
        """Redis has queued requests, or we cannot tell (an outage must not end the crawl)."""
        if self.backlog or self.down:
            return True
        try:
            return len(self) > 0
        except redisq.DOWN as exc:
            self._failed("length", exc)
            return True

    def requeue_orphans(self, max_rounds: int = 3) -> int:
        """Give back requests recorded in flight for this worker while it runs none.

        Called when the engine is idle. An entry left there means the pop's reply was cut by
        a Redis outage (the server moved the request, the crawler never saw it) or its
        settlement failed: closing now would leave the request queued with nobody to fetch it.
        Bounded, so a request that never settles cannot keep the crawler open for ever.
        """
        if self.orphan_rounds >= max_rounds:
            return 0
        try:
            n = self.server.eval(redisq.REQUEUE, 2, self.keys.inflight(self.worker),
                                 self.keys.requests)
        except redisq.DOWN as exc:
            self._failed("requeue", exc)
            return 0
        if n:
            self.orphan_rounds += 1
            self.last_active = time.monotonic()
            logger.warning("Re-queued %d request(s) left in flight by an interrupted reply", n)
        return n

    def idle_for(self) -> float:
        """Seconds since this scheduler last popped or queued anything."""
        return time.monotonic() - self.last_active

    def others_busy(self) -> bool:
        """True while another crawler has requests in flight (they may queue more work)."""
        try:
            return redisq.busy_elsewhere(self.server, self.keys, self.worker)
        except redisq.DOWN:
            return True
