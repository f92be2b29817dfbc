"""The journalist's desk through Datasette's own client, on a real crawl of the demo outlets."""

import csv
import io
import json
from collections import Counter
from urllib.parse import urlencode

import lxml.html
import pytest

from archive.arabic_dates import arabic_date
from archive.publish import build_datasette
from tests.archive.desk_archive import crawled_archive, matching_ids, without_places
from tests.conftest import query

VARIANT = "الدوله"  # the texts spell it الدولة (ta marbuta)
DESK = "/arshif/-/desk"


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory):
    return crawled_archive(sites, tmp_path_factory.mktemp("desk"))


@pytest.fixture(scope="module")
def ds(archive):
    return build_datasette(archive)


async def page(ds, path=DESK, **params):
    # Inline panels (?panels=1): one response holds everything the page shows with JavaScript.
    if path == DESK:
        params.setdefault("panels", "1")
    response = await ds.client.get(path, params=params)
    assert response.status_code == 200, response.text[:500]
    return response, lxml.html.fromstring(response.text)


def result_ids(doc) -> list[int]:
    return [int(li.get("data-id")) for li in doc.cssselect("li.result")]


def messages(doc, kind: str) -> list[str]:
    return [p.text_content() for p in doc.cssselect(f"p.msg.{kind}")]


@pytest.mark.asyncio
async def test_home_opens_the_arabic_desk_and_datasette_stays_reachable(ds):
    home = await ds.client.get("/")
    assert home.status_code == 302 and home.headers["location"] == DESK
    response, doc = await page(ds)
    html = doc.getroottree().getroot()
    assert (html.get("lang"), html.get("dir")) == ("ar", "rtl")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert not [s for s in doc.cssselect("script") if s.get("src") is None
                and s.get("type") != "application/json"]  # no inline script
    srcs = [s.get("src") for s in doc.cssselect("script[src]")]
    assert all(s.startswith("/arshif-static/") for s in srcs), srcs
    for src in srcs:
        assert (await ds.client.get(src)).status_code == 200
    links = {a.get("href") for a in doc.cssselect("header nav a")}
    assert {"/arshif", "/arshif/articles", "/-/index"} <= links
    assert (await ds.client.get("/-/index")).status_code == 200
    # Empty query: the latest articles, newest first.
    assert result_ids(doc) == matching_ids(ds_db(ds))
    # Without dates the counts and charts cover the archive's last year, and say so.
    last_year = matching_ids(ds_db(ds), "", "a.day > date((select max(day) from articles), "
                             "'-365 days')")
    assert doc.cssselect("#total strong")[0].text == str(len(last_year))
    assert 0 < len(last_year) < len(matching_ids(ds_db(ds))) and doc.cssselect("#window-note")


def ds_db(ds):
    return ds.get_database("arshif").path


@pytest.mark.asyncio
async def test_spelling_variant_finds_the_archives_matches_with_dates_and_links(ds, archive):
    _, doc = await page(ds, q=VARIANT)
    expected = matching_ids(archive, VARIANT)
    assert expected and result_ids(doc) == expected
    first = doc.cssselect("li.result")[0]
    row = query(archive, "select * from articles where id = ?", [expected[0]])[0]
    assert first.cssselect("time")[0].get("datetime") == row["published"]
    assert first.cssselect("time")[0].text == arabic_date(row["published"])
    assert first.cssselect("a.original")[0].get("href") == row["url"]
    assert first.cssselect(".title a")[0].get("href") == f"/arshif/articles/{row['id']}"
    assert "الدولة" in [m.text for m in doc.cssselect("li.result mark")]
    assert doc.cssselect("#feed")[0].get("href") == "/arshif/search_feed.atom?" + urlencode(
        {"q": VARIANT})
    # By relevance: the same set, another order allowed.
    _, ranked = await page(ds, q=VARIANT, sort="relevance")
    assert sorted(result_ids(ranked)) == sorted(expected)


@pytest.mark.asyncio
async def test_filters_date_range_outlets_topic(ds, archive):
    _, doc = await page(ds, q="داعش", **{"from": "2020-04-01", "to": "2020-05-15"},
                        source=["rafidain", "zagros"])
    expected = matching_ids(archive, "داعش", "a.day between ? and ? and a.source in (?, ?)",
                            ("2020-04-01", "2020-05-15", "rafidain", "zagros"))
    assert expected and result_ids(doc) == expected
    everything = matching_ids(archive, "داعش")
    assert set(expected) < set(everything)
    _, topic = await page(ds, topic="isis-iraq")
    on_topic = [r["id"] for r in query(
        archive, "select id from articles where topics like '%isis-iraq%' "
                 "order by search_key desc")]
    assert result_ids(topic) == on_topic and len(on_topic) < len(matching_ids(archive))


