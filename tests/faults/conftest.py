"""Fixtures of the hostile-web suite: the fault site, one crawl of it, and archive checks."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FAST, REPO, query
from tests.faults.server import FaultSite

# Small timeouts and waits so that dead servers cost seconds, not minutes. The retry counts and
# size limits stay as shipped: they are what is under test.
QUICK = [
    *FAST, "-s", "DOWNLOAD_TIMEOUT=5", "-s", "ARSHIF_RETRY_BACKOFF=0.2",
    "-s", "ARSHIF_RETRY_AFTER_MAX=5", "-s", "ARSHIF_PROGRESS=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]
MAX_FEED_ITEMS = 60  # the 100,000-URL sitemap yields this many requests
PEAK_RSS_LIMIT_MB = 400


@dataclass
class Run:
    """A finished `arshif` subprocess: exit code, output, peak memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


# The crawl is forked from this small launcher, not from pytest: a child's ru_maxrss keeps the
# resident size of the process it was forked from at exec time (the kernel records the old
# mm's high-water mark), and pytest grows to hundreds of MB over a session, which would be
# counted as the crawl's. The launcher reports the crawl's own peak in a file.
_LAUNCHER = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(*args: str | Path, timeout: float = 240,
                 preexec_fn: Callable[[], None] | None = None) -> Run:
    """Run `arshif ARGS` and measure that one process's peak RSS (with its waited workers)."""
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"arshif-{os.getpid()}-{time.monotonic_ns()}"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    start = time.monotonic()
    with open(f"{out}.out", "w+") as fout, open(f"{out}.err", "w+") as ferr:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, f"{out}.rss", "-m", "crawler.cli",
             *map(str, args)], cwd=REPO, env=env, stdout=fout, stderr=ferr,
            preexec_fn=preexec_fn, start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the crawl under it
            proc.wait()
        fout.seek(0)
        ferr.seek(0)
        rss = Path(f"{out}.rss")
        peak_kb = int(rss.read_text()) if rss.exists() and rss.read_text() else 0
        result = Run(proc.returncode, fout.read(), ferr.read(), peak_kb / 1024,
                     time.monotonic() - start)
    for suffix in (".out", ".err", ".rss"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    return result


def assert_consistent(db: Path) -> None:
    """integrity_check ok, every article has text and its search row, no orphan index rows."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
        empty = conn.execute(
            "select count(*) from articles where text is null or trim(text) = ''"
        ).fetchone()[0]
        assert empty == 0, "an article row without its text"
        unindexed = conn.execute(
            "select count(*) from articles where search_key is null "
            "or search_key not in (select rowid from articles_fts)"
        ).fetchone()[0]
        orphans = conn.execute(
            "select count(*) from articles_fts where rowid not in (select search_key from articles)"
        ).fetchone()[0]
        assert (unindexed, orphans) == (0, 0)
    finally:
        conn.close()


@dataclass
class Crawl:
    """One crawl of the fault site: the site (its hits), archive, run row, output."""

    site: FaultSite
    db: Path
    run: Run
    row: dict[str, Any]

    @property
    def dropped(self) -> dict[str, int]:
        """crawl_runs.dropped: {reason: count}."""
        return json.loads(self.row["dropped"])

    @property
    def details(self) -> dict[str, int]:
        """crawl_runs.details: {'reason: detail': count}."""
        return json.loads(self.row["details"])

    def detail(self, reason: str, *needles: str) -> int:
        """How many pages were dropped under reason with a detail containing every needle."""
        return sum(n for key, n in self.details.items()
                   if key.startswith(reason + ":") and all(x in key for x in needles))

    def article(self, path_or_url: str) -> dict[str, Any] | None:
        """The stored article of a URL (or a path on the site), or None."""
        url = path_or_url if "://" in path_or_url else self.site.url(path_or_url)
        rows = query(self.db, "select * from articles where url = ?", (url,))
        return rows[0] if rows else None

    def logged(self, pattern: str) -> list[str]:
        """Log lines (stderr) that match a regular expression."""
        rx = re.compile(pattern)
        return [line for line in self.run.stderr.splitlines() if rx.search(line)]

    def dropped_line(self, url: str, reason: str) -> str:
        """The 'Dropped … URL: reason' log line of a URL; fails when there is none."""
        lines = [ln for ln in self.run.stderr.splitlines()
                 if "Dropped" in ln and url in ln and reason in ln]
        assert lines, f"no log line says {url} was dropped as {reason}"
        return lines[0]


def crawl_site(site: FaultSite, tmp: Path, *extra: str, **source: Any) -> Crawl:
    """Crawl the fault site once into tmp/arshif.db."""
    sources = site.write_sources(tmp / "sources.yaml", **source)
    db = tmp / "arshif.db"
    run = run_measured("crawl", "--sources", sources, "--db", db, *QUICK, *extra)
    rows = query(db, "select * from crawl_runs order by id desc limit 1")
    assert rows, run.stderr[-3000:]
    return Crawl(site, db, run, rows[0])


@pytest.fixture(scope="package")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Every fault in one crawl (about 20 s: the dead servers wait out their timeouts)."""
    with FaultSite() as site:
        tmp = tmp_path_factory.mktemp("hostile")
        yield crawl_site(site, tmp, "-s", f"ARSHIF_MAX_FEED_ITEMS={MAX_FEED_ITEMS}")
