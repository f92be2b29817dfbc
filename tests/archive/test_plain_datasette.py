"""Plain Datasette (`datasette serve`, `Datasette([...])`) on an archive gets Arshif's config."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from archive.datasette import HERE
from archive.schema import connect
from archive.store import save_article, save_sources
from tests.conftest import run_arshif

BODY = "وتواصل القوات الأمنية عمليات التفتيش في المناطق المحررة بحثاً عن مخابئ التنظيم. " * 6
ARTICLES = [
    ("https://x.example/1", "هجوم لداعش على قرية في أطراف كركوك",
     "شنّ مسلحو تنظيم داعش هجوماً ليلياً على قرية في أطراف كركوك. " + BODY,
     "2026-01-10T09:00:00+03:00"),
    ("https://x.example/2", "الحشد يعلن تطهير وادي حمرين",
     "أعلن الحشد الشعبي تطهير وادي حمرين في ديالى من بقايا الخلايا النائمة. " + BODY,
     "2026-01-12"),
    ("https://x.example/3", "مقتل إرهابيين في صلاح الدين",
     "قتلت قوة أمنية إرهابيين اثنين في صلاح الدين قرب سلسلة جبال مكحول. " + BODY,
     "2026-01-11T18:30:00+03:00"),
]
NONSENSE = "زقطلوبية"
# ى for ي and a bare alif for the hamza: still the article about Wadi Hamrin.
VARIANT = "وادى حمرين"


@pytest.fixture(scope="module")
def archive_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("plain") / "arshif-2026.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    for url, title, text, published in ARTICLES:
        save_article(db, {"url": url, "source": "x", "title": title, "text": text,
                          "published": published, "fetched_at": "2026-01-12T10:00:00+00:00"})
    db.close()
    return path


async def _search(ds: Datasette, q: str) -> list[dict]:
    response = await ds.client.get("/arshif-2026/articles.json",
                                   params={"_search": q, "_shape": "array"})
    assert response.status_code == 200, response.text
    return response.json()


def test_plugins_come_from_the_entry_points():
    # Loaded by Datasette itself from the installed package, not by archive.publish.
    from_dists = {plugin.__name__ for plugin, _ in pm.list_plugin_distinfo()}
    assert {"archive.datasette", "archive.datasette.plugins.arshif_search"} <= from_dists


@pytest.mark.asyncio
async def test_plain_datasette_without_metadata(archive_file):
    ds = Datasette([str(archive_file)])
    assert await _search(ds, NONSENSE) == []
    found = await _search(ds, VARIANT)
    assert [r["url"] for r in found] == ["https://x.example/2"]
    assert len(await _search(ds, "داعش")) == 1
    assert "search" in (ds.metadata("queries", database="arshif-2026") or {})
    page = await ds.client.get("/arshif-2026/search", params={"q": "الحشد"})
    assert page.status_code == 200 and "<mark>" in page.text
    css = await ds.client.get("/arshif-static/arshif.css")
    assert css.status_code == 200 and "unicode-bidi" in css.text


@pytest.mark.asyncio
async def test_shipped_metadata_file_passed_with_m(archive_file):
    # `datasette serve arshif-2026.db -m archive/datasette/metadata.yml`: the __DB__ section
    # names no served database, so the plugin still configures the real one.
    meta = yaml.safe_load((HERE / "metadata.yml").read_text("utf-8"))
    ds = Datasette([str(archive_file)], metadata=meta)
    assert await _search(ds, NONSENSE) == []
    assert [r["url"] for r in await _search(ds, VARIANT)] == ["https://x.example/2"]


@pytest.mark.asyncio
async def test_generated_metadata_file(archive_file, tmp_path):
    out = tmp_path / "metadata.yml"
    result = run_arshif("datasette-metadata", archive_file, "-o", out)
    assert result.returncode == 0, result.stderr
    meta = yaml.safe_load(out.read_text("utf-8"))
    assert list(meta["databases"]) == ["arshif-2026"]
    feed_sql = meta["databases"]["arshif-2026"]["queries"]["search_feed"]["sql"]
    assert "tag:arshif,2024:arshif-2026/articles/" in feed_sql and "__DB__" not in feed_sql
    ds = Datasette([str(archive_file)], metadata=meta)
    assert await _search(ds, NONSENSE) == []
    assert len(await _search(ds, VARIANT)) == 1


def test_metadata_command_refuses_a_non_archive(tmp_path):
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("create table t (x)").connection.close()
    result = run_arshif("datasette-metadata", other)
    assert result.returncode == 2
    assert "not an Arshif archive" in result.stderr


@pytest.mark.asyncio
async def test_other_databases_are_left_alone(tmp_path):
    import sqlite3

    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("create table articles (id integer primary key, title text)")
    conn.commit()
    conn.close()
    ds = Datasette([str(other)])
    assert ds.metadata("queries", database="notes") in (None, {})
    assert ds.table_metadata("notes", "articles") == {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_datasette_serve_subprocess(archive_file):
    port = _free_port()
    exe = Path(sys.executable).parent / "datasette"
    proc = subprocess.Popen([str(exe), "serve", str(archive_file), "-p", str(port),
                             "-h", "127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/arshif-2026"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get_json(base + ".json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.communicate(timeout=5)[1].decode()) from None
                time.sleep(0.2)
        from urllib.parse import quote

        assert _get_json(f"{base}/articles.json?_shape=array&_search={quote(NONSENSE)}") == []
        found = _get_json(f"{base}/articles.json?_shape=array&_search={quote(VARIANT)}")
        assert [r["url"] for r in found] == ["https://x.example/2"]
        queries = [q["name"] for q in _get_json(base + ".json")["queries"]]
        assert "search" in queries
    finally:
        proc.terminate()
        proc.wait(timeout=10)
