"""Search, CSV, feeds and snapshots as served (issue 14, "Defects found on the way" 1-10).

A built archive served by build_datasette, and a snapshot of it from take_snapshot served as
`arshif serve --snapshots` serves it (extra immutable databases).
"""

import csv
import hashlib
import io
import json
import re
import sqlite3
import subprocess

import pytest

from archive.publish import build_datasette
from archive.schema import connect
from archive.snapshot import take_snapshot
from archive.store import save_article, save_sources
from tests.conftest import REPO, need_binary

ARTICLES = [
    ("https://x.example/1", "هجوم لداعش على قرية في أطراف كركوك",
     "شنّ مسلحو تنظيم داعش هجوماً على قرية في أطراف كركوك.", "2024-05-10T09:00:00+03:00"),
    ("https://x.example/2", "الحشد يعلن تطهير وادي حمرين",
     "أعلن الحشد الشعبي تطهير وادي حمرين في ديالى من عناصر التنظيم.",
     "2024-05-12T09:00:00+03:00"),
    ("https://x.example/3", "ارتفاع أسعار الطماطم في أسواق بغداد",
     "شهدت أسواق بغداد ارتفاعاً في أسعار الطماطم.", "2024-05-11T09:00:00+03:00"),
    ("https://x.example/4", "تنظيم الدولة الإسلامية يتبنى هجوماً في سوريا",
     "أعلن تنظيم الدولة الإسلامية (داعش) مسؤوليته عن هجوم في دير الزور في سوريا.",
     "2024-05-13T09:00:00+03:00"),
]
BULLETINS = 1030  # more than Datasette's max_returned_rows (1,000)
SNAP = "arshif-2024-05-14"
MATCHES = [{"topic": "isis-iraq", "version": 1, "score": 23.0,
            "terms": {"داعش": 2, "كركوك": 1}}]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("serving") / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    for i, (url, title, text, published) in enumerate(ARTICLES):
        save_article(db, {"url": url, "source": "x", "title": title, "text": text,
                          "published": published, "topics": ["isis-iraq"] if i != 2 else [],
                          "topic_matches": MATCHES if i == 0 else []})
    for i in range(BULLETINS):
        save_article(db, {"url": f"https://x.example/n/{i}", "source": "x",
                          "title": f"نشرة الطقس رقم {i}", "text": f"نشرة الطقس رقم {i}: صحو.",
                          "published": f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}T10:00:00+03:00"})
    db.close()
    take_snapshot(path, path.parent / "snapshots", day="2024-05-14")
    return path


@pytest.fixture(scope="module")
def ds(archive):
    # As `arshif serve --snapshots DIR` builds it (crawler/cli/app.py::serve).
    snapshots = sorted((archive.parent / "snapshots").glob("arshif-*.db"))
    return build_datasette(archive, extra_immutables=snapshots)


async def urls(ds, path, **params):
    response = await ds.client.get(path, params={**params, "_shape": "array"})
    assert response.status_code == 200, response.text[:500]
    return {r["url"] for r in response.json()}


def article(n):
    return f"https://x.example/{n}"


# 1. A snapshot searches exactly as the archive does.
@pytest.mark.asyncio
@pytest.mark.parametrize("db", ["arshif", SNAP])
async def test_search_works_on_archive_and_snapshot(ds, db):
    assert await urls(ds, f"/{db}/articles.json", _search="zzzzqqq") == set()
    assert await urls(ds, f"/{db}/articles.json", _search="حمرين") == {article(2)}
    search = await ds.client.get(f"/{db}/search.json", params={"q": "كركوك", "_shape": "array"})
    assert search.status_code == 200 and [r["id"] for r in search.json()] == [1]
    feed = await ds.client.get(f"/{db}/search_feed.atom", params={"q": "كركوك"})
    assert feed.status_code == 200 and feed.text.count("<entry>") == 1


# 2. Matched terms: the archive stores {term: count}.
@pytest.mark.asyncio
async def test_article_page_lists_matched_terms_with_counts(ds):
    html = (await ds.client.get("/arshif/articles/1")).text
    matches = re.search(r'<ul class="topic-matches">(.*?)</ul>', html, re.S).group(1)
    assert re.search(r"<mark[^>]*>داعش</mark>\s*<span[^>]*>×2</span>", matches)
    assert re.search(r"<mark[^>]*>كركوك</mark>\s*<span[^>]*>×1</span>", matches)


# 3. An empty search lists the latest articles.
@pytest.mark.asyncio
@pytest.mark.parametrize("query", ["", "   ", "*", "NOT", "("])
async def test_empty_search_lists_latest(ds, query):
    page = await ds.client.get("/arshif/articles", params={"_search": query})
    assert page.status_code == 200
    assert "0 rows" not in page.text and "where search matches" not in page.text
    assert "نعرض أحدث المقالات" in page.text
    rows = (await ds.client.get("/arshif/articles.json",
                                params={"_search": query, "_shape": "array"})).json()
    assert [r["url"] for r in rows[:2]] == [article(4), article(2)]
    search = await ds.client.get("/arshif/search.json", params={"q": query, "_shape": "array"})
    assert [r["id"] for r in search.json()][:2] == [4, 2] and len(search.json()) == 50
    assert "نعرض أحدث المقالات" in (await ds.client.get("/arshif/search",
                                                         params={"q": query})).text


# 4 and 8. OR, NOT, -word, word*, Latin names; the page says how the query was read.
@pytest.mark.asyncio
@pytest.mark.parametrize(("query", "expected"), [
    ("داعش OR حمرين", {1, 2, 4}),
    ("داعش -سوريا", {1}),
    ("داعش NOT سوريا", {1}),
    ("(كركوك OR بغداد) -الطماطم", {1}),
    ("الطما*", {3}),
    ("ISIS", {1, 4}),
    ("Daesh Kirkuk", {1}),
    ("Hamrin OR Baghdad", {2, 3}),
])
async def test_search_syntax_results(ds, query, expected):
    assert await urls(ds, "/arshif/articles.json", _search=query) == {article(n) for n in expected}
    rows = (await ds.client.get("/arshif/search.json", params={"q": query, "_shape": "array"}))
    assert {r["id"] for r in rows.json()} == expected


@pytest.mark.asyncio
@pytest.mark.parametrize(("query", "says"), [
    ("داعش OR حمرين", "بحثنا عن: <bdi>«داعش» أو «حمرين»</bdi>"),
    ("داعش -سوريا", "بحثنا عن: <bdi>«داعش» دون «سوريا»</bdi>"),
    ("ISIS", "الأرشيف عربي"),
    ("*", "وحدها ليست كلمة بحث"),
])
async def test_pages_say_how_the_query_was_read(ds, query, says):
    for path, param in (("/arshif/articles", "_search"), ("/arshif/search", "q")):
        html = (await ds.client.get(path, params={param: query})).text
        block = re.search(r'<div class="arshif-reading".*?</div>', html, re.S)
        assert block and says in block.group(0), (path, query)


def read_csv(response):
    assert response.status_code == 200, response.text[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# 5 and 9. CSV: streaming, every row, plain snippets with url, a BOM for Excel.
@pytest.mark.asyncio
@pytest.mark.parametrize("params", [{"_stream": "on"}, {"_size": "max"}])
async def test_table_csv_has_every_matching_row(ds, params):
    rows = read_csv(await ds.client.get("/arshif/articles.csv",
                                        params={"_search": "نشرة", **params}))
    assert len(rows) == BULLETINS
    assert len({r["url"] for r in rows}) == BULLETINS
    html = await ds.client.get("/arshif/articles", params={"_search": "نشرة", "_size": "max"})
    assert html.text.count('<tr class="') <= 1000  # the HTML keeps its row limit


@pytest.mark.asyncio
async def test_search_csv_is_every_match_without_markup(ds):
    response = await ds.client.get("/arshif/search.csv", params={"q": "نشرة"})
    rows = read_csv(response)
    assert len(rows) == BULLETINS and not response.content.startswith(b"\xef\xbb\xbf")
    assert list(rows[0]) == ["id", "url", "source", "title", "published", "word_count",
                             "topics", "snippet", "article_url"]
    one = read_csv(await ds.client.get("/arshif/search.csv", params={"q": "داعش -سوريا"}))
    assert [r["url"] for r in one] == [article(1)]
    assert "<mark>" not in one[0]["snippet"] and "تنظيم داعش هجوماً" in one[0]["snippet"]
    assert one[0]["article_url"].endswith("/arshif/articles/1")
    dl = await ds.client.get("/arshif/search.csv", params={"q": "داعش", "_dl": "1"})
    assert "filename*=UTF-8''arshif-search-%D8%AF%D8%A7%D8%B9%D8%B4-" in \
        dl.headers["content-disposition"]


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/arshif/search.csv?q=داعش",
                                  "/arshif/articles.csv?_search=داعش&_stream=on"])
