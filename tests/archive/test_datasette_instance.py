"""ArshifDatasette remembers anonymous permission answers (immutable only) and precompiles."""

import pytest
from datasette.app import Datasette
from datasette.tracer import capture_traces

from archive.datasette.instance import ArshifDatasette
from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance") / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "x", "homepage": "https://x.example/"}])
    for i in range(3):
        save_article(db, {"url": f"https://x.example/{i}", "source": "x",
                          "title": f"هجوم في كركوك {i}", "text": f"الخبر رقم {i}.",
                          "published": f"2024-05-{i + 1:02d}T09:00:00+03:00"})
    db.close()
    return path


def checks(ds) -> int:
    return len(ds._permission_checks)


@pytest.mark.asyncio
async def test_public_archive_answers_anonymous_permissions_once(archive):
    ds = build_datasette(archive)
    assert isinstance(ds, ArshifDatasette)
    first = await ds.client.get("/arshif/articles/1")
    before = checks(ds)
    again = await ds.client.get("/arshif/articles/1")
    assert first.status_code == again.status_code == 200
    assert checks(ds) == before  # every answer was remembered
    assert first.text == again.text


@pytest.mark.asyncio
async def test_remembered_answers_are_datasettes_own(archive):
    ds = build_datasette(archive)
    await ds.invoke_startup()
    cases = [("view-instance", None, None), ("view-database", "arshif", None),
             ("view-table", ("arshif", "articles"), None), ("view-table", ["arshif", "x"], None),
             ("view-query", ("arshif", "search"), None), ("execute-sql", "arshif", True),
             ("debug-menu", None, False), ("permissions-debug", None, False)]
    for action, resource, default in cases:
        own = await Datasette.permission_allowed(ds, None, action, resource, default)
        assert await ds.permission_allowed(None, action, resource, default) == own
        assert await ds.permission_allowed(None, action, resource, default) == own
    root = {"id": "root"}  # a signed-in actor is never remembered
    assert await ds.permission_allowed(root, "permissions-debug", None, False) is True


@pytest.mark.asyncio
async def test_live_archive_checks_every_request(archive):
    ds = build_datasette(archive, public=False)  # read-only but not immutable
    await ds.client.get("/arshif/articles/1")
    before = checks(ds)
    await ds.client.get("/arshif/articles/1")
    assert checks(ds) > before


@pytest.mark.asyncio
async def test_a_table_denied_to_visitors_stays_denied_and_open_to_its_actor(archive):
    meta = {"databases": {"arshif": {"tables": {"sources": {"allow": {"id": "editor"}}}}}}
    ds = ArshifDatasette(immutables=[str(archive)], metadata=meta)
    for _ in range(2):
        assert (await ds.client.get("/arshif/sources")).status_code == 403
        assert (await ds.client.get("/arshif/articles")).status_code == 200
    editor = ds.sign({"a": {"id": "editor"}}, "actor")  # a signed-in actor: never remembered
    response = await ds.client.get("/arshif/sources", cookies={"ds_actor": editor})
    assert response.status_code == 200
    assert (await ds.client.get("/arshif/sources")).status_code == 403


@pytest.mark.asyncio
async def test_precompile_templates_at_startup(archive):
    def compiled(ds) -> set[str]:
        return {key[1] for key in ds.jinja_env.cache.keys()}

    lazy = build_datasette(archive)
    await lazy.invoke_startup()
    assert "row.html" not in compiled(lazy)
    eager = build_datasette(archive, precompile_templates=True)
    await eager.invoke_startup()
    assert {"row.html", "table.html", "query.html", "_table.html"} <= compiled(eager)
    assert lazy.jinja_env.auto_reload and not eager.jinja_env.auto_reload
    assert (await eager.client.get("/arshif/articles/1")).status_code == 200


async def traced_sql(ds, path: str) -> list[str]:
    traces: list[dict] = []
    with capture_traces(traces):
        response = await ds.client.get(path)
    assert response.status_code == 200
    return [" ".join(t["sql"].split()) for t in traces if "sql" in t]


SCHEMA_SQL = ("sqlite_master", "PRAGMA")


@pytest.mark.asyncio
async def test_an_immutable_schema_is_read_once(archive):
    ds = build_datasette(archive)
    assert any("sqlite_master" in s for s in await traced_sql(ds, "/arshif/articles?_v=0"))
    for path in ("/arshif/articles?_search=كركوك", "/arshif/articles/1?",
                 "/arshif/articles.json?", "/arshif/articles.csv?"):
        first = await traced_sql(ds, path + "&_v=1")
        again = await traced_sql(ds, path + "&_v=2")  # another URL: not the response cache
        assert [s for s in again if s.startswith(SCHEMA_SQL) or "sqlite_master" in s] == [], path
        assert [s for s in first if "from articles" in s.lower()] == \
               [s for s in again if "from articles" in s.lower()]  # its own queries still run


@pytest.mark.asyncio
async def test_a_live_schema_is_read_every_request(archive):
    ds = build_datasette(archive, public=False)
    await traced_sql(ds, "/arshif/articles/1")
    assert any(s.startswith("PRAGMA schema_version")
               for s in await traced_sql(ds, "/arshif/articles/1"))


@pytest.mark.asyncio
async def test_remembered_schema_answers_are_copies(archive):
    ds = build_datasette(archive)
    db = ds.get_database("arshif")
    columns = await db.table_columns("articles")
    assert "title" in columns
    columns.clear()
    keys = await db.get_all_foreign_keys()
    keys.clear()
    assert "title" in await db.table_columns("articles")
    assert await db.get_all_foreign_keys()
    assert await db.primary_keys("articles") == ["id"]
    assert await db.table_exists("no_such_table") is False
