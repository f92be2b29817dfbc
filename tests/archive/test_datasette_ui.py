"""The published archive reads right for Arabic journalists and is safe to serve in public."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources

ATOM = "{http://www.w3.org/2005/Atom}"
QUERY = "الدوله الاسلاميه"  # spelt without hamza, shadda or ta marbuta, unlike the texts
FILLER = "وقالت مصادر محلية إن الوضع في المنطقة هادئ نسبياً بعد انتهاء العملية. "
HOSTILE = {
    "url": "javascript:alert(1)", "source": "x", "title": "<script>alert(1)</script>",
    "text": "خبر عن الدولة الإسلامية <img src=x onerror=alert(1)> في الموصل.\n" + FILLER * 6,
    "published": "2024-05-09T08:00:00+03:00", "author": "<b>x</b>",
}
ARTICLES = [
    {  # oldest, but the query's words fill it: most relevant
        "url": "https://x.example/old", "source": "x", "author": "مراسل إكس",
        "title": "تنظيم الدولة الإسلامية يتبنى هجوم كركوك",
        "text": ("أعلن تنظيم الدَّولة الإسلامية مسؤوليته عن الهجوم على قرية قرب كركوك.\n"
                 "وقال بيان الدولة الإسلامية إن عناصره نفذوا الهجوم ليلاً.\n"
                 "وتنشط خلايا الدولة الإسلامية في المنطقة منذ 2017 حسب Reuters.\n" + FILLER * 4),
        "published": "2024-05-01T09:00:00+03:00",
    },
    {  # newest, mentions the query once in a long text
        "url": "https://x.example/new", "source": "x", "title": "الحشد يعلن تطهير وادي حمرين",
        "text": ("أعلن الحشد الشعبي تطهير وادي حمرين من بقايا عناصر الدولة الإسلامية.\n"
                 + FILLER * 12),
        "published": "2024-05-20T09:00:00+03:00",
    },
    {
        "url": "https://y.example/a", "source": "y", "title": "ارتفاع أسعار الطماطم في بغداد",
        "text": "شهدت أسواق بغداد ارتفاعاً في أسعار الطماطم.\n" + FILLER * 5,
        "published": "2024-06-02",
    },
    HOSTILE,
]


def make_archive(path, topics=False):
    """An archive of ARTICLES; with topics=True it also has topics and topic_matches."""
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس نيوز", "homepage": "https://x.example/"},
                      {"name": "y", "title": "واي", "homepage": "javascript:alert(2)"}])
    for article in ARTICLES:
        save_article(db, {**article, "fetched_at": "2024-06-03T10:00:00+00:00"})
    if topics:
        db.execute(
            "update articles set topics = ?, topic_matches = ? where url = ?",
            [json.dumps(["داعش"], ensure_ascii=False),
             json.dumps([{"topic": "داعش", "score": 3.5, "terms": ["الدولة الإسلامية", "<i>"]}],
                        ensure_ascii=False),
             "https://x.example/old"])
    db.close()
    return path


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return build_datasette(make_archive(tmp_path_factory.mktemp("ui") / "arshif.db"))


@pytest.fixture(scope="module")
def ds_topics(tmp_path_factory):
    return build_datasette(make_archive(tmp_path_factory.mktemp("topics") / "demo.db", True))


async def article_id(ds, url, db="arshif"):
    rows = (await ds.client.get(f"/{db}/articles.json",
                                params={"url": url, "_shape": "array"})).json()
    return rows[0]["id"]


async def get(ds, path, **params):
    response = await ds.client.get(path, params=params)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response.text


def assert_no_hostile_markup(html):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>x</b>" not in html
    assert not re.search(r"""href=["']?\s*javascript:""", html, re.I)


