"""`--prefix` keeps two archives' queues apart in one Redis: enqueue and `crawl --redis`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from crawler import redisq
from crawler.demo.server import SiteServer
from tests.conftest import FAST, REPO, run_arshif
from tests.sitegen import make_site


def test_two_prefixes_keep_separate_queues(redis_url, tmp_path: Path):
    make_site(tmp_path / "site", 4)
    a, b = f"ta{uuid.uuid4().hex[:8]}", f"tb{uuid.uuid4().hex[:8]}"
    server = redisq.connect(redis_url)
    env = {k: v for k, v in os.environ.items() if k != "ARSHIF_REDIS_PREFIX"}
    proc = None
    try:
        with SiteServer(tmp_path / "site") as site:
            sources = site.write_sources(tmp_path / "sources.yaml")
            for prefix in (a, b):
                done = run_arshif("enqueue", "--redis", redis_url, "--prefix", prefix,
                                  "--sources", sources)
                assert done.returncode == 0 and "2 seeds queued" in done.stdout, done.stderr
            ka, kb = redisq.Keys(a), redisq.Keys(b)
            assert server.zcard(ka.requests) == 2 and server.zcard(kb.requests) == 2
            log = open(tmp_path / "crawler.log", "w")  # noqa: SIM115 - the child's
            proc = subprocess.Popen(
                [sys.executable, "-m", "crawler.cli", "crawl", "--redis", redis_url,
                 "--prefix", a, "--sources", str(sources), "--db", str(tmp_path / "a.db"),
                 "--all-topics", *FAST, "-s", "ARSHIF_REDIS_IDLE_SECONDS=3"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
            # The crawler takes a's seeds and sends a's items; b's queue is never touched.
            deadline = time.monotonic() + 180
            while server.llen(ka.items) < 4:
                assert proc.poll() is None or server.llen(ka.items) >= 4, (
                    (tmp_path / "crawler.log").read_text()[-3000:])
                assert time.monotonic() < deadline, (tmp_path / "crawler.log").read_text()[-3000:]
                time.sleep(0.2)
            assert server.zcard(ka.requests) == 0
            assert server.zcard(kb.requests) == 2
            assert server.llen(kb.items) == 0
            assert not redisq.live_workers(server, kb)
            log_text = (tmp_path / "crawler.log").read_text()
            assert "install_root_handler" not in log_text, log_text[-3000:]
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        for prefix in (a, b):
            keys = list(server.scan_iter(f"{prefix}:*"))
            if keys:
                server.delete(*keys)


def test_crawl_prefix_without_redis_is_a_usage_error(tmp_path: Path):
    done = run_arshif("crawl", "--prefix", "x", "--db", tmp_path / "a.db")
    assert done.returncode == 2
    assert "--prefix applies to distributed mode" in done.stderr
    assert not (tmp_path / "a.db").exists()
