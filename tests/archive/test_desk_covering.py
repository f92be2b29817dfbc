"""The desk's covering index: same answers with and without it, and used where it exists."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from archive.desk.params import parse_params
from archive.desk.sql import COVERING_INDEX, DeskSQL, Layout, read_layout
from archive.publish import build_datasette
from archive.search import register_functions
from tests.archive.desk_archive import crawled_archive

YEAR = {"from": ["2020-01-01"], "to": ["2020-12-31"]}
CASES = [  # desk parameters: searches, ranges, outlets, topic and place filters, no query
    {"q": ["داعش"]}, {"q": ["داعش"], **YEAR}, {"q": ["النفط"], "source": ["rafidain"]},
    {"q": ["الدوله"], "from": ["2020-04-01"]}, {"q": ["كركوك"], "place": ["كركوك"]},
    {"q": ["داعش"], "topic": ["isis-iraq"]}, {"place": ["كركوك"], **YEAR},
    {"topic": ["isis-iraq"]}, {},
]


@pytest.fixture(scope="module")
def archives(sites, tmp_path_factory) -> tuple[Path, Path]:
    """The crawled archive (with the index, as connect makes it) and a copy without it."""
    root = tmp_path_factory.mktemp("covering")
    archive = crawled_archive(sites, root / "crawl")
    old = root / "old" / "arshif.db"
    old.parent.mkdir()
    shutil.copy(archive, old)
    conn = sqlite3.connect(old)
    conn.execute(f"drop index {COVERING_INDEX}")
    conn.close()
    return archive, old


def open_ro(path: Path, immutable: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?{'immutable=1' if immutable else 'mode=ro'}", uri=True)
    register_functions(conn)
    return conn


def answers(conn: sqlite3.Connection, args: dict) -> dict[str, list]:
    """Every desk query's rows for one set of parameters."""
    layout = read_layout(conn)
    sql = DeskSQL(parse_params(args), layout)
    queries = {"newest": sql.results(), "relevance": sql.results(sort="relevance"),
               "per_day": sql.per_day(), "terms": sql.top_terms(),
               "places": sql.top_places(), "export": sql.export_batch(None, 1000)}
    out = {}
    for name, query in queries.items():
        rows = conn.execute(*query).fetchall()
        # Group order is not promised by SQL: per-day counts compare as sets.
        out[name] = sorted(rows) if name == "per_day" else rows
    return out


def plan(conn: sqlite3.Connection, query: tuple[str, dict]) -> str:
    return " | ".join(r[3] for r in conn.execute("explain query plan " + query[0], query[1]))


def test_layout_sees_the_index_only_where_it_is(archives):
    new, old = archives
    assert read_layout(open_ro(new)) == Layout(read_layout(open_ro(new)).places, covering=True)
    assert not read_layout(open_ro(old)).covering
    assert read_layout(open_ro(old)).places.table  # the rest of the layout is unchanged


@pytest.mark.parametrize("args", CASES)
def test_same_answers_with_and_without_the_index(archives, args):
    new, old = archives
    with_index, without = answers(open_ro(new), args), answers(open_ro(old, immutable=True), args)
    assert with_index == without
    if args.get("q") == ["داعش"] and len(args) == 1:
        assert with_index["per_day"] and with_index["places"] and with_index["newest"]


def test_counts_read_the_covering_index_when_it_exists(archives):
    new, old = archives
    conn, plain = open_ro(new), open_ro(old, immutable=True)
    year = DeskSQL(parse_params({"q": ["داعش"], **YEAR}), read_layout(conn))
    whole = DeskSQL(parse_params({"q": ["داعش"]}), read_layout(conn))
    for query in (year.per_day(), whole.per_day(), year.top_places()):
        assert f"USING COVERING INDEX {COVERING_INDEX}" in plan(conn, query), plan(conn, query)
    # Rows need the table: results, export and terms are left to the planner.
    for query in (year.results(), year.export_batch(None, 10), year.top_terms()):
        assert "indexed by" not in query[0]
    # A topic filter reads the row anyway: no index hint.
    topic = DeskSQL(parse_params({"q": ["داعش"], "topic": ["isis-iraq"]}), read_layout(conn))
    assert "indexed by" not in topic.per_day()[0]
    # An archive without the index: no hint, the plain join.
    old_sql = DeskSQL(parse_params({"q": ["داعش"]}), read_layout(plain))
    assert "indexed by" not in old_sql.per_day()[0]
    assert "USING INDEX idx_articles_search_key" in plan(plain, old_sql.per_day())


@pytest.mark.asyncio
async def test_desk_page_and_export_are_the_same_without_the_index(archives):
    new, old = archives
    pages = []
    for path in (new, old):
        ds = build_datasette(path)
        page = await ds.client.get("/arshif/-/desk", params={"q": "داعش", "panels": "1"})
        csv = await ds.client.get("/arshif/-/desk.csv", params={"q": "داعش"})
        assert page.status_code == 200 and csv.status_code == 200
        body = page.text.split('id="outlets-table"', 1)[1].split("</table>", 1)[0]
        pages.append((body, csv.text))
    assert pages[0] == pages[1] and pages[0][0].count("<tr") > 1