@pytest.mark.asyncio
async def test_attention_and_outlets_match_sql(ds, archive):
    _, doc = await page(ds, q="داعش", **{"from": "2020-04-01", "to": "2020-06-30"})
    counts = {r["day"]: r["n"] for r in query(
        archive, "select a.day, count(*) as n from articles a where a.id in "
                 f"({','.join(map(str, matching_ids(archive, 'داعش')))}) "
                 "and a.day between '2020-04-01' and '2020-06-30' group by a.day")}
    totals = {r["day"]: r["n"] for r in query(
        archive, "select day, count(*) as n from articles group by day")}
    rows = doc.cssselect("#attention-table tbody tr")
    assert len(rows) == 91  # one row per day of the range, zeros included
    for tr in rows:
        day = tr.get("data-bucket")
        assert int(tr.cssselect("td.n")[0].text) == counts.get(day, 0), day
        assert int(tr.cssselect("td.total")[0].text) == totals.get(day, 0), day
    spec = json.loads(doc.cssselect("script.vl-spec[data-target=chart-attention-n]")[0].text)
    assert sum(p["n"] for p in spec["data"]["values"]) == sum(counts.values())
    by_outlet = Counter(r["source"] for r in query(
        archive, "select source from articles where id in "
                 f"({','.join(map(str, matching_ids(archive, 'داعش')))}) "
                 "and day between '2020-04-01' and '2020-06-30'"))
    shown = {tr.get("data-source"): int(tr.cssselect("td.n")[0].text)
             for tr in doc.cssselect("#outlets-table tbody tr")}
    assert shown == dict(by_outlet)
    terms = [tr.cssselect("th")[0].text for tr in doc.cssselect("#terms-table tbody tr")]
    assert "داعش" in terms
    # Compare queries, and a split by outlet.
    _, cmp = await page(ds, q="داعش", q2="كركوك", q3="النفط",
                        **{"from": "2020-04-01", "to": "2020-06-30"})
    heads = [th.text_content() for th in cmp.cssselect("#attention-table thead th")]
    assert any("كركوك" in h for h in heads) and any("النفط" in h for h in heads)
    _, split = await page(ds, q="داعش", split="outlet", **{"from": "2020-04-01",
                                                           "to": "2020-06-30"})
    heads = " ".join(th.text_content() for th in split.cssselect("#attention-table thead th"))
    assert all(s in heads for s in by_outlet)


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.asyncio
async def test_exports_hold_every_match_streamed_in_batches(ds, archive, monkeypatch):
    monkeypatch.setattr("archive.datasette.desk_stream.BATCH", 2)  # several reads per export
    expected = matching_ids(archive, "داعش")
    _, doc = await page(ds, q="داعش")
    href = doc.cssselect("#export-csv")[0].get("href")
    response = await ds.client.get(href)
    assert response.status_code == 200
    assert "filename*=UTF-8''arshif-%D8%AF%D8%A7%D8%B9%D8%B4-" in response.headers[
        "content-disposition"]
    rows = read_csv(response.text)
    assert [int(r["id"]) for r in rows] == expected
    assert list(rows[0]) == ["id", "url", "outlet", "title", "published", "topics", "places",
                             "word_count", "article_page"]
    assert rows[0]["article_page"].endswith(f"/arshif/articles/{expected[0]}")
    bom = await ds.client.get(doc.cssselect("#export-csv-bom")[0].get("href"))
    assert bom.content.startswith(b"\xef\xbb\xbf")
    assert [int(r["id"]) for r in read_csv(bom.content.decode("utf-8-sig"))] == expected
    data = (await ds.client.get(doc.cssselect("#export-json")[0].get("href"))).json()
    assert [r["id"] for r in data] == expected and data[0]["topics"] == ["isis-iraq"]
    everything = read_csv((await ds.client.get("/arshif/-/desk.csv")).text)
    assert len(everything) == len(matching_ids(archive))


@pytest.mark.asyncio
@pytest.mark.parametrize("params, kind, words", [
    ({"q": "داعش " * 400}, "error", "طويل جداً"),
    ({"q": "*"}, "error", "لا يحوي كلمة"),
    ({"q": "( - )"}, "error", "لا يحوي كلمة"),
    ({"q": "Daesh Kirkuk"}, "notice", "الأرشيف عربي"),
    ({"q": '"تنظيم الدوله'}, "notice", "علامة اقتباس غير مغلقة"),
    ({"q": "داعش", "from": "2024-01-01", "to": "2020-01-01"}, "error", "بعد تاريخ النهاية"),
    ({"q": "داعش", "from": "2020-13-45"}, "error", "غير مفهوم"),
    ({"source": ["nosuch"]}, "notice", "غير موجودة"),
])
async def test_bad_input_gets_a_clear_message_on_the_page(ds, params, kind, words):
    _, doc = await page(ds, **params)
    found = messages(doc, kind)
    assert any(words in m for m in found), found
    assert "Error" not in doc.text_content()
    if kind == "error":
        assert not doc.cssselect("li.result")
        csv_response = await ds.client.get("/arshif/-/desk.csv", params=params)
        assert csv_response.status_code == 400 and words in csv_response.text


