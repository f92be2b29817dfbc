"""Disk full: the crawl stops with one clear message, the archive stays consistent, and a rerun
after freeing space completes it. The database sits on a small tmpfs (we are root here and in
CI); without mount rights the test is skipped rather than faked with RLIMIT_FSIZE, whose EFBIG
SQLite reports as an I/O error, not as a full disk.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, query
from tests.faults.conftest import QUICK, assert_consistent, run_measured
from tests.faults.server import FaultSite

ARTICLES = 120


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2.5 MB tmpfs: room for the schema and a few articles, not for 120 and their WARCs."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if not shutil.which("mount"):
        pytest.skip("no mount command")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2500k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {made.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_stops_cleanly_and_a_rerun_completes(small_disk, tmp_path):
    db = small_disk / "arshif.db"
    with FaultSite(good=ARTICLES) as site:
        sources = site.write_sources(tmp_path / "sources.yaml", faults=False)
        args = ("crawl", "--sources", sources, "--db", db, *QUICK, "-s", "ARSHIF_WORKERS=0")
        run = run_measured(*args)
        assert run.returncode == 1
        last = run.stderr.strip().splitlines()[-1]
        assert last.startswith(f"arshif: cannot write {db}: database or disk is full")
        assert "Cannot write" in run.stderr and "Closing spider (disk_full)" in run.stderr
        # The writer's own failures are one message each, not tracebacks.
        assert f'File "{REPO}/pipelines/store_stage.py"' not in run.stderr
        assert f'File "{REPO}/crawler/cli/app.py"' not in run.stderr
        # Nor the WARC writer's: the one line says it all.
        assert "Traceback" not in run.stderr, run.stderr[-3000:]
        assert "No space left on device" not in run.stderr.replace(last, "")
        assert_consistent(db)
        conn = sqlite3.connect(db)
        stored = conn.execute("select count(*) from articles").fetchone()[0]
        conn.close()
        assert stored < ARTICLES

        # A run started on the full disk says so in one line and leaves no lock behind.
        with pytest.raises(OSError, match="No space left"), open(small_disk / "filler", "wb") as f:
            f.write(b"\0" * 4_000_000)
        full = run_measured(*args)
        assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr[-3000:]
        assert full.stderr.strip().splitlines()[-1].startswith(f"arshif: cannot write {db}")
        assert not (small_disk / "arshif.db.lock").exists()
        assert [p.name for p in small_disk.iterdir() if p.name.endswith(".tmp")] == []
        (small_disk / "filler").unlink()

        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        rerun = run_measured(*args, "-s", "ARSHIF_FORCE=True")
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert_consistent(db)
        urls = {r["url"] for r in query(db, "select url from articles")}
        assert urls == {site.url(f"/good/{n}") for n in range(ARTICLES)}