async def test_bom_variant_for_excel(ds, path):
    plain = await ds.client.get(path)
    bom = await ds.client.get(path + "&_bom=1")
    assert bom.content.startswith(b"\xef\xbb\xbf") and not plain.content.startswith(b"\xef")
    assert bom.content[3:] == plain.content


# 6. The saved-search feed names its query.
@pytest.mark.asyncio
async def test_feed_title_names_the_query(ds):
    for q, entries in (("داعش -سوريا", 1), ("zzzzqqq", 0)):
        feed = await ds.client.get("/arshif/search_feed.atom", params={"q": q})
        title = re.search(r"<title>(.*?)</title>", feed.text).group(1)
        assert f"«{q}»" in title and feed.text.count("<entry>") == entries


# 10. A snapshot's manifest and checksum are served and linked; every column is described.
@pytest.mark.asyncio
async def test_snapshot_manifest_and_checksum_are_served(ds, archive):
    out = archive.parent / "snapshots"
    manifest = await ds.client.get(f"/{SNAP}.manifest.json")
    assert manifest.status_code == 200
    assert manifest.json() == json.loads((out / f"{SNAP}.manifest.json").read_text("utf-8"))
    digest = hashlib.sha256((out / f"{SNAP}.db").read_bytes()).hexdigest()
    line = (await ds.client.get(f"/{SNAP}.db.sha256")).text
    assert line.split() == [digest, f"{SNAP}.db"]
    page = (await ds.client.get(f"/{SNAP}")).text
    assert f'href="/{SNAP}.manifest.json"' in page and f'href="/{SNAP}.db.sha256"' in page
    assert (await ds.client.get("/arshif.manifest.json")).status_code == 404