@pytest.mark.asyncio
async def test_unknown_database_is_an_arabic_404(ds):
    response = await ds.client.get("/nosuch/-/desk")
    assert response.status_code == 404 and "لا أرشيف" in response.text


@pytest.mark.asyncio
async def test_places_panel_and_filter_read_article_places(ds, archive, tmp_path):
    (tmp_path / "old").mkdir()
    untagged = build_datasette(without_places(archive, tmp_path / "old" / "arshif.db"))
    _, doc = await page(untagged, q="داعش")
    assert doc.cssselect("#places-missing")  # an archive without tags: a note, no error
    # The crawl tagged places (archive/places.py): the panel counts what article_places holds.
    _, doc = await page(ds, q="داعش", **{"from": "2020-01-01", "to": "2024-12-31"})
    rows = {tr.cssselect("th")[0].text_content(): int(tr.cssselect("td.n")[0].text)
            for tr in doc.cssselect("#places-table tbody tr")}
    kirkuk = matching_ids(archive, "داعش", "a.id in (select article_id from "
                          "article_places where place = 'كركوك')")
    assert rows["كركوك"] == len(kirkuk) > 0
    # Over time: the top governorates per bucket, each a count of matching articles naming it.
    table = doc.cssselect("#places-time-table")[0]
    shown = [th.get("data-place") for th in table.cssselect("thead th[data-place]")]
    assert shown and "كركوك" in shown
    per_month = Counter()
    for r in query(archive, "select distinct a.id, substr(a.day, 1, 7) as month from articles a "
                            "join article_places p on p.article_id = a.id where "
                            "coalesce(p.governorate, p.place) = 'كركوك' and a.day between "
                            "'2020-01-01' and '2024-12-31' and a.id in "
                            f"({','.join(map(str, matching_ids(archive, 'داعش')))})"):
        per_month[r["month"]] += 1
    cells = {tr.get("data-bucket")[:7]:
             int(tr.cssselect('td[data-place="كركوك"] span.n')[0].text)
             for tr in table.cssselect("tbody tr")}
    assert {m: n for m, n in cells.items() if n} == dict(per_month) and per_month
    spec = json.loads(doc.cssselect("script.vl-spec[data-target=chart-places-time]")[0].text)
    assert {v["series"] for v in spec["data"]["values"]} == set(shown)
    _, filtered = await page(ds, q="داعش", place="كركوك")
    assert result_ids(filtered) == kirkuk
    assert all("كركوك" in li.cssselect(".tags")[0].text_content()
               for li in filtered.cssselect("li.result"))


def test_arabic_dates():
    assert arabic_date("2020-04-23T09:10:00+03:00") == "الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد"
    assert arabic_date("2020-04-23T06:10:00+00:00") == "الخميس 23 نيسان 2020، 09:10 بتوقيت بغداد"
    assert arabic_date("2020-12-31") == "الخميس 31 كانون الأول 2020"
    assert arabic_date("") == "" and arabic_date("soon") == "soon"


@pytest.mark.asyncio
async def test_results_come_first_and_the_panels_from_their_own_request(ds, archive):
    state = {"q": "داعش", "from": "2020-01-01", "to": "2020-12-31"}
    response = await ds.client.get(DESK, params=state)
    doc = lxml.html.fromstring(response.text)
    assert result_ids(doc) == matching_ids(archive, "داعش", "a.day between ? and ?",
                                           ("2020-01-01", "2020-12-31"))
    # No aggregate in the page: a placeholder that names where the panels are.
    assert not doc.cssselect("#attention-table") and not doc.cssselect("#total-slot strong")
    box = doc.cssselect("#panels")[0]
    assert box.get("aria-busy") == "true" and "panels=1" in doc.cssselect(
        "#panels-loading a")[0].get("href")
    fragment = await ds.client.get(box.get("data-src"))
    assert fragment.status_code == 200
    assert "script-src 'self'" in fragment.headers["content-security-policy"]
    part = lxml.html.fragment_fromstring(fragment.text, create_parent="div")
    _, inline = await page(ds, **state)

    def table(root, css):
        return [tr.text_content().split() for tr in root.cssselect(css + " tbody tr")]

    for css in ("#attention-table", "#outlets-table", "#terms-table", "#places-table",
                "#places-time-table"):
        assert table(part, css) == table(inline, css) != [], css
    total = part.cssselect("#panels-total strong")[0].text
    assert total == inline.cssselect("#total-slot strong")[0].text == str(
        len(matching_ids(archive, "داعش", "a.day between ? and ?", ("2020-01-01", "2020-12-31"))))
    # Bad input: the fragment says why, as the page does.
    bad = await ds.client.get(DESK + "/panels", params={"from": "2021-01-01", "to": "2020-01-01"})
    assert bad.status_code == 200 and 'class="msg error"' in bad.text
