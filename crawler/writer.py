"""`arshif writer`: the one process that writes the archive for any number of Redis crawlers.

Reliable queue: a message moves from `P:items` to `P:items:processing` (LMOVE, atomic) and is
removed from there only after the archive has committed it. A writer stopped or killed at any
point finds its unacknowledged messages in `processing` when it starts again and stores them
(again): save_article is idempotent by URL, so a re-delivered article changes nothing.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from archive import clusters
from archive.lock import RunLock
from archive.schema import connect
from archive.store import now_iso, record_run, save_article, save_sources
from archive.versions import mark_gone
from crawler import redisq
from pipelines.dedupe import record_copy, stored_copy

logger = logging.getLogger(__name__)


class Writer:
    """Pops messages in batches, stores them in SQLite, then acknowledges them in Redis."""

    def __init__(self, url: str, db: Path, batch: int = 100, prefix: str = "arshif",
                 cluster: bool = True) -> None:
        self.server = redisq.connect(url)
        self.keys = redisq.Keys(prefix)
        self.db_path, self.batch, self.cluster = db, max(batch, 1), cluster
        self.stopping = False
        self.stored = 0

    def stop(self, *_: Any) -> None:
        """Finish the current batch, then exit (SIGTERM, SIGINT)."""
        self.stopping = True

    # -- one message --------------------------------------------------------------------

    def _article(self, msg: dict[str, Any], tally: dict[tuple[str, str], int]) -> None:
        item, run = msg["item"], msg.get("run") or "?"
        url, digest = item["url"], item.get("content_sha256")
        # The dedupe stage's archive check, here where the whole archive is: same text, other URL.
        stored = stored_copy(self.db, url, digest) if digest else None
        if stored:
            record_copy(self.db, item, stored)
            tally[(run, f"{item['source']}/dropped/duplicate")] += 1
            return
        try:
            outcome = save_article(self.db, item)
        except ValueError as exc:
            logger.warning("Not stored %s: %s", url, exc)
            tally[(run, f"{item['source']}/dropped/error")] += 1
            return
        tally[(run, f"{item['source']}/{outcome}")] += 1
        self.stored += outcome == "new"
        if self.cluster:
            # The stored text, signed here: a worker's signature does not survive the JSON trip.
            article = clusters.stored_article(self.db, url, with_text=True)
            if article is not None:
                clusters.assign(self.db, article)

    def _run(self, msg: dict[str, Any]) -> None:
        """Merge a crawler's counters with the writer's outcome counts for that run."""
        counts = dict(msg.get("counts") or {})
        counts["dropped"] = dict(counts.get("dropped") or {})
        mine = self.server.hgetall(self.keys.tally(msg["run"]))
        for key, n in mine.items():
            source, _, name = key.decode().partition("/")
            if source != msg["source"]:
                continue
            if name.startswith("dropped/"):
                reason = name.partition("/")[2]
                counts["dropped"][reason] = counts["dropped"].get(reason, 0) + int(n)
            else:
                counts[name] = int(n)
        record_run(self.db, msg["run"], msg["source"], msg["started"], msg["status"], counts,
                   msg.get("finished"), msg.get("all_topics"))

    def handle(self, raws: list[bytes]) -> None:
        """Store one batch, then acknowledge it (and add its counts) in one Redis transaction."""
        tally: dict[tuple[str, str], int] = defaultdict(int)
        runs: list[dict[str, Any]] = []
        for raw in raws:
            msg = json.loads(raw)
            kind = msg.get("type")
            if kind == "article":
                self._article(msg, tally)
            elif kind == "sources":
                save_sources(self.db, msg["rows"])
            elif kind == "gone":
                for url in msg["urls"]:
                    mark_gone(self.db, url, now_iso(), int(msg["status"]))
            elif kind == "run":
                runs.append(msg)
        pipe = self.server.pipeline()  # MULTI/EXEC: counts and acks land together
        for (run, key), n in tally.items():
            pipe.hincrby(self.keys.tally(run), key, n)
            pipe.expire(self.keys.tally(run), 30 * 86400)
        for raw in raws:
            pipe.lrem(self.keys.processing, 1, raw)
        redisq.retry(pipe.execute, "ack")
        for msg in runs:  # after the tallies, so the row includes this batch's outcomes
            redisq.retry(lambda m=msg: self._run(m), "run counters")

    # -- the loop -----------------------------------------------------------------------

    def _take(self, timeout: float) -> list[bytes]:
        """Up to `batch` messages, waiting at most timeout for the first one."""
        first = self.server.blmove(self.keys.items, self.keys.processing, timeout,
                                   "LEFT", "RIGHT")
        if first is None:
            return []
        out = [first]
        while len(out) < self.batch:
            try:
                nxt = self.server.lmove(self.keys.items, self.keys.processing, "LEFT", "RIGHT")
            except redisq.DOWN:
                break  # what was taken is in `processing`: store it now, not at the next start
            if nxt is None:
                break
            out.append(nxt)
        return out

    def _redeliver(self, why: str) -> None:
        """Store the messages in `processing` that were taken but never acknowledged."""
        left = redisq.retry(lambda: self.server.lrange(self.keys.processing, 0, -1), why)
        if left:
            logger.info("Re-delivering %d unacknowledged messages (%s)", len(left), why)
            for i in range(0, len(left), self.batch):
                self.handle(left[i:i + self.batch])

    def run(self, exit_when_idle: float | None = None) -> int:
        """Store messages until stopped, or idle that long with no crawler; new articles stored."""
        lock = RunLock(self.db_path).acquire()  # no single-process crawl on this archive meanwhile
        self.db = connect(self.db_path)
        idle_since = time.monotonic()
        try:
            # Messages a previous writer took but never acknowledged come first.
            self._redeliver("resume")
            outage = False
            while not self.stopping:
                try:
                    if outage:
                        # A move whose reply the outage cut left messages in `processing` that
                        # no later take returns: without this they waited for the next writer.
                        self._redeliver("after an outage")
                        outage = False
                    raws = self._take(1.0)
                    if not raws:
                        redisq.requeue_dead(self.server, self.keys)
                        busy = redisq.live_workers(self.server, self.keys)
                    else:
                        busy = True
                except redisq.DOWN as exc:
                    logger.warning("Redis unavailable: %s; waiting", exc)
                    outage = True
                    time.sleep(1)
                    idle_since = time.monotonic()
                    continue
                if raws:
                    self.handle(raws)
                if busy:
                    idle_since = time.monotonic()
                elif exit_when_idle is not None and time.monotonic() - idle_since > exit_when_idle:
                    logger.info("Queue empty and no crawler alive for %.0f s: done",
                                exit_when_idle)
                    break
        finally:
            self.db.close()
            lock.release()
        return self.stored


def run_writer(url: str, db: Path, batch: int, prefix: str,
               exit_when_idle: float | None = None) -> int:
    """Run a writer in this process, stopping cleanly on SIGTERM/SIGINT."""
    writer = Writer(url, db, batch, prefix)
    signal.signal(signal.SIGTERM, writer.stop)
    signal.signal(signal.SIGINT, writer.stop)
    return writer.run(exit_when_idle)