# --- RTL ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_rtl_css_targets_datasette_markup(ds):
    html = await get(ds, "/arshif/articles")
    assert '<table class="rows-and-columns">' in html  # the markup the CSS is written for
    assert "/arshif-static/arshif.css" in html
    css = await get(ds, "/arshif-static/arshif.css")
    rule = re.search(r"table\.rows-and-columns td,[^{]*\{([^}]*)\}", css)
    assert rule and "unicode-bidi: plaintext" in rule[1] and "text-align: start" in rule[1]
    assert re.search(r"\.article-text p \{[^}]*unicode-bidi: plaintext", css)


@pytest.mark.asyncio
async def test_facet_values_are_bidi_isolated(ds):
    html = await get(ds, "/arshif/articles")
    assert "<bdi>إكس نيوز</bdi></a> 3" in html


# --- article page ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_article_page_reads_like_an_article(ds):
    pk = await article_id(ds, "https://x.example/old")
    html = await get(ds, f"/arshif/articles/{pk}")
    assert "<title>تنظيم الدولة الإسلامية يتبنى هجوم كركوك · إكس نيوز</title>" in html
    assert '<article class="arshif-article" lang="ar" dir="rtl">' in html
    title = "تنظيم الدولة الإسلامية يتبنى هجوم كركوك"
    assert f'<h1 class="article-title" dir="auto">{title}</h1>' in html
    assert ">مراسل إكس<" in html and "2024-05-01T09:00:00+03:00" in html
    assert 'href="https://x.example/old" rel="noopener noreferrer nofollow"' in html
    # One <p> per line of text, in the RTL text block.
    block = html.split('<div class="article-text" dir="rtl">')[1].split("</div>")[0]
    paragraphs = re.findall(r'<p dir="auto">(.*?)</p>', block)
    assert len(paragraphs) == 4
    assert paragraphs[1] == "وقال بيان الدولة الإسلامية إن عناصره نفذوا الهجوم ليلاً."
    assert "حسب Reuters." in paragraphs[2]
    # Source and its other articles.
    assert 'href="/arshif/sources/x"' in html
    assert 'href="/arshif/articles?source=x&amp;_sort_desc=published"' in html
    new = await article_id(ds, "https://x.example/new")
    assert f'href="/arshif/articles/{new}"' in html
    assert "<summary>All fields · كل الحقول</summary>" in html  # Datasette's table, folded
    assert "المواضيع" not in html  # no topics on this archive's articles


@pytest.mark.asyncio
async def test_article_page_shows_topics_and_matched_terms(ds_topics):
    pk = await article_id(ds_topics, "https://x.example/old", db="demo")
    html = await get(ds_topics, f"/demo/articles/{pk}")
    assert "<h2>المواضيع</h2>" in html
    assert 'href="/demo/articles?topics__arraycontains=%D8%AF%D8%A7%D8%B9%D8%B4"' in html
    assert '<mark dir="auto">الدولة الإسلامية</mark>' in html
    assert '<mark dir="auto">&lt;i&gt;</mark>' in html
    assert "(3.5)" in html


@pytest.mark.asyncio
async def test_other_tables_keep_datasettes_row_page(ds):
    html = await get(ds, "/arshif/sources/x")
    assert "arshif-article" not in html and '<table class="rows-and-columns">' in html


@pytest.mark.asyncio
async def test_hostile_article_is_escaped_everywhere_and_not_linked(ds):
    pk = await article_id(ds, "javascript:alert(1)")
    page = await get(ds, f"/arshif/articles/{pk}")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · إكس نيوز</title>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<span dir="ltr" title="not an http(s) URL">javascript:alert(1)</span>' in page
    pages = [
        page,
        await get(ds, "/arshif/articles"),
        await get(ds, "/arshif/articles", _search="الموصل"),
        await get(ds, "/arshif/search", q="الموصل"),
        await get(ds, "/arshif/latest_from_source", source="x"),
        await get(ds, f"/arshif/articles/{await article_id(ds, 'https://x.example/new')}"),
        await get(ds, f"/arshif/articles/{await article_id(ds, 'https://y.example/a')}"),
    ]
    for html in pages:
        assert_no_hostile_markup(html)


