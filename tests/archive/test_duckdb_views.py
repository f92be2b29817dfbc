"""DuckDB reads every table and view of a crawled archive (standard quoting, portable SQL)."""

from __future__ import annotations

import importlib.resources
import sqlite3
from pathlib import Path

import duckdb
import pytest

from archive.schema import VIEWS, connect
from crawler.demo.server import SiteServer
from tests.conftest import FAST, run_arshif
from tests.sitegen import make_site


def duck(path: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB with the archive attached, the sqlite extension loaded from its PyPI package."""
    ext = (importlib.resources.files("duckdb_extension_sqlite_scanner") / "extensions"
           / f"v{duckdb.__version__}" / "sqlite_scanner.duckdb_extension")
    assert ext.is_file(), f"no sqlite extension for DuckDB {duckdb.__version__}: pin both equal"
    conn = duckdb.connect()
    conn.execute(f"LOAD '{ext}'")
    conn.execute(f"ATTACH '{path}' AS a (TYPE sqlite, READ_ONLY)")
    return conn


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("duck")
    make_site(tmp / "site", 5)
    db = tmp / "arshif.db"
    with SiteServer(tmp / "site") as site:
        sources = site.write_sources(tmp / "sources.yaml")
        result = run_arshif("crawl", "--sources", sources, "--db", db, "--all-topics", *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


def test_duckdb_reads_every_view_with_sqlites_rows(crawled):
    conn = duck(crawled)
    views = {r[0] for r in conn.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'a' and table_type = 'VIEW'").fetchall()}
    assert views == set(VIEWS)
    lite = sqlite3.connect(crawled)
    for name in sorted(VIEWS):
        got = conn.execute(f'select count(*) from a."{name}"').fetchone()[0]
        want = lite.execute(f'select count(*) from "{name}"').fetchone()[0]
        assert got == want, name
    # View columns have no declared type: DuckDB reads them as VARCHAR, so cast to add them up.
    assert conn.execute(
        'select sum(cast(articles as integer)) from a."source_health"').fetchone()[0] == 5
    assert conn.execute('select count(*) from a."articles"').fetchone()[0] == 5


def test_old_bracketed_views_are_rewritten_on_open(tmp_path):
    path = tmp_path / "old.db"
    connect(path).close()
    lite = sqlite3.connect(path)
    for name, sql in VIEWS.items():  # as archives made before this change stored them
        lite.execute(f'drop view "{name}"')
        lite.execute(f"CREATE VIEW [{name}] as {sql}")
    lite.commit()
    lite.close()
    with pytest.raises(duckdb.Error):
        duck(path).execute("select count(*) from a.source_health").fetchall()
    connect(path).close()
    lite = sqlite3.connect(path)
    sqls = [r[0] for r in lite.execute("select sql from sqlite_master where type = 'view'")]
    assert len(sqls) == len(VIEWS) and not any("[" in s.split(" AS ")[0] for s in sqls)
    assert duck(path).execute('select count(*) from a."source_health"').fetchone()[0] == 0
