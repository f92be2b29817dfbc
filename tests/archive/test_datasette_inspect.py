"""Served immutable archives: bounded table counts, no whole-file hash on the event loop."""

import hashlib
import json

import pytest
from datasette.tracer import capture_traces

from archive.datasette.inspect import inspect_file
from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "x", "homepage": "https://x.example/"}])
    for i in range(3):
        save_article(db, {"url": f"https://x.example/{i}", "source": "x",
                          "title": f"كركوك {i}", "text": "خبر.",
                          "published": f"2024-05-0{i + 1}T09:00:00+03:00"})
    db.conn.execute("pragma wal_checkpoint(truncate)")
    db.close()
    return path


def test_counts_every_table_but_the_search_index(archive):
    tables = inspect_file(archive)["tables"]
    assert tables["articles"]["count"] == 3 and tables["sources"]["count"] == 1
    shadow = [t for t in tables if t.startswith("articles_fts")]
    assert "articles_fts" in shadow and "articles_fts_data" in shadow
    assert all(tables[t]["count"] is None for t in shadow)


def test_hash_is_the_snapshot_checksum_or_none(archive):
    assert inspect_file(archive)["hash"] is None
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    archive.with_name(archive.name + ".sha256").write_text(f"{digest}  {archive.name}\n")
    assert inspect_file(archive)["hash"] == digest


@pytest.mark.asyncio
async def test_first_request_counts_nothing_and_databases_json_hashes_nothing(archive):
    ds = build_datasette(archive)
    traces: list[dict] = []
    with capture_traces(traces):
        first = await ds.client.get("/arshif/articles/1.json")
    assert first.status_code == 200
    assert not [t for t in traces if "count(*)" in t.get("sql", "")]  # Datasette's setup_db
    databases = json.loads((await ds.client.get("/-/databases.json")).text)
    assert [(d["name"], d["hash"], d["size"]) for d in databases] == \
           [("arshif", None, archive.stat().st_size)]
    page = (await ds.client.get("/arshif")).text
    assert "3 rows" in page  # the database page still shows the articles' count


@pytest.mark.asyncio
async def test_live_archive_has_no_inspect_data(archive):
    ds = build_datasette(archive, public=False)
    assert not ds.inspect_data
