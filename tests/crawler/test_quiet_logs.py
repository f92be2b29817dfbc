"""A crawl run from cron (stderr not a terminal) logs no warning about itself."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from crawler.demo.server import SiteServer
from tests.conftest import FAST, run_arshif
from tests.sitegen import make_site


def test_cron_crawl_stderr_has_no_deprecation_or_progress_warning(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("ARSHIF_PROGRESS", raising=False)  # empty = only on a TTY, as in cron
    make_site(tmp_path / "site", 3)
    db = tmp_path / "arshif.db"
    with SiteServer(tmp_path / "site") as site:
        sources = site.write_sources(tmp_path / "sources.yaml")
        result = run_arshif("crawl", "--sources", sources, "--db", db, "--all-topics", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ScrapyDeprecationWarning" not in result.stderr
    assert "install_root_handler" not in result.stderr
    assert "crawler.progress" not in result.stderr and "progress off" not in result.stderr
    # The log is still there (the root handler is installed): the crawl really ran and logged.
    assert "Spider closed (finished)" in result.stderr
    assert "ARSHIF_PROGRESS" not in os.environ
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 3
