"""kill -9 trials: SIGKILL `arshif crawl` at random points, restart, check the archive each time.

python -m tests.faults.kill9 --trials 20   (tests/faults/test_kill9.py runs a few of them)
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import REPO
from tests.faults.conftest import QUICK, assert_consistent, run_measured
from tests.faults.server import FaultSite

ARTICLES = 150
FIELDS = "url, title, published, text, content_sha256"
# Slow enough that many kills land mid-crawl (150 pages at 2 × 0.15 s: 11 s of fetching).
SLOW = [*QUICK, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "ARSHIF_WORKERS=0",
        "-s", "ARSHIF_FORCE=True"]


@dataclass
class Trial:
    """What one kill found: articles committed before it, after it, and whether it hit."""

    killed: bool
    before: int
    after: int
    seconds: float


def archive(db: Path) -> dict[str, tuple[Any, ...]]:
    """The compared columns of every stored article, by URL (read-only, safe mid-crawl)."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return {r[0]: tuple(r) for r in conn.execute(f"select {FIELDS} from articles")}
    except sqlite3.OperationalError:
        return {}  # the schema is not created yet
    finally:
        conn.close()


def _runs(db: Path) -> int:
    """crawl_runs rows so far: a new one appears when a crawl has opened the archive."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("select count(*) from crawl_runs").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def trial(sources: Path, db: Path, rng: random.Random, log: Path, extra: list[str]) -> Trial:
    """Start a crawl, wait until it runs (its crawl_runs row exists), SIGKILL it at random."""
    start = time.monotonic()
    runs = _runs(db)
    with open(log, "a") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
             "--db", str(db), *SLOW, *extra],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )
    deadline = time.monotonic() + 120
    stored = len(archive(db))
    # Wait for this run's first new article (known URLs are skipped, so it writes new ones),
    # then kill anywhere in the next two seconds of writing.
    while proc.poll() is None and time.monotonic() < deadline and (
        _runs(db) <= runs or len(archive(db)) <= stored
    ):
        time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 2.0))
    before = archive(db)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)  # the crawl and any worker processes it started
    proc.wait()
    assert_consistent(db)
    after = archive(db)
    lost = {u for u in before if after.get(u) != before[u]}
    assert not lost, f"articles committed before the kill are gone or changed: {lost}"
    return Trial(killed, len(before), len(after), time.monotonic() - start)


def run_trials(workdir: Path, trials: int, seed: int = 9, articles: int = ARTICLES
               ) -> dict[str, Any]:
    """Reference crawl, `trials` killed crawls, a final crawl; the archives must match."""
    rng = random.Random(seed)
    with FaultSite(delay=0.15, good=articles) as site:
        sources = site.write_sources(workdir / "sources.yaml", faults=False)
        ref_db = workdir / "reference.db"
        ref = run_measured("crawl", "--sources", sources, "--db", ref_db, *SLOW)
        assert ref.returncode == 0, ref.stderr[-3000:]
        reference = archive(ref_db)
        assert len(reference) == articles
        db = workdir / "killed.db"
        done = []
        for _ in range(trials):
            done.append(trial(sources, db, rng, workdir / "trials.log", []))
        final = run_measured("crawl", "--sources", sources, "--db", db, *SLOW)
        assert final.returncode == 0, final.stderr[-3000:]
        assert_consistent(db)
        assert archive(db) == reference
    return {"trials": done, "killed": sum(t.killed for t in done), "reference": len(reference)}


def main() -> None:
    """Run the trials and print one line per trial."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = run_trials(Path(tmp), args.trials, args.seed)
    for n, t in enumerate(out["trials"], 1):
        state = "killed" if t.killed else "finished first"
        print(f"trial {n:2d}: {state:<14} stored before {t.before:2d}, after {t.after:2d}, "
              f"{t.seconds:.1f} s")
    print(f"{out['killed']} of {len(out['trials'])} trials killed mid-run; every check passed; "
          f"final archive equals the uninterrupted one ({out['reference']} articles)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
