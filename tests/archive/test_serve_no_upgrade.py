"""`arshif serve --no-upgrade` serves an archive as it is: the file is not written to."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from archive.schema import VIEWS, connect
from archive.store import save_article, save_sources
from tests.conftest import free_port

REPO = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def serve_once(db: Path, *extra: str) -> str:
    """Start `arshif serve`, read one article's JSON, stop it; the JSON."""
    port = free_port()
    cmd = [sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "--port", str(port),
           *extra]
    server = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/{db.stem}/articles/1.json"
                with urllib.request.urlopen(url, timeout=10) as response:
                    return response.read().decode("utf-8")
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "arshif serve did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_no_upgrade_leaves_an_old_archive_as_it_is(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "x", "homepage": "https://x.example/"}])
    save_article(db, {"url": "https://x.example/1", "source": "x", "title": "كركوك",
                      "text": "خبر.", "published": "2024-05-01T09:00:00+03:00"})
    view = next(iter(VIEWS))
    db.execute(f'DROP VIEW "{view}"')  # an archive from before this view existed
    db.conn.execute("pragma wal_checkpoint(truncate)")
    db.close()
    before = digest(path)
    assert "كركوك" in json.loads(serve_once(path, "--no-upgrade"))["rows"][0]
    assert digest(path) == before
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("select count(*) from sqlite_master where name = ?", (view,)).fetchone() \
        == (0,)
    conn.close()
    serve_once(path)  # without the flag the view is added before serving
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("select count(*) from sqlite_master where name = ?", (view,)).fetchone() \
        == (1,)
    conn.close()
