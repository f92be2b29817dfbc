"""archive/lock.py: one crawl per archive; stale locks are taken over; a second run exits 3."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from archive.lock import Locked, RunLock, lock_path
from crawler.demo.server import SITES_DIR, SiteServer
from tests.conftest import FAST, REPO, run_arshif


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write(path, **holder) -> None:
    path.write_text(json.dumps(holder), "utf-8")


def test_lock_is_exclusive_and_released(tmp_path):
    db = tmp_path / "a.db"
    with RunLock(db):
        assert lock_path(db).is_file()
        holder = json.loads(lock_path(db).read_text())
        assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        with pytest.raises(Locked) as err:
            RunLock(db).acquire()
        assert f"pid {os.getpid()}" in str(err.value) and holder["started"] in str(err.value)
    assert not lock_path(db).exists()
    RunLock(db).acquire().release()  # free again


def test_released_when_the_body_raises(tmp_path):
    db = tmp_path / "a.db"
    with pytest.raises(RuntimeError), RunLock(db):
        raise RuntimeError("crawl crashed")
    assert not lock_path(db).exists()


def test_dead_pid_on_this_host_is_stale(tmp_path):
    db = tmp_path / "a.db"
    _write(lock_path(db), pid=_dead_pid(), host=socket.gethostname(), started="2020-01-01")
    lock = RunLock(db).acquire()
    assert lock.stale_removed and lock.stale_removed["started"] == "2020-01-01"
    assert json.loads(lock_path(db).read_text())["pid"] == os.getpid()
    lock.release()


def test_other_host_is_trusted_until_old(tmp_path):
    db = tmp_path / "a.db"
    path = lock_path(db)
    _write(path, pid=1, host="elsewhere.example", started="2020-01-01T00:00:00+00:00")
    with pytest.raises(Locked):
        RunLock(db, stale_hours=1).acquire()
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))
    RunLock(db, stale_hours=1).acquire().release()


@pytest.mark.parametrize("content", ["", "{", "null", "[1]", '{"pid": null}'])
def test_empty_or_unparseable_lock_is_stale_at_once(tmp_path, content):
    # Left by a crash or a full disk: the lock is linked into place whole, never seen empty.
    db = tmp_path / "a.db"
    lock_path(db).write_text(content)
    lock = RunLock(db).acquire()
    assert json.loads(lock_path(db).read_text())["pid"] == os.getpid()
    lock.release()
    assert list(tmp_path.iterdir()) == []  # no temporary file left either


def test_a_symlinked_archive_has_the_same_lock(tmp_path):
    real = tmp_path / "data" / "a.db"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert lock_path(link) == lock_path(real) == real.with_name("a.db.lock")
    with RunLock(real), pytest.raises(Locked):
        RunLock(link).acquire()
    (tmp_path / "dir").symlink_to(real.parent)  # a symlinked directory, too
    with RunLock(tmp_path / "dir" / "a.db"), pytest.raises(Locked):
        RunLock(real).acquire()


def test_second_overlapping_crawl_exits_3(tmp_path):
    with SiteServer(SITES_DIR, ["rafidain"], delay=0.3) as server:
        sources = server.write_sources(tmp_path / "sources.yaml")
        db = tmp_path / "arshif.db"
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        first = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
             "--db", str(db), *FAST], cwd=REPO, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            deadline = time.time() + 60
            while not lock_path(db).exists() and time.time() < deadline:
                time.sleep(0.1)
            assert lock_path(db).exists(), "the first crawl never took the lock"
            second = run_arshif("crawl", "--sources", sources, "--db", db, *FAST, timeout=120)
            assert second.returncode == 3, second.stderr[-2000:]
            assert f"pid {first.pid}" in second.stderr
            assert "started" in second.stderr and "another crawl is running" in second.stderr
        finally:
            out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err[-3000:]
        assert not lock_path(db).exists()