# --- search and snippets --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_snippet_marks_words_spelt_differently(ds):
    rows = (await ds.client.get("/arshif/search.json", params={"q": QUERY, "_shape": "array"}))
    rows = rows.json()
    assert {r["title"] for r in rows} >= {"تنظيم الدولة الإسلامية يتبنى هجوم كركوك"}
    old = next(r for r in rows if r["title"].startswith("تنظيم"))
    assert "تنظيم <mark>الدَّولة</mark> <mark>الإسلامية</mark> مسؤوليته" in old["snippet"]
    html = await get(ds, "/arshif/search", q=QUERY)
    assert '<td class="col-snippet">' in html
    assert "<mark>الدَّولة</mark> <mark>الإسلامية</mark>" in html
    pk = await article_id(ds, "https://x.example/old")
    assert f'<a href="/arshif/articles/{pk}" dir="auto">تنظيم الدولة' in html


@pytest.mark.asyncio
async def test_search_newest_first_or_by_relevance(ds):
    async def titles(**params):
        rows = (await ds.client.get("/arshif/search.json",
                                    params={"q": QUERY, "_shape": "array", **params})).json()
        return [r["title"][:5] for r in rows]

    assert await titles() == ["الحشد", "<scri", "تنظيم"]
    assert (await titles(sort="relevance"))[0] == "تنظيم"


@pytest.mark.asyncio
async def test_empty_search_lists_the_latest_articles(ds):
    # Issue 14 (3): an empty query is not "0 rows where search matches ''".
    rows = (await ds.client.get("/arshif/search.json", params={"_shape": "array"})).json()
    latest = (await ds.client.get("/arshif/articles.json", params={"_shape": "array"})).json()
    assert rows and [r["id"] for r in rows] == [r["id"] for r in latest][:50]


@pytest.mark.asyncio
async def test_table_search_shows_snippets(ds):
    html = await get(ds, "/arshif/articles", _search="حمرين")
    cell = re.search(r'<td class="col-text type-str">(.*?)</td>', html, re.S)[1]
    assert "<mark>حمرين</mark>" in cell and len(cell) < 600
    plain = await get(ds, "/arshif/articles")
    assert "<mark>" not in plain


@pytest.mark.asyncio
async def test_only_snippet_shaped_html_is_trusted(tmp_path):
    ds = build_datasette(make_archive(tmp_path / "arshif.db"), allow_sql=True)

    async def cell(sql):
        html = await get(ds, "/arshif", sql=sql)
        return re.search(r'<td class="col-snippet">(.*?)</td>', html, re.S)[1]

    assert await cell("select 'a <mark>b</mark> &amp; c' as snippet") == "a <mark>b</mark> &amp; c"
    assert await cell("select '<b onclick=x>b</b>' as snippet") == (
        "&lt;b onclick=x&gt;b&lt;/b&gt;")
    assert await cell("select '<mark onclick=x>b</mark>' as snippet") == (
        "&lt;mark onclick=x&gt;b&lt;/mark&gt;")
    assert await cell("select '&#106;avascript' as snippet") == "&amp;#106;avascript"


# --- canned queries, feed -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_other_canned_queries(ds):
    rows = (await ds.client.get("/arshif/latest_from_source.json",
                                params={"source": "x", "_shape": "array"})).json()
    assert [r["published"][:10] for r in rows] == ["2024-05-20", "2024-05-09", "2024-05-01"]
    rows = (await ds.client.get("/arshif/articles_per_source_per_day.json",
                                params={"_shape": "array"})).json()
    assert rows[0] == {"day": "2024-06-02", "source": "y", "articles": 1}
    rows = (await ds.client.get("/arshif/articles_per_month.json",
                                params={"_shape": "array"})).json()
    assert {(r["month"], r["source"], r["articles"]) for r in rows} == {
        ("2024-06", "y", 1), ("2024-05", "x", 3)}


