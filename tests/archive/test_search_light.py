"""A searched table page skips counting and faceting every match unless asked (issue 14, speed).

At 1,000,000 articles Datasette's count and facets over all matches cost a second a page
(bench/README.md); the rows themselves are an index walk. The page links to both instead.
"""

import html as htmllib
import re

import pytest
from datasette.tracer import capture_traces

from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources

KIRKUK = 7  # articles naming كركوك
OTHER = 5


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("light") / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": s, "title": s, "homepage": f"https://{s}.example/"}
                      for s in ("x", "y")])
    for i in range(KIRKUK + OTHER):
        words = "هجوم في أطراف كركوك" if i < KIRKUK else "أسعار الطماطم في بغداد"
        save_article(db, {"url": f"https://x.example/{i}", "source": "x" if i % 2 else "y",
                          "title": f"{words} {i}", "text": f"{words}، الخبر رقم {i}.",
                          "published": f"2024-05-{i + 1:02d}T09:00:00+03:00"})
    db.close()
    return path


@pytest.fixture(scope="module")
def ds(archive):
    return build_datasette(archive)


@pytest.mark.asyncio
async def test_searched_table_json_skips_count_and_withfacets(ds):
    data = (await ds.client.get("/arshif/articles.json", params={"_search": "كركوك"})).json()
    assert len(data["rows"]) == KIRKUK  # the rows are all there
    assert data["filtered_table_rows_count"] is None
    assert data["facet_results"] == {}


@pytest.mark.asyncio
async def test_count_and_withfacets_come_back_when_asked(ds):
    counted = (await ds.client.get("/arshif/articles.json",
                                   params={"_search": "كركوك", "_count": "1"})).json()
    assert counted["filtered_table_rows_count"] == KIRKUK
    assert counted["facet_results"] == {}
    faceted = (await ds.client.get("/arshif/articles.json",
                                   params={"_search": "كركوك", "_withfacets": "1"})).json()
    assert faceted["filtered_table_rows_count"] is None
    sources = {r["value"]: r["count"] for r in faceted["facet_results"]["source"]["results"]}
    assert sources == {"x": 3, "y": 4}  # articles 0..6: odd ones are x
    one = (await ds.client.get("/arshif/articles.json",
                               params={"_search": "كركوك", "_facet": "source"})).json()
    assert "source" in one["facet_results"]  # asking for one facet is asking for facets


@pytest.mark.asyncio
async def test_unsearched_table_still_counts(ds):
    data = (await ds.client.get("/arshif/articles.json")).json()
    assert data["filtered_table_rows_count"] == KIRKUK + OTHER
    assert "source" in data["facet_results"]


@pytest.mark.asyncio
async def test_no_count_query_runs_for_a_searched_page(ds):
    def counts(traces):  # Datasette's count: `select count(*) from articles where … articles_fts`
        return [t["sql"] for t in traces if t.get("type") == "sql"
                and "count(*)" in t["sql"].lower() and "articles_fts" in t["sql"]]

    traces: list[dict] = []
    with capture_traces(traces):
        response = await ds.client.get("/arshif/articles", params={"_search": "كركوك"})
    assert response.status_code == 200
    assert [t for t in traces if "articles_fts" in t.get("sql", "")], traces  # search traced
    assert counts(traces) == []
    traces.clear()
    with capture_traces(traces):
        await ds.client.get("/arshif/articles", params={"_search": "كركوك", "_count": "1"})
    assert len(counts(traces)) == 1


@pytest.mark.asyncio
async def test_html_page_links_bring_count_and_withfacets_back(ds):
    page = (await ds.client.get("/arshif/articles", params={"_search": "كركوك"})).text
    assert not re.search(r"<h3>\s*7 rows", page)
    assert 'class="facet-info' not in page
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', page))
    by_label = {label: htmllib.unescape(href) for href, label in links.items()}
    count_url = by_label["عُدّ كل النتائج · count all matches"]
    facets_url = by_label["أظهر التصنيفات · show facets"]
    assert "_count=1" in count_url and "_nocount" not in count_url
    assert "_withfacets=1" in facets_url and "_nofacet" not in facets_url
    counted = (await ds.client.get(count_url)).text
    assert re.search(r"<h3>\s*7 rows", counted)
    assert "count all matches" not in counted and "show facets" in counted
    faceted = (await ds.client.get(facets_url)).text
    assert 'class="facet-info' in faceted and "show facets" not in faceted
