"""Issue 15 items 5 and 11 on a real archive through Datasette's own client: security headers,
400 for parameters naming no column, per-column search, no server paths in /-/ pages."""

import asyncio
import time

import pytest

from archive.datasette.plugins.arshif_cache import ResponseCache, all_immutable
from archive.datasette.plugins.arshif_headers import content_security_policy, with_security_headers
from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources

FILLER = "وقالت مصادر محلية إن الوضع في المنطقة هادئ نسبياً بعد انتهاء العملية. "


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("hardening") / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    save_article(db, {"url": "https://x.example/1", "source": "x",
                      "title": "هجوم لداعش قرب كركوك", "published": "2024-05-01T09:00:00+03:00",
                      "text": "أعلنت السلطات عن هجوم على قرية.\n" + FILLER * 3})
    save_article(db, {"url": "https://x.example/2", "source": "x",
                      "title": "أسعار النفط ترتفع", "published": "2024-05-02T09:00:00+03:00",
                      "text": "قال مسؤول إن عناصر داعش ما زالوا في الوديان.\n" + FILLER * 3})
    db.close()
    return path


@pytest.fixture(scope="module")
def ds(archive):
    ds = build_datasette(archive)
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds, path: str, **kwargs):
    return asyncio.run(ds.client.get(path, **kwargs))


@pytest.mark.parametrize("path", [
    "/", "/arshif", "/arshif/articles", "/arshif/articles.json", "/arshif/articles.csv",
    "/arshif/articles/1", "/arshif/search?q=داعش", "/arshif/search.json?q=داعش",
    "/arshif/nope", "/-/static/app.css", "/robots.txt", "/arshif/articles?_sort=nope",
])
def test_every_response_carries_nosniff_and_the_csp(ds, path):
    response = get(ds, path)
    assert response.headers["x-content-type-options"] == "nosniff"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "'sha256-" in script_src  # Datasette's own inline scripts, allowed one by one


def test_a_refused_post_carries_the_headers_too(ds):
    response = asyncio.run(ds.client.post("/arshif/articles", data={}))
    assert response.status_code == 405
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_response_with_its_own_policy_keeps_it():
    # The replay route sets a stricter policy: the global one must never replace or add to it.
    own = [(b"content-type", b"text/html"), (b"Content-Security-Policy", b"default-src 'none'")]
    headers = with_security_headers(own)
    assert [v for k, v in headers if k.lower() == b"content-security-policy"] == [
        b"default-src 'none'"]
    assert (b"x-content-type-options", b"nosniff") in headers
    assert "script-src 'self' 'sha256-" in content_security_policy()


@pytest.mark.parametrize(("query", "words"), [
    ("_sort=nope", "Cannot sort articles by nope"),
    ("_sort_desc=nope", "Cannot sort articles by nope"),
    ("_sort=title&_sort_desc=title", "Cannot use _sort and _sort_desc"),
    ("_facet=nope", "Cannot facet articles by nope"),
    ("_facet_array=nope", "Cannot facet articles by nope"),
    ("_facet=%7Bbad", "Cannot facet by {bad"),
    ("nope=1", "articles has no column nope"),
    ("nope__exact=1", "articles has no column nope"),
    ("title__nope=1", "Unknown filter __nope"),
])
def test_invalid_parameters_answer_400_with_the_reason_fast(ds, capsys, query, words):
    for ext in (".json", "", ".csv"):
        start = time.perf_counter()
        response = get(ds, f"/arshif/articles{ext}?{query}")
        assert time.perf_counter() - start < 0.3  # no traceback rendered with its locals
        assert response.status_code == 400, (ext, query, response.text[:300])
        assert words in (response.json()["error"] if ext == ".json" else response.text)
    assert "Traceback" not in capsys.readouterr().out


def test_valid_sort_facet_and_filters_still_work(ds):
    response = get(ds, "/arshif/articles.json?_sort=published&_facet=source&source=x"
                       "&title__contains=داعش&_facet_array=topics&_shape=objects")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["rows"]] == [1]
    assert get(ds, "/arshif/articles.json?_sort_desc=id").status_code == 200
    assert get(ds, "/arshif/crawl_runs.json?_sort_desc=rowid").status_code == 400  # has a pk


def ids(ds, query: str) -> list[int]:
    response = get(ds, f"/arshif/articles.json?{query}&_shape=array&_col=id")
    assert response.status_code == 200, response.text
    return sorted(row["id"] for row in response.json())


def test_search_in_one_column_uses_the_index_key(ds):
    assert ids(ds, "_search=داعش") == [1, 2]
    assert ids(ds, "_search_title=داعش") == [1]  # 0 rows before: joined on rowid
    assert ids(ds, "_search_title=دَاعِش") == [1]  # normalised like the index
    assert ids(ds, "_search_text=داعش") == [2]
    assert ids(ds, "_search_title=النفط&_search_text=داعش") == [2]
    assert get(ds, "/arshif/articles.json?_search_nope=x").status_code == 400


def test_introspection_pages_name_no_server_path(ds, archive):
    text = get(ds, "/-/databases.json").text
    assert str(archive.parent) not in text
    assert [db["path"] for db in get(ds, "/-/databases.json").json()] == ["arshif.db"]
    assert str(archive.parent) not in get(ds, "/-/databases").text
    threads = get(ds, "/-/threads.json").json()
    assert "tasks" not in threads and threads["threads"]
    for page in ("/-/metadata.json", "/-/settings.json", "/-/versions.json", "/-/plugins.json"):
        assert str(archive.parent) not in get(ds, page).text, page


def test_the_response_cache_is_for_immutable_archives_only(ds, archive):
    assert all_immutable(ds)
    assert not all_immutable(build_datasette(archive, public=False))
    cache = ResponseCache(budget=100)
    for n in range(5):
        cache.put(("http", b"h", f"/{n}", b""), [{"n": n}], 30)
    assert cache.size <= 100 and cache.get(("http", b"h", "/0", b"")) is None
    assert cache.get(("http", b"h", "/4", b"")) == [{"n": 4}]


def test_a_repeated_request_is_replayed_identically(ds):
    first = get(ds, "/arshif/articles.json?_search=داعش&_warm=cache")
    second = get(ds, "/arshif/articles.json?_search=داعش&_warm=cache")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second.headers["x-content-type-options"] == "nosniff"
