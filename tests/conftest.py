"""Shared fixtures: the fixture outlets served on 127.0.0.1 and a way to run the CLI for real."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.demo.server import SITES_DIR, SiteServer

REPO = Path(__file__).resolve().parent.parent
# Local fixture sites need no politeness delays; everything else stays as shipped.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


@pytest.fixture
def db(tmp_path):
    """A fresh archive file with one source, x (modules may define their own `db`)."""
    from archive.schema import connect
    from archive.store import save_sources

    conn = connect(tmp_path / "arshif.db")
    save_sources(conn, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def sites():
    """Every outlet under crawler/demo/sites, each on its own 127.0.0.1 port."""
    with SiteServer(SITES_DIR) as server:
        yield server


def run_arshif(*args: str | Path, timeout: float = 300, cwd: Path = REPO
               ) -> subprocess.CompletedProcess:
    """Run the real `arshif` command in a subprocess."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "crawler.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


def expected(outlet) -> dict:
    """An outlet's expected.yaml with {base} filled in."""
    data = yaml.safe_load((outlet.root / "expected.yaml").read_text("utf-8"))
    return outlet.fill(data)


def tuples(db: Path, sql: str, params: tuple | list = ()) -> list[tuple]:
    """Rows of a query on an archive file, as tuples (its own connection, closed after)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def query(db: Path, sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
    """Rows of a query on an archive file, as dicts (its own connection, closed after)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def need_binary(name: str, package: str) -> str:
    """Path of a system program the tests need; a missing one fails, naming its Debian package."""
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed: apt-get install {package}", pytrace=False)
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int, data_dir: Path, *extra: str) -> subprocess.Popen:
    """Start redis-server on 127.0.0.1:port and wait until it answers PING."""
    binary = need_binary("redis-server", "redis-server")
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
            "--save", "", *(extra or ("--appendonly", "no"))]
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"redis-server exited with {server.returncode} on port {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return server
        except OSError:
            pass
        time.sleep(0.05)
    server.kill()
    pytest.fail(f"redis-server did not answer on port {port} within 20 s")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    """A Redis for the whole test session: ARSHIF_TEST_REDIS_URL if set, else our own server.

    Our own is redis-server on a free 127.0.0.1 port with nothing saved to disk, stopped at the
    end, so `pytest` needs nothing started by hand. Tests keep apart by key prefix.
    """
    url = os.environ.get("ARSHIF_TEST_REDIS_URL")
    if url:
        yield url
        return
    port = free_port()
    server = start_redis(port, tmp_path_factory.mktemp("redis"))
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


def deps_only_python(root: Path, probe_modules: str = "scrapy, trafilatura") -> Path:
    """A venv whose site-packages are this venv's, without the editable Arshif (its .pth)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root], check=True)
    purelib = Path(sysconfig.get_paths()["purelib"])
    (site,) = root.glob("lib/python*/site-packages")
    # A bare path line adds the directory without running its .pth files, so the editable
    # install's finder (which would put this checkout first on sys.path) is not installed.
    (site / "deps.pth").write_text(f"{purelib}\n", "utf-8")
    python = root / "bin" / "python"
    probe = subprocess.run([python, "-c", f"import {probe_modules}; import crawler"],
                           cwd=root, capture_output=True, text=True)
    assert "No module named 'crawler'" in probe.stderr, probe.stderr  # deps yes, project no
    return python


def clean_checkout(dest: Path) -> Path:
    """A copy of the repository's source tree without build output, data or caches.

    Packaging tests build from it: setuptools' build/ directory keeps files that were since
    moved or deleted, and would put them in the wheel or egg.
    """
    skip = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "data", "__pycache__",
                                  ".venv", ".pytest_cache", ".ruff_cache", "snapshots", "warc")
    shutil.copytree(REPO, dest, ignore=skip)
    return dest


@contextmanager
def serving(db: Path, *args: str | Path, startup: float = 60) -> Iterator[tuple[str, Any]]:
    """A real `arshif serve --db DB ARGS…` on a free 127.0.0.1 port: (base URL, process)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "--port", str(port),
         *map(str, args)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                with urllib.request.urlopen(base + "/robots.txt", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(proc.stdout.read().decode()) from None
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# Chromium as the probe found it works here: no sandbox as root, and no background traffic
# (updates, sync, safe browsing) that the closed network would refuse.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def chromium_page(profile: Path, width: int = 1200, height: int = 800) -> Iterator[Any]:
    """A page in a fresh headless Chromium profile (Debian's chromium, or ARSHIF_CHROMIUM)."""
    from playwright import sync_api

    binary = os.environ.get("ARSHIF_CHROMIUM") or need_binary("chromium", "chromium")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=binary, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, locale="ar")
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