@pytest.mark.asyncio
async def test_atom_feed_of_a_saved_search(ds):
    response = await ds.client.get("/arshif/search_feed.atom", params={"q": QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == f"أرشيف: بحث محفوظ · Arshif saved search: «{QUERY}»"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title")[:5] for e in entries] == ["الحشد", "<scri", "تنظيم"]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0] == "https://x.example/new"
    assert re.fullmatch(r"http://localhost/arshif/articles/\d+", links[1])  # not javascript:
    content = entries[2].findtext(f"{ATOM}content")
    assert "<strong>الدَّولة</strong> <strong>الإسلامية</strong>" in content
    hostile = entries[1].findtext(f"{ATOM}content")
    assert "&lt;img src=x" in hostile and "<img" not in hostile
    assert all(e.findtext(f"{ATOM}updated") for e in entries)


@pytest.mark.asyncio
async def test_atom_feed_without_hits_is_valid(ds):
    response = await ds.client.get("/arshif/search_feed.atom", params={"q": "موسكو"})
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []


# --- facets ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_facets_source_day_topics(ds_topics):
    data = (await ds_topics.client.get("/demo/articles.json")).json()
    facets = data["facet_results"]
    assert {"source", "day", "topics"} <= set(facets)
    assert "month" in facets  # the stored month column (YYYY-MM, Baghdad time)
    assert [(v["value"], v["count"]) for v in facets["topics"]["results"]] == [("داعش", 1)]


@pytest.mark.asyncio
async def test_facets_survive_a_missing_column(tmp_path):
    path = make_archive(tmp_path / "arshif.db")
    db = connect(path)
    db["articles"].transform(drop={"topics"})
    db.close()
    ds = build_datasette(path)
    response = await ds.client.get("/arshif/articles.json")
    assert response.status_code == 200
    assert "topics" not in response.json()["facet_results"]


# --- public serving -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_public_runs_canned_queries_only(ds):
    for path, params in [("/arshif", {"sql": "select 1"}), ("/arshif.json", {"sql": "select 1"}),
                         ("/arshif/articles", {"_where": "1=1"})]:
        response = await ds.client.get(path, params=params)
        assert response.status_code == 403, path
    for name in ("search", "search_feed", "latest_from_source", "articles_per_source_per_day",
                 "articles_per_month"):
        assert (await ds.client.get(f"/arshif/{name}")).status_code == 200, name
    settings = (await ds.client.get("/-/settings.json")).json()
    assert settings["sql_time_limit_ms"] <= 5000 and settings["max_returned_rows"] <= 1000
    # Streaming CSV is on: the archive is public data, and HTML pages keep their row limits.
    assert settings["default_allow_sql"] is False and settings["allow_csv_stream"] is True
    assert (await ds.client.get("/-/databases.json")).json()[0]["is_mutable"] is False


@pytest.mark.asyncio
async def test_public_has_no_write_endpoints(ds):
    queries = (await ds.client.get("/arshif.json")).json()["queries"]
    assert queries and not any(q.get("write") for q in queries)
    response = await ds.client.post("/arshif/search", data={"q": "x"})
    assert response.status_code == 405
    assert (await ds.client.post("/-/logout")).status_code == 405


@pytest.mark.asyncio
async def test_allow_sql_opens_the_sql_editor(tmp_path):
    ds = build_datasette(make_archive(tmp_path / "arshif.db"), allow_sql=True)
    response = await ds.client.get("/arshif.json", params={"sql": "select 1 as one",
                                                            "_shape": "array"})
    assert response.json() == [{"one": 1}]
    assert (await ds.client.get("/-/databases.json")).json()[0]["is_mutable"] is False


@pytest.mark.asyncio
async def test_robots_txt_default_and_configured(ds, tmp_path):
    text = await get(ds, "/robots.txt")
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    for rule in ("Disallow: /*?", "Disallow: /arshif/search", "Disallow: /*.json",
                 "Disallow: /*.db"):
        assert rule in lines
    custom = build_datasette(make_archive(tmp_path / "arshif.db"),
                             robots_txt="User-agent: *\nDisallow: /\n")
    assert await get(custom, "/robots.txt") == "User-agent: *\nDisallow: /\n"
