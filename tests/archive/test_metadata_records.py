"""Metadata records do not shadow captures in replay tools (pywb 2.10), and old archives whose
metadata records target the article URL still read the same (captures index, reextract).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive.captures import index
from tests.conftest import FAST, free_port, run_arshif

FIELDS = "url, title, published, text, content_sha256, warc_digest"
COPY = ("WARC-Record-ID", "WARC-Date", "WARC-Refers-To", "WARC-Concurrent-To")


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory) -> Path:
    """A crawl of every fixture outlet, then a second one (--revisit) of the same pages."""
    tmp = tmp_path_factory.mktemp("meta")
    sources = sites.write_sources(tmp / "sources.yaml")
    for extra in ((), ("--revisit",)):
        done = run_arshif("crawl", "--sources", sources, "--db", tmp / "arshif.db", *FAST, *extra)
        assert done.returncode == 0, done.stderr[-3000:]
    return tmp


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def old_style(src: Path, dst: Path) -> None:
    """The WARCs as Arshif wrote them before: metadata records target the response's URL."""
    dst.mkdir()
    uris: dict[str, str] = {}
    for path in sorted(src.glob("*.warc.gz")):
        with open(path, "rb") as fh, open(path, "rb") as raw, open(dst / path.name, "wb") as out:
            writer = WARCWriter(out, gzip=True, warc_version="1.1")
            it = ArchiveIterator(fh)
            for rec in it:
                head = rec.rec_headers
                if rec.rec_type in ("response", "revisit"):
                    uris[head.get_header("WARC-Record-ID")] = head.get_header("WARC-Target-URI")
                if rec.rec_type != "metadata":
                    it.read_to_end(rec)
                    raw.seek(it.get_record_offset())
                    out.write(raw.read(it.get_record_length()))
                    continue
                body = rec.content_stream().read()
                assert head.get_header("WARC-Target-URI").startswith("urn:arshif:metadata:")
                url = uris[head.get_header("WARC-Refers-To")]
                assert json.loads(body)["target_uri"] == url
                writer.write_record(writer.create_warc_record(
                    url, "metadata", payload=BytesIO(body), length=len(body),
                    warc_content_type="application/json",
                    warc_headers_dict={k: head.get_header(k) for k in COPY}))


def test_old_style_metadata_reads_the_same(crawled, tmp_path):
    old = tmp_path / "warc"
    old_style(crawled / "warc", old)
    new_index, old_index = index(crawled / "warc"), index(old)
    assert new_index.keys() == old_index.keys()
    for record_id, rec in new_index.items():
        assert old_index[record_id].meta == rec.meta and rec.meta, rec.uri
    db = tmp_path / "arshif.db"
    shutil.copy(crawled / "arshif.db", db)
    before = query(db, f"select {FIELDS} from articles order by url")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("delete from articles_fts")
        conn.execute("delete from articles")
    conn.close()
    done = run_arshif("reextract", "--db", db, "--warc-dir", old,
                      "--sources", crawled / "sources.yaml")
    assert done.returncode == 0 and f"new {len(before)}" in done.stdout, done.stderr[-3000:]
    assert query(db, f"select {FIELDS} from articles order by url") == before
    check = run_arshif("verify", "--db", db, "--warc-dir", old)
    assert check.returncode == 0, check.stdout + check.stderr


# -- pywb ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pywb(tmp_path_factory) -> Path:
    """pywb 2.10 in a throwaway venv (it pins redis 2 and werkzeug 2, which Arshif cannot)."""
    venv = tmp_path_factory.mktemp("pywb-venv")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    done = subprocess.run([venv / "bin" / "pip", "install", "-q", "pywb==2.10.*"],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        pytest.fail("pip install pywb==2.10.* failed:\n" + done.stderr[-2000:], pytrace=False)
    return venv / "bin"


def cdx(base: str, coll: str, url: str) -> list[dict]:
    query = urllib.parse.urlencode({"url": url, "output": "json"})
    with urllib.request.urlopen(f"{base}/{coll}/cdx?{query}", timeout=30) as resp:
        return [json.loads(line) for line in resp.read().decode().splitlines() if line]


def test_pywb_latest_capture_of_every_article_is_its_html(crawled, pywb, tmp_path):
    old_style(crawled / "warc", tmp_path / "old-warc")
    home = tmp_path / "pywb"
    home.mkdir()
    env = dict(os.environ, HOME=str(home))
    for coll, warcs in (("arshif", crawled / "warc"), ("legacy", tmp_path / "old-warc")):
        for args in (["init", coll], ["add", coll, *sorted(map(str, warcs.glob("*.warc.gz")))]):
            done = subprocess.run([pywb / "wb-manager", *args], cwd=home, env=env,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stderr[-2000:]
    port = free_port()
    server = subprocess.Popen([pywb / "wayback", "-p", str(port), "-b", "127.0.0.1"], cwd=home,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                cdx(base, "arshif", "http://127.0.0.1/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "wayback died"
                time.sleep(0.3)
        articles = query(crawled / "arshif.db", "select url, final_url, warc_digest "
                                                "from articles")
        assert articles
        legacy_json = 0
        for url, final_url, digest in articles:
            for target in {url, final_url or url}:
                lines = cdx(base, "arshif", target)
                assert lines, target
                newest = max(lines, key=lambda x: x["timestamp"])
                assert newest["mime"] in ("text/html", "warc/revisit"), (target, newest)
                assert all(x["mime"] != "application/json" for x in lines), target
                # Replay of the latest capture: the page's own HTML, as archived.
                with urllib.request.urlopen(f"{base}/arshif/id_/{target}", timeout=30) as resp:
                    assert resp.headers["Content-Type"].startswith("text/html"), target
                    body = resp.read()
                sha1 = base64.b32encode(hashlib.sha1(body).digest()).decode()
                if target == final_url:
                    assert "sha1:" + sha1 == digest, target
                legacy_json += any(x["mime"] == "application/json"
                                   for x in cdx(base, "legacy", target))
        # The old layout indexed the JSON under the article's URL: what this change removes.
        assert legacy_json > 0
    finally:
        server.terminate()
        server.wait(timeout=30)
