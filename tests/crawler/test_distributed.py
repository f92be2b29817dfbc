"""Distributed mode: two `arshif crawl --redis` processes, one `arshif writer`, a real Redis.

The session's Redis comes from tests/conftest.py::redis_url (its own redis-server, or
ARSHIF_TEST_REDIS_URL); without redis-server these tests fail, naming the Debian package.
Every test uses its own key prefix, so they share that server.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from crawler import redisq
from crawler.demo.server import SiteServer
from crawler.enqueue import enqueue
from tests.conftest import FAST, REPO, free_port, run_arshif, start_redis
from tests.sitegen import make_site

N = 120
FAST_REDIS = [*FAST, "-s", "ARSHIF_REDIS_IDLE_SECONDS=20", "-s", "ARSHIF_REDIS_HEARTBEAT_SECONDS=1",
              "-s", "ARSHIF_REDIS_DEAD_SECONDS=5", "-s", "ARSHIF_RUN_FLUSH_SECONDS=2"]
# Slower crawlers for the kill and outage tests, so there is a "mid-run" to act in.
SLOW = ["-s", "CONCURRENT_REQUESTS=4", "-s", "DOWNLOAD_DELAY=0.1"]


@pytest.fixture
def site(tmp_path: Path):
    """A generated outlet of N article pages, served on 127.0.0.1."""
    make_site(tmp_path / "site", N)
    with SiteServer(tmp_path / "site") as server:
        server.write_sources(tmp_path / "sources.yaml")
        yield server


class Cluster:
    """Crawler and writer subprocesses sharing one Redis prefix."""

    def __init__(self, url: str, tmp: Path, extra: list[str] | None = None) -> None:
        self.url, self.tmp, self.extra = url, tmp, extra or []
        self.prefix = f"t{uuid.uuid4().hex[:8]}"
        self.db = tmp / "dist.db"
        self.env = dict(os.environ, PYTHONUNBUFFERED="1", ARSHIF_REDIS_PREFIX=self.prefix)
        self.server = redisq.connect(url)
        self.keys = redisq.Keys(self.prefix)
        self.procs: list[subprocess.Popen] = []

    def _spawn(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.procs)}.log", "w")  # noqa: SIM115 - child's
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=REPO,
                                env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def crawler(self) -> subprocess.Popen:
        """Start one `arshif crawl --redis` process."""
        return self._spawn("crawler", "crawl", "--redis", self.url, "--sources",
                           str(self.tmp / "sources.yaml"), "--db", str(self.db), "--all-topics",
                           *FAST_REDIS, *self.extra)

    def writer(self) -> subprocess.Popen:
        """Start the writer; it exits once idle with no crawler alive."""
        return self._spawn("writer", "writer", "--redis", self.url, "--db", str(self.db),
                           "--batch", "10", "--exit-when-idle", "6")

    def enqueue(self) -> None:
        """Push the seeds (after the crawlers are up, so timing starts with the crawl)."""
        counts = enqueue(self.url, self.tmp / "sources.yaml", None, self.prefix, reset=True)
        assert counts == {"wasit": 2}

    def wait_workers(self, n: int, timeout: float = 240) -> None:
        """Until n crawlers beat."""
        deadline = time.monotonic() + timeout
        while len(redisq.live_workers(self.server, self.keys)) < n:
            assert time.monotonic() < deadline, self.logs()
            time.sleep(0.2)

    def stored(self) -> int:
        """Articles in the archive now (read-only, beside the writer)."""
        try:
            with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as conn:
                return conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.OperationalError:
            return 0

    def wait_stored(self, n: int, timeout: float = 600) -> float:
        """Until n articles are stored; the time it took."""
        t0 = time.monotonic()
        while self.stored() < n:
            assert time.monotonic() - t0 < timeout, self.logs()
            time.sleep(0.2)
        return time.monotonic() - t0

    def logs(self) -> str:
        """The tails of every child's log, for assertion messages."""
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}"
                         for p in sorted(self.tmp.glob("*.log")))

    def stop(self) -> None:
        """Kill whatever is still running and drop this test's keys."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        keys = list(self.server.scan_iter(f"{self.prefix}:*"))
        if keys:
            self.server.delete(*keys)


def rows(db: Path) -> set[tuple]:
    """What a crawl produced, independent of timing: url, title, published, content hash."""
    with sqlite3.connect(db) as conn:
        return set(conn.execute("select url, title, published, content_sha256 from articles"))


def article_hits(site: SiteServer) -> Counter:
    """Server hits per article path."""
    return Counter(h for o in site.outlets for h in o.hits if h.startswith("/news/"))


def test_two_crawlers_one_writer_equal_a_single_crawl(redis_url, site, tmp_path):
    """Every article fetched once across both crawlers, stored once, as a single crawl does."""
    single = tmp_path / "single.db"
    done = run_arshif("crawl", "--sources", tmp_path / "sources.yaml", "--db", single,
                      "--all-topics", *FAST)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(rows(single)) == N
    for outlet in site.outlets:
        outlet.hits.clear()

    cluster = Cluster(redis_url, tmp_path)
    try:
        crawlers = [cluster.crawler(), cluster.crawler()]
        cluster.wait_workers(2)
        writer = cluster.writer()  # it exits once idle with no crawler alive: start it now
        cluster.enqueue()
        cluster.wait_stored(1)
        seconds = cluster.wait_stored(N)  # from the first stored article: no start-up time
        for proc in [*crawlers, writer]:
            assert proc.wait(timeout=120) == 0, cluster.logs()
    finally:
        cluster.stop()
    hits = article_hits(site)
    assert len(hits) == N and set(hits.values()) == {1}, hits.most_common(3)
    assert rows(cluster.db) == rows(single)
    with sqlite3.connect(cluster.db) as conn:
        runs = conn.execute("select run, pages, new, status, all_topics from crawl_runs"
                            ).fetchall()
        files = {f for (f,) in conn.execute("select distinct warc_file from articles")}
    # One crawl_runs row per crawler process, both fetched, together they stored everything.
    assert len(runs) == 2 and all(r[1] > 0 and r[3] == "finished" for r in runs), runs
    assert sum(r[2] for r in runs) == N
    assert {r[4] for r in runs} == {1}  # the crawlers' --all-topics, recorded by the writer
    # Each crawler wrote its own WARC file; the rows point at the right one.
    assert len(files) == 2 and all((tmp_path / "warc" / f).is_file() for f in files), files
    print(f"\ntwo crawlers, one writer: {(N - 1) / seconds:.1f} pages/s")


def test_sigkill_a_crawler_and_the_writer_loses_nothing(redis_url, site, tmp_path):
    """A crawler killed mid-run has its in-flight requests re-queued; a killed writer resumes."""
    cluster = Cluster(redis_url, tmp_path, SLOW)
    try:
        victim, survivor = cluster.crawler(), cluster.crawler()
        cluster.wait_workers(2)
        writer = cluster.writer()
        cluster.enqueue()
        cluster.wait_stored(20)
        victim.send_signal(signal.SIGKILL)
        cluster.wait_stored(50)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        time.sleep(1)
        writer = cluster.writer()  # finds its unacknowledged batch in items:processing
        cluster.wait_stored(N)
        assert survivor.wait(timeout=120) == 0, cluster.logs()
        assert writer.wait(timeout=60) == 0, cluster.logs()
        left = redisq.status(cluster.server, cluster.keys)
        requeued = sum(int(n) for n in re.findall(r"Re-queued (\d+) in-flight", cluster.logs()))
    finally:
        cluster.stop()
    assert cluster.stored() == N
    assert left["requests"] == 0 and left["items"] == 0 and left["processing"] == 0, left
    hits = article_hits(site)
    assert len(hits) == N
    # Only what the killed crawler had in flight (downloading, or downloaded and waiting for
    # extraction) was given back and fetched a second time.
    assert requeued > 0
    assert sum(n - 1 for n in hits.values()) <= requeued, (requeued, hits.most_common(12))
    # Despite both kills, the archive is exactly what one uninterrupted `arshif crawl` makes.
    single = tmp_path / "single.db"
    done = run_arshif("crawl", "--sources", tmp_path / "sources.yaml", "--db", single,
                      "--all-topics", *FAST)
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(cluster.db) == rows(single)


def test_redis_restart_pauses_the_crawl_and_it_recovers(site, tmp_path):
    """Stop redis-server mid-run and start it again: the crawl waits, then finishes, no loss."""
    port = free_port()
    data = tmp_path / "redis"
    data.mkdir()
    aof = ("--appendonly", "yes", "--appendfsync", "always")
    server = start_redis(port, data, *aof)
    url = f"redis://127.0.0.1:{port}/0"
    client = redisq.connect(url)
    redisq.retry(client.ping, "test start")
    cluster = Cluster(url, tmp_path, SLOW)
    try:
        crawler = cluster.crawler()
        cluster.wait_workers(1)
        writer = cluster.writer()
        cluster.enqueue()
        cluster.wait_stored(20)
        server.terminate()  # SIGTERM: Redis flushes its append-only file and exits
        server.wait(timeout=30)
        time.sleep(4)
        paused = cluster.stored()
        server = start_redis(port, data, *aof)
        cluster.wait_stored(N)
        assert crawler.wait(timeout=120) == 0, cluster.logs()
        assert writer.wait(timeout=60) == 0, cluster.logs()
    finally:
        cluster.stop()
        server.terminate()
        server.wait(timeout=30)
    assert paused < N, "the outage came too late to test anything"
    assert cluster.stored() == N
    assert "Redis unavailable" in cluster.logs()


def test_enqueue_is_idempotent_and_the_dupefilter_is_bounded(redis_url, tmp_path):
    """Seeds pushed twice are queued once; fingerprints live in per-day sets that expire."""
    from scrapy import Request

    from crawler.distributed import DayDupeFilter

    make_site(tmp_path / "site", 3)
    with SiteServer(tmp_path / "site") as server:
        server.write_sources(tmp_path / "sources.yaml")
    cluster = Cluster(redis_url, tmp_path)
    try:
        done = run_arshif("enqueue", "--redis", redis_url, "--prefix", cluster.prefix,
                          "--sources", tmp_path / "sources.yaml")
        assert done.returncode == 0 and "2 seeds queued" in done.stdout, done.stderr
        cluster.enqueue()
        assert cluster.server.zcard(cluster.keys.requests) == 2

        class Fingerprints:
            def fingerprint(self, request: Request) -> bytes:
                return request.url.encode()

        df = DayDupeFilter(cluster.server, cluster.keys, 2, Fingerprints())
        assert not df.request_seen(Request("http://example.org/a"))
        assert df.request_seen(Request("http://example.org/a"))
        today, yesterday = df.day_keys()
        assert cluster.server.ttl(today) <= 2 * 86400 + 3600
        cluster.server.sadd(yesterday, b"http://example.org/b".hex())  # seen yesterday
        assert df.request_seen(Request("http://example.org/b"))
    finally:
        cluster.stop()
