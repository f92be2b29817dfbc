"""Place tags on a real crawl of the demo outlets, on an upgraded old archive, and in Datasette."""

from __future__ import annotations

import json
import time

import pytest

from archive.places import tag_places
from archive.publish import build_datasette, database_name
from archive.schema import connect
from tests.archive.test_migrations import old_archive
from tests.conftest import FAST, query, run_arshif

# URL path -> the places the article names, most named first (read from each article's text).
EXPECTED = {
    "/archives/21876/": ["كركوك", "الدبس", "الرشاد", "ديالى", "صلاح الدين"],
    "/2020/04/12/hamrin-attack-curfew/":
        ["ديالى", "حمرين", "صلاح الدين", "المقدادية", "جلولاء", "كركوك"],
    "/news/kirkuk-villages-threats-families-leave/": ["كركوك", "الرشاد", "أربيل", "بغداد"],
    "/news/peshmerga-iraqi-army-security-gaps-meeting/":
        ["أربيل", "كركوك", "مخمور", "خانقين", "ديالى"],
    "/2020/04/27/online-recruitment-lockdown/": ["كركوك", "الحويجة"],
    "/2020/05/18/salahuddin-cell-dismantled/":
        ["صلاح الدين", "توز خورماتو", "حمرين", "سليمان بيك", "مطيبيجة"],
    "/news/isis-pandemic-rhetoric-online-recruitment/": ["أربيل", "كركوك"],
    "/news/diyala-isis-regroups-curfew": ["ديالى", "بعقوبة", "حمرين", "صلاح الدين"],
    "/2024/02/diyala-villagers-return-after-clearance/": ["ديالى", "العظيم", "حمرين", "صلاح الدين"],
    "/2024/03/hamrin-operation-isis-hideouts/":
        ["حمرين", "ديالى", "المقدادية", "صلاح الدين", "كركوك", "مطيبيجة"],
    "/news/isis-propaganda-messaging-apps-study": ["بغداد"],
    "/news/hawija-power-towers-attack-foiled":
        ["الحويجة", "كركوك", "ديالى", "صلاح الدين", "وادي الشاي"],
    "/2023/11/salahuddin-tribal-fighters-isis-cells/":
        ["صلاح الدين", "توز خورماتو", "حمرين", "ديالى", "كركوك"],
}


@pytest.fixture(scope="module")
def crawl(sites, tmp_path_factory):
    """Crawl every demo outlet once into a fresh archive."""
    tmp = tmp_path_factory.mktemp("places")
    db = tmp / "arshif.db"
    result = run_arshif("crawl", "--sources", sites.write_sources(tmp / "sources.yaml"),
                        "--db", db, *FAST)
    assert result.returncode == 0, result.stderr[-4000:]
    return db


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_demo_articles_are_tagged_with_their_places(crawl):
    rows = query(crawl, "select id, url, published, places, places_governorates from articles")
    assert {_path(r["url"]): json.loads(r["places"]) for r in rows} == EXPECTED
    table = query(crawl, "select * from article_places")
    for row in rows:
        mine = [t for t in table if t["article_id"] == row["id"]]
        assert {t["place"] for t in mine} == set(json.loads(row["places"]))
        assert {t["governorate"] for t in mine} == set(json.loads(row["places_governorates"]))
        assert all(t["published"] == row["published"] and t["mentions"] >= 1 for t in mine)
    # "Where" over a date range is an index range on (place, published).
    plan = query(crawl, "explain query plan select article_id from article_places "
                        "where place = 'حمرين' and published >= '2020-01-01'")
    assert any("idx_article_places_place_published" in p["detail"] for p in plan)


def test_tagging_cost_per_article(crawl):
    texts = [(r["title"], r["description"], r["text"])
             for r in query(crawl, "select title, description, text from articles")]
    tag_places("warm up")
    start = time.perf_counter()
    for _ in range(20):
        for fields in texts:
            tag_places(*fields)
    per_article = (time.perf_counter() - start) / (20 * len(texts)) * 1000
    long_text = "\n\n".join(t[2] for t in texts) * 8  # ~ 20,000 words
    start = time.perf_counter()
    tag_places(long_text)
    long_ms = (time.perf_counter() - start) * 1000
    print(f"\nplaces: {per_article:.2f} ms/demo article, {long_ms:.1f} ms for "
          f"{len(long_text.split())} words")
    # Generous bounds (a shared 2-core machine): the point is "not a stage of its own".
    assert per_article < 10 and long_ms < 200


def test_old_archive_gets_its_places_by_migration(tmp_path):
    path = old_archive(tmp_path)
    db = connect(path)
    rows = {r["url"]: r for r in db.query("select id, url, places from articles")}
    assert json.loads(rows["https://shafaq.com/ar/1"]["places"]) == ["كركوك", "وادي الشاي"]
    assert json.loads(rows["https://shafaq.com/ar/2"]["places"]) == \
        ["ديالى", "كركوك", "وادي الشاي"]  # the title names ديالى too
    count = db.execute("select count(*) from article_places").fetchone()[0]
    db.close()
    again = connect(path)  # idempotent: applied once, the rows are not doubled
    assert again.execute("select count(*) from article_places").fetchone()[0] == count == 5
    again.close()


def test_resave_updates_the_place_rows(tmp_path):
    from archive.store import save_article

    db = connect(tmp_path / "a.db")
    db["sources"].insert({"name": "s"})
    art = {"url": "https://x.iq/1", "source": "s", "title": "هجوم في الموصل",
           "text": "هجوم في الموصل", "published": "2024-01-01"}
    assert save_article(db, art) == "new"
    moved = {"title": "هجوم في تكريت", "text": "هجوم في تكريت", "published": "2024-01-02"}
    assert save_article(db, {**art, **moved}) == \
        "updated"
    assert [tuple(r) for r in db.execute("select place, published from article_places "
                                         "order by place")] == \
        [("تكريت", "2024-01-02")]
    db.close()


@pytest.mark.asyncio
async def test_place_facets_in_datasette(crawl):
    ds = build_datasette(crawl)
    name = database_name(crawl)
    data = (await ds.client.get(f"/{name}/articles.json?_size=0")).json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # Datasette 0.65 / 1.0 shapes
    places = {v["value"]: v["count"] for v in facets["places"]["results"]}
    assert places["كركوك"] == sum("كركوك" in v for v in EXPECTED.values())
    govs = {v["value"]: v["count"] for v in facets["places_governorates"]["results"]}
    with_diyala = query(crawl, "select count(*) as n from articles, "
                               "json_each(places_governorates) where value = 'ديالى'")
    assert govs["ديالى"] == with_diyala[0]["n"] == 9
    picked = (await ds.client.get(
        f"/{name}/articles.json?_facet_array=places&places__arraycontains=حمرين&_size=0"
    )).json()
    assert picked["filtered_table_rows_count"] == sum("حمرين" in v for v in EXPECTED.values())
