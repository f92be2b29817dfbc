"""Shared fixtures: the fixture outlets served on 127.0.0.1 and a way to run the CLI for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archive.sitesrv import SITES_DIR, SiteServer

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
    """Every outlet under tests/sites, each on its own 127.0.0.1 port."""
    with SiteServer(SITES_DIR) as server:
        yield server


def run_arshif(*args: str | Path, timeout: float = 300, cwd: Path = REPO
               ) -> subprocess.CompletedProcess:
    """Run the real `arshif` command in a subprocess."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "archive.cli", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


def expected(outlet) -> dict:
    """An outlet's expected.yaml with {base} filled in."""
    data = yaml.safe_load((outlet.root / "expected.yaml").read_text("utf-8"))
    return outlet.fill(data)
