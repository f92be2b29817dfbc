"""WARC capture: real crawls write valid WARC 1.1 files; show-capture and reextract read them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import WarcFiles, open_record, payload_digest
from tests.conftest import FAST, REPO, run_arshif, tuples

FIELDS = "url, title, published, text, content_sha256"


def records(directory: Path) -> list[dict]:
    """Every record of every WARC file: type, uri, headers, and the JSON of metadata records."""
    out = []
    for path in sorted(directory.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                row = {"file": path.name, "type": rec.rec_type, "headers": rec.rec_headers,
                       "uri": rec.rec_headers.get_header("WARC-Target-URI"),
                       "http": rec.http_headers}
                if rec.rec_type == "metadata":
                    row["data"] = json.loads(rec.content_stream().read())
                out.append(row)
    return out


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    """One crawl of every fixture outlet, then a second (--revisit) that finds the same pages."""
    tmp = tmp_path_factory.mktemp("warc")
    sources = sites.write_sources(tmp / "sources.yaml")
    db = tmp / "arshif.db"
    first = run_arshif("crawl", "--sources", sources, "--db", db, *FAST)
    assert first.returncode == 0, first.stderr[-3000:]
    files = sorted((tmp / "warc").glob("*.warc.gz"))
    rows = tuples(db, f"select {FIELDS} from articles order by url")
    second = run_arshif("crawl", "--sources", sources, "--db", db, "--revisit", *FAST)
    assert second.returncode == 0, second.stderr[-3000:]
    return {"db": db, "sources": sources, "dir": tmp / "warc", "first": files, "rows": rows}


def test_warcio_check_and_index_accept_every_file(crawled):
    files = sorted(crawled["dir"].glob("*.warc.gz"))
    assert len(files) == 2 and all(f.name.startswith("arshif-") for f in files)
    for path in files:
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout[-2000:]
        assert "fail" not in check.stdout.lower()
        index = subprocess.run([sys.executable, "-m", "warcio.cli", "index", str(path)],
                               capture_output=True, text=True)
        assert index.returncode == 0 and index.stdout.count("\n") > 10


def test_every_article_points_at_its_response_record(crawled):
    rows = tuples(crawled["db"], "select url, final_url, warc_file, warc_offset, warc_digest "
                                "from articles")
    assert rows
    for url, final_url, file, offset, digest in rows:
        with open_record(crawled["dir"] / file, offset) as rec:
            assert rec.rec_type == "response"
            # A revisit may point at the same payload fetched under a variant URL (?print=1).
            assert rec.rec_headers.get_header("WARC-Target-URI").startswith(final_url)
            assert rec.rec_headers.get_header("WARC-Payload-Digest") == digest
            body = rec.content_stream().read()
            assert payload_digest(body) == digest, url
            assert rec.http_headers.get_header("Content-Length") == str(len(body))


def test_feeds_robots_and_rejected_pages_are_captured_with_outcomes(crawled):
    recs = records(crawled["dir"])
    meta = [r["data"] for r in recs if r["type"] == "metadata"]
    kinds = {m["kind"] for m in meta}
    assert {"robots", "article"} <= kinds and kinds & {"feed", "sitemap"}
    reasons = {m["reason"].split(":")[0] for m in meta if m["outcome"] == "dropped"}
    assert {"not_article", "not_arabic", "http_error"} <= reasons
    kept = [m for m in meta if m["outcome"] == "kept"]
    assert all(m["extraction"]["content_sha256"] and m["extraction"]["word_count"] for m in kept)
    by_id = {r["headers"].get_header("WARC-Record-ID"): r for r in recs}
    for r in recs:
        if r["type"] == "metadata":  # linked to the response/revisit record it describes
            assert by_id[r["headers"].get_header("WARC-Refers-To")]["type"] in ("response",
                                                                                 "revisit")
        if r["type"] == "request":
            names = {k.lower() for k, _ in r["http"].headers}
            assert not names & {"cookie", "authorization"}
            assert by_id[r["headers"].get_header("WARC-Concurrent-To")]["uri"] == r["uri"]


def test_second_identical_crawl_writes_revisits(crawled):
    second = [r for r in records(crawled["dir"]) if r["file"] not in
              {f.name for f in crawled["first"]}]
    revisits = [r for r in second if r["type"] == "revisit"]
    assert len(revisits) >= len(crawled["rows"])
    for r in revisits:
        assert r["headers"].get_header("WARC-Profile").endswith("identical-payload-digest")
        assert r["headers"].get_header("WARC-Refers-To")
    # Articles still point at the full response record of the first crawl.
    files = {row[0] for row in tuples(crawled["db"], "select distinct warc_file from articles")}
    assert files <= {f.name for f in crawled["first"]}


def show(*args) -> subprocess.CompletedProcess:
    """show-capture prints the archived bytes as they are (any charset): read them as bytes."""
    cmd = [sys.executable, "-m", "crawler.cli", "show-capture", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, cwd=REPO, timeout=120)


def test_show_capture(crawled):
    rows = crawled["rows"]
    for url, *_ in {r[0]: r for r in (rows[0], rows[-1])}.values():  # UTF-8 and cp1256 pages
        full = show(url, "--db", crawled["db"])
        assert full.returncode == 0, full.stderr
        assert full.stdout.startswith(b"HTTP/1.1 200 OK\r\n") and b"<html" in full.stdout.lower()
        body = show(url, "--db", crawled["db"], "--body-only")
        assert body.returncode == 0 and full.stdout.endswith(body.stdout)
        assert not body.stdout.startswith(b"HTTP/")
    missing = run_arshif("show-capture", "http://127.0.0.1:9/nowhere", "--db", crawled["db"])
    assert missing.returncode == 1 and "No archived capture" in missing.stderr


def test_reextract_restores_deleted_rows_and_is_idempotent(crawled):
    db = crawled["db"]
    before = tuples(db, f"select {FIELDS} from articles order by url")
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("delete from articles_fts")
        conn.execute("delete from articles")
    conn.close()
    first = run_arshif("reextract", "--db", db, "--sources", crawled["sources"])
    assert first.returncode == 0, first.stderr[-3000:]
    assert f"new {len(before)}" in first.stdout
    assert tuples(db, f"select {FIELDS} from articles order by url") == before
    second = run_arshif("reextract", "--db", db, "--sources", crawled["sources"])
    assert "new 0  updated 0" in second.stdout and "gone 0" in second.stdout, second.stdout
    assert tuples(db, f"select {FIELDS} from articles order by url") == before


def test_writer_rotates_flushes_and_strips_credentials(tmp_path):
    files = WarcFiles(tmp_path, "t", max_bytes=2000, info={"software": "test"})
    for i in range(6):
        files.exchange(f"http://x.test/{i}", f"GET /{i} HTTP/1.1",
                       [("Host", "x.test"), ("Cookie", "a=1"), ("Authorization", "Basic eA==")],
                       b"", "HTTP/1.1 200 OK", [("Content-Type", "text/html")],
                       f"<p>{i}</p>".encode() * 200, "2024-01-01T00:00:00.000000Z")
    # Not closed: every record written so far must already be readable (a killed crawl).
    names = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(names) > 1 and names[0] == "arshif-t-00000.warc.gz"
    seen = 0
    for name in names:
        with open(tmp_path / name, "rb") as fh:
            for rec in ArchiveIterator(fh):
                seen += rec.rec_type in ("response", "request")
                if rec.rec_type == "request":
                    assert rec.http_headers.get_header("Cookie") is None
                    assert rec.http_headers.get_header("Authorization") is None
    assert seen == 12
    files.close()


def _write_pages(directory: Path, level: int) -> int:
    """Write 20 Arabic page exchanges at a gzip level; the size of the one file written."""
    files = WarcFiles(directory, f"l{level}", max_bytes=1 << 30, info={"software": "test"},
                      gzip_level=level)
    page = ("<html dir='rtl'><body><p>قالت خلية الإعلام الأمني إن القوات نفذت عملية في "
            "تلال حمرين بمحافظة ديالى ضد خلايا داعش {}.</p></body></html>")
    for i in range(20):
        body = "".join(page.format(i * 100 + j) for j in range(60)).encode()
        files.exchange(f"http://x.test/{i}", f"GET /{i} HTTP/1.1", [("Host", "x.test")], b"",
                       "HTTP/1.1 200 OK", [("Content-Type", "text/html; charset=utf-8")], body,
                       "2024-01-01T00:00:00.000000Z")
    files.close()
    (path,) = directory.glob("*.warc.gz")
    with open(path, "rb") as fh:
        bodies = [rec.content_stream().read() for rec in ArchiveIterator(fh)
                  if rec.rec_type == "response"]
    assert len(bodies) == 20 and "ديالى".encode() in bodies[7] and b" 719." in bodies[7]
    return path.stat().st_size


def test_gzip_level_is_a_setting_and_every_level_reads_back(tmp_path):
    sizes = {level: _write_pages(tmp_path / str(level), level) for level in (1, 9)}
    # Level 9 trades CPU for size: the same records are smaller, and both read back whole.
    assert sizes[9] < sizes[1]
    with pytest.raises(ValueError, match="0-9"):
        WarcFiles(tmp_path, "bad", max_bytes=1, info={}, gzip_level=11)