def test_data_dictionary_describes_everything(archive):
    manifest = json.loads((archive.parent / "snapshots" / f"{SNAP}.manifest.json").read_text())
    missing = [f"{t}.{c}" for t, spec in manifest["tables"].items()
               for c, col in spec["columns"].items() if not col["description"]]
    assert missing == []
    assert [t for t, spec in manifest["tables"].items() if not spec["description"]] == []
    assert sum(len(spec["columns"]) for spec in manifest["tables"].values()) > 200


# 7. The snapshot says how its index is stored; the README's recipes work on it.
def test_snapshot_search_help_and_sqlite3_shell(archive):
    snap = archive.parent / "snapshots" / f"{SNAP}.db"
    sqlite3_bin = need_binary("sqlite3", "sqlite3")

    def shell(sql):
        done = subprocess.run([sqlite3_bin, str(snap), sql], capture_output=True, text=True,
                              check=True)
        return done.stdout.splitlines()

    count = "select count(*) from articles_fts where articles_fts match '{}'"
    assert shell(count.format("الدولة")) == ["0"]  # the defect, explained rather than fixed
    assert shell(count.format("دوله")) == ["1"]
    stored = dict(line.split("|", 1) for line in shell(
        "select example, stored_as from search_help"))
    assert stored["الدولة"] == "دوله" and stored["بالموصل"] == "موصل"
    ready = dict(line.split("\t", 1) for line in shell(
        "select example || char(9) || sqlite3 from search_help"))
    for sql in ready.values():
        shell(sql)  # every ready query runs in the plain sqlite3 shell
    assert [line.split("|")[0] for line in shell(ready["الدولة"])] == ["4"]
    assert [line.split("|")[0] for line in shell(ready["داعش NOT سوريا"])] == ["1"]


def test_readme_python_recipe_runs(archive):
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### Searching a snapshot from sqlite3 and pandas", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    snap = archive.parent / "snapshots" / f"{SNAP}.db"
    scope: dict = {}
    exec(code.replace("arshif-2024-05-12.db", str(snap)), scope)  # noqa: S102 (our README)
    assert [r[0] for r in scope["rows"]] == [4, 1]  # newest first
    conn = sqlite3.connect(snap)
    from archive.search import register_functions

    register_functions(conn)
    assert [r[0] for r in conn.execute(scope["SQL"], ["داعش -سوريا"])] == [1]
    assert [r[0] for r in conn.execute(scope["SQL"], ["Daesh"])] == [4, 1]


def test_real_arshif_serve_snapshots(archive):
    """`arshif serve --snapshots DIR` for real: the snapshot searches, its manifest is served."""
    import os
    import sys
    import time
    import urllib.request
    from urllib.parse import quote

    from tests.conftest import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "crawler.cli", "serve", "--db", str(archive), "--port",
           str(port), "--snapshots", str(archive.parent / "snapshots")]
    server = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, PYTHONUNBUFFERED="1"))
    base = f"http://127.0.0.1:{port}"

    def get(path):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.read().decode("utf-8")

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "arshif serve did not start"
                time.sleep(0.2)
        nothing = json.loads(get(f"/{SNAP}/articles.json?_shape=array&_search=zzzzqqq"))
        assert nothing == []
        found = json.loads(get(f"/{SNAP}/search.json?_shape=array&q={quote('داعش -سوريا')}"))
        assert [r["id"] for r in found] == [1]
        assert "<entry>" in get(f"/{SNAP}/search_feed.atom?q={quote('داعش')}")
        assert json.loads(get(f"/{SNAP}.manifest.json"))["file"] == f"{SNAP}.db"
    finally:
        server.terminate()
        server.wait(timeout=30)
