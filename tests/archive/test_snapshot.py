"""Research snapshots: consistent while a crawl writes, verifiable, described, servable."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlite_utils

from archive.snapshot import take_snapshot
from tests.conftest import FAST, REPO, run_arshif


def check_snapshot(info: dict, out) -> None:
    """Integrity, checksum file, and manifest counts equal to the snapshot's own rows."""
    path = out / info["file"]
    assert not (out / (info["file"] + "-wal")).exists()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (out / (info["file"] + ".sha256")).read_text().split() == [digest, info["file"]]
    manifest = json.loads((out / info["file"].replace(".db", ".manifest.json")).read_text())
    assert manifest["sha256"] == digest
    per_source = dict(conn.execute("select source, count(*) from articles group by source"))
    assert manifest["articles_per_source"] == per_source
    assert manifest["articles"] == sum(per_source.values())
    for table, spec in manifest["tables"].items():
        if spec["type"] == "table":
            assert spec["rows"] == conn.execute(f"select count(*) from [{table}]").fetchone()[0]
    runs = {r[0] for r in conn.execute("select distinct run from crawl_runs")}
    assert {r["run"] for r in manifest["crawl_runs"]} == runs
    assert manifest["articles_per_topic"] == topic_counts(conn)
    conn.close()


def topic_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Articles per topic, counted in Python from the rows' topics lists."""
    counts: dict[str, int] = {}
    for (raw,) in conn.execute("select topics from articles where topics is not null"):
        for topic in set(json.loads(raw)):
            counts[topic] = counts.get(topic, 0) + 1
    return counts


def writing(db) -> bool:
    """True once the crawl has opened its run (the schema exists and crawl_runs has a row)."""
    if not db.exists():
        return False
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute("select count(*) from crawl_runs").fetchone()[0] > 0
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def test_snapshot_taken_during_a_running_crawl(sites, tmp_path):
    sources = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "arshif.db"
    out = tmp_path / "snapshots"
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources), "--db",
           str(db), *FAST]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    during = []
    try:
        deadline = time.time() + 120
        while proc.poll() is None and time.time() < deadline:
            if writing(db):
                info = take_snapshot(db, out, day=f"during-{len(during)}")
                if proc.poll() is None:
                    during.append(info)
            time.sleep(0.1)
    finally:
        stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr.decode()[-3000:]
    assert during, "the crawl finished before a snapshot could be taken"
    for info in during:
        check_snapshot(info, out)
    final = run_arshif("snapshot", "--db", db, "--out", out, "--gzip")
    assert final.returncode == 0, final.stderr
    info = json.loads(final.stdout)
    full = json.loads((out / info["file"].replace(".db", ".manifest.json")).read_text())
    check_snapshot(full, out)
    assert full["articles"] > 0 and full["schema_version"] >= 1
    assert full["tables"]["articles"]["columns"]["url"]["description"]
    with gzip.open(out / (info["file"] + ".gz")) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == info["sha256"]
    assert sqlite_utils.Database(out / info["file"])["articles"].count == full["articles"]
    try:
        import pandas as pd
    except ImportError:
        return
    conn = sqlite3.connect(out / info["file"])
    assert len(pd.read_sql("select * from articles", conn)) == full["articles"]
    conn.close()


@pytest.mark.asyncio
async def test_serve_lists_snapshots_as_immutable_databases(tmp_path):
    from archive.publish import build_datasette
    from archive.schema import connect

    db = tmp_path / "arshif.db"
    connect(db).close()
    info = take_snapshot(db, tmp_path / "snaps", day="2024-05-12")
    ds = build_datasette(db, extra_immutables=[tmp_path / "snaps" / info["file"]])
    listed = (await ds.client.get("/.json")).json()
    assert "arshif-2024-05-12" in listed
    download = await ds.client.get("/arshif-2024-05-12.db")
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == info["sha256"]


def test_manifest_counts_topics_of_plain_string_lists(tmp_path):
    from archive.schema import connect
    from archive.store import save_article, save_sources

    db = tmp_path / "arshif.db"
    conn = connect(db)
    save_sources(conn, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    tagged = [["isis-iraq"]] * 10 + [["isis-iraq", "kirkuk-security"], [], None]
    for i, topics in enumerate(tagged):
        save_article(conn, {
            "url": f"https://x.example/news/{i}", "source": "x", "title": f"خبر {i}",
            "text": f"القوات الأمنية تلاحق خلايا داعش في حمرين وكركوك، الخبر رقم {i}.",
            "published": f"2024-05-{i + 1:02d}T10:00:00+03:00", "topics": topics,
        })
    conn.close()
    info = take_snapshot(db, tmp_path / "snaps", day="2024-05-20")
    assert info["articles_per_topic"] == {"isis-iraq": 11, "kirkuk-security": 1}
    check_snapshot(info, tmp_path / "snaps")


def test_manifest_raises_on_errors_other_than_a_missing_table(tmp_path):
    from archive.snapshot import _rows

    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("create table articles (id integer primary key, topics text)")
    conn.execute("insert into articles (topics) values ('[\"isis-iraq\"]')")
    assert _rows(conn, "select key, value from arshif_meta") == []
    assert _rows(conn, "select published from articles") == []
    with pytest.raises(sqlite3.OperationalError, match="malformed JSON"):
        _rows(conn, "select json_extract(t.value, '$.topic') from articles, json_each(topics) t")
    conn.close()
