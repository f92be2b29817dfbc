"""Datasette serves the archive with Arshif's metadata, Arabic search and public limits."""

import pytest

from archive.publish import build_datasette, database_name
from archive.schema import connect
from archive.store import save_article, save_sources

BODY = "تواصل القوات الأمنية عمليات التفتيش بحثاً عن بقايا الخلايا النائمة في المنطقة. " * 8
ARTICLES = [
    ("https://x.example/1", "هجوم لداعش على قرية في أطراف كركوك",
     "شنّ مسلحو تنظيم داعش هجوماً على قرية في أطراف كركوك. " + BODY, "2024-05-10T09:00:00+03:00"),
    ("https://x.example/2", "الحشد يعلن تطهير وادي حمرين",
     "أعلن الحشد الشعبي تطهير وادي حمرين في ديالى من عناصر التنظيم. " + BODY,
     "2024-05-12T09:00:00+03:00"),
    ("https://x.example/3", "ارتفاع أسعار الطماطم في أسواق بغداد",
     "شهدت أسواق بغداد ارتفاعاً في أسعار الطماطم بسبب قلة المعروض. " * 10,
     "2024-05-11T09:00:00+03:00"),
]


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("pub") / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    for url, title, text, published in ARTICLES:
        save_article(db, {"url": url, "source": "x", "title": title, "text": text,
                          "published": published, "fetched_at": "2024-05-12T10:00:00+00:00"})
    db.close()
    return path


@pytest.fixture(scope="module")
def ds(archive_path):
    return build_datasette(archive_path)


def test_database_name_is_file_stem(archive_path):
    assert database_name("data/arshif.db") == "arshif"
    assert database_name(archive_path) == "arshif"


@pytest.mark.asyncio
async def test_articles_page_has_metadata_and_rtl_css(ds):
    response = await ds.client.get("/arshif/articles")
    assert response.status_code == 200
    html = response.text
    assert "/arshif-static/arshif.css" in html
    assert "One row per article" in html
    css = await ds.client.get("/arshif-static/arshif.css")
    assert css.status_code == 200 and "unicode-bidi: plaintext" in css.text


@pytest.mark.asyncio
async def test_newest_first_by_default(ds):
    data = (await ds.client.get("/arshif/articles.json?_shape=array")).json()
    assert [r["url"] for r in data] == ["https://x.example/2", "https://x.example/3",
                                        "https://x.example/1"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("داعش", {"https://x.example/1"}),  # the text has "لداعش" in the title, "داعش" in text
        ("كركوك", {"https://x.example/1"}),
        ("حمرين", {"https://x.example/2"}),
        ("الطماطم", {"https://x.example/3"}),
        ("بالخلايا", {"https://x.example/1", "https://x.example/2"}),
        ('"الخلايا النائمة"', {"https://x.example/1", "https://x.example/2"}),
        ("كركوك حمرين", set()),
        ("موسكو", set()),
    ],
)
async def test_search_json(ds, query, expected):
    response = await ds.client.get("/arshif/articles.json", params={"_search": query,
                                                                    "_shape": "array"})
    assert response.status_code == 200, response.text
    assert {r["url"] for r in response.json()} == expected


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ['"', "داعش OR", "NEAR(", "title:داعش", "(((", "-", "*", "^"])
async def test_fts_syntax_never_errors(ds, query):
    response = await ds.client.get("/arshif/articles", params={"_search": query})
    assert response.status_code == 200


@pytest.mark.asyncio
async def test_public_mode_is_immutable_and_refuses_sql(ds):
    response = await ds.client.get("/arshif.json", params={"sql": "select 1"})
    assert response.status_code == 403
    dbs = (await ds.client.get("/-/databases.json")).json()
    assert dbs[0]["is_mutable"] is False
    download = await ds.client.get("/arshif.db")
    assert download.status_code == 200
