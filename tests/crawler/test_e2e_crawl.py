"""End to end: a real `arshif crawl` subprocess against the fixture outlets on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.conftest import FAST, expected, query, run_arshif


@pytest.fixture(scope="module")
def crawl(sites, tmp_path_factory):
    """Crawl every fixture outlet once into a fresh archive."""
    tmp = tmp_path_factory.mktemp("e2e")
    sources = sites.write_sources(tmp / "sources.yaml")
    db = tmp / "arshif.db"
    result = run_arshif("crawl", "--sources", sources, "--db", db, *FAST)
    assert result.returncode == 0, result.stderr[-4000:]
    return {"db": db, "sources": sources, "result": result}


def kept(outlet, all_topics=False):
    """The articles a crawl must store: on-topic ones by default, every one with --all-topics."""
    return [a for a in expected(outlet)["articles"] if all_topics or a.get("on_topic", True)]


def outlet_ids(sites):
    return [o.name for o in sites.outlets]


def test_exact_set_of_articles_with_titles_and_dates(crawl, sites):
    stored = {r["url"]: r for r in query(crawl["db"], "select * from articles")}
    want = {}
    for outlet in sites.outlets:
        for art in kept(outlet):
            want[art["url"]] = (outlet.name, art)
    assert set(stored) == set(want)
    for url, (name, art) in want.items():
        row = stored[url]
        assert row["source"] == name
        assert row["title"] == art["title"], url
        assert row["published"] == art["published"], url
        assert row["date_source"] == art["date_source"], url
        assert row["language"] == "ar"


def test_clean_text(crawl, sites):
    stored = {r["url"]: r["text"] for r in query(crawl["db"], "select url, text from articles")}
    for outlet in sites.outlets:
        for art in kept(outlet):
            text = stored[art["url"]]
            for snippet in art.get("must_contain", []):
                assert snippet in text, (art["url"], snippet)
            for snippet in art.get("must_not_contain", []):
                assert snippet not in text, (art["url"], snippet)


def test_drops_counted_with_reasons(crawl, sites):
    runs = {r["source"]: r for r in query(crawl["db"], "select * from crawl_runs")}
    for outlet in sites.outlets:
        run = runs[outlet.name]
        assert run["status"] == "finished"
        want = {reason: n for reason, n in expected(outlet)["dropped"].items() if n}
        assert json.loads(run["dropped"]) == want, outlet.name
        assert run["new"] == len(kept(outlet))
        assert run["finished"] >= run["started"]


def test_not_stored_pages_are_absent(crawl, sites):
    stored = {r["url"] for r in query(crawl["db"], "select url from articles")}
    for outlet in sites.outlets:
        for page in expected(outlet).get("not_stored", []):
            assert page["url"] not in stored


def test_summary_printed(crawl, sites):
    out = crawl["result"].stdout
    for outlet in sites.outlets:
        assert outlet.name in out


def test_second_crawl_adds_no_rows(crawl):
    before = query(crawl["db"], "select url, content_sha256 from articles order by url")
    # --force: right after the first run no feed is due yet (see tests/crawler/test_incremental.py).
    result = run_arshif("crawl", "--sources", crawl["sources"], "--db", crawl["db"], "--force",
                        *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    after = query(crawl["db"], "select url, content_sha256 from articles order by url")
    assert after == before
    last = query(crawl["db"], "select * from crawl_runs where run = "
                "(select run from crawl_runs order by id desc limit 1)")
    assert {r["source"] for r in last} == {"dijla", "hamrin", "rafidain", "zagros"}
    # Known articles are not requested again: no new, updated or unchanged rows at all; every
    # source's feed or sitemap answered 304, and the URLs its pages list were skipped as known.
    assert all(r["new"] == 0 and r["updated"] == 0 and r["unchanged"] == 0 for r in last)
    assert all(r["not_modified"] >= 1 and r["status"] == "finished" for r in last)
    assert sum(r["skipped_known"] for r in last) > 0
    integrity = query(crawl["db"], "pragma integrity_check")
    assert integrity == [{"integrity_check": "ok"}]


@pytest.mark.asyncio
async def test_datasette_serves_and_searches_the_crawl(crawl):
    from archive.publish import build_datasette

    ds = build_datasette(crawl["db"])
    page = await ds.client.get("/arshif/articles")
    assert page.status_code == 200
    found = (await ds.client.get("/arshif/articles.json",
                                 params={"_search": "داعش", "_shape": "array"})).json()
    assert found, "the crawled archive has articles about داعش"
    assert all("داعش" in (r["text"] + r["title"]).replace("ـ", "") or "الدولة" in r["text"]
               for r in found)


def test_all_topics_keeps_every_arabic_article_tagged(sites, tmp_path):
    """--all-topics stores off-topic Arabic articles too, tagged with no topic."""
    sources = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "all.db"
    result = run_arshif("crawl", "--sources", sources, "--db", db, "--all-topics", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {r["url"]: r for r in query(db, "select url, topics, topic_matches from articles")}
    want = {a["url"]: a for o in sites.outlets for a in kept(o, all_topics=True)}
    assert set(stored) == set(want)
    for url, art in want.items():
        topics = json.loads(stored[url]["topics"])
        if art.get("on_topic", True):
            assert topics == ["isis-iraq"], url
            (match,) = json.loads(stored[url]["topic_matches"])
            assert match["topic"] == "isis-iraq" and match["terms"], url
        else:
            assert topics == [], url
    runs = query(db, "select dropped from crawl_runs")
    assert all("off_topic" not in json.loads(r["dropped"]) for r in runs)


@pytest.mark.asyncio
async def test_every_canned_query_and_table_page_answers(crawl):
    """Each canned query, table and view of the published archive renders (public mode)."""
    from archive.publish import build_datasette, load_metadata

    ds = build_datasette(crawl["db"])
    queries = load_metadata(crawl["db"])["databases"]["arshif"]["queries"]
    params = {"q": "داعش", "sort": "relevance", "scope": "all", "source": "rafidain", "runs": "1",
              "cluster_id": "1"}
    for name, canned in queries.items():
        args = {p: params[p] for p in canned.get("params", [])}
        response = await ds.client.get(f"/arshif/{name}.json", params=args)
        assert response.status_code == 200, (name, response.text[:300])
    search = (await ds.client.get("/arshif/search.json",
                                  params={"q": "الدوله الاسلاميه", "_shape": "array"})).json()
    assert search and all("<mark>" in r["snippet"] for r in search)
    tables = (await ds.client.get("/arshif.json")).json()
    names = [t["name"] for t in tables["tables"]] + [v["name"] for v in tables["views"]]
    for name in names:
        response = await ds.client.get(f"/arshif/{name}")
        assert response.status_code == 200, name


def test_source_setting_all_topics_keeps_that_outlets_off_topic_articles(sites, tmp_path):
    """`all_topics: true` on one source keeps its off-topic articles; others still drop them."""
    entries = [s | {"all_topics": True} if s["name"] == "dijla" else s for s in sites.sources()]
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), "utf-8")
    db = tmp_path / "src.db"
    result = run_arshif("crawl", "--sources", path, "--db", db, *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {r["url"] for r in query(db, "select url from articles")}
    for outlet in sites.outlets:
        everything = {a["url"] for a in kept(outlet, all_topics=True)}
        on_topic = {a["url"] for a in kept(outlet)}
        assert stored & everything == (everything if outlet.name == "dijla" else on_topic)
