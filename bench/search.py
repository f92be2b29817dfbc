"""`python -m bench search --articles N`: search latency on a large archive.

Times 50 typical Arabic queries through Datasette's JSON API in-process (the table's
`?_search=`, newest first, without and with its count and facets, and its HTML page; the
canned query `search`, newest first and `sort=relevance`),
then the candidate SQL plans directly: Datasette's join + sort by `published`, the FTS-rowid
plan (ORDER BY rowid DESC LIMIT 50 with snippet) and the count Datasette adds to each page;
last, snippet_html's CPU time per snippet over the rows the canned search shows.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from archive.publish import build_datasette, database_name, load_metadata
from archive.query import fts_query
from archive.search import register_functions
from archive.snippets import snippet_html
from bench.search_build import archive_path, ensure

QUERIES = [
    "السعودية", "اليمن", "الحوثيين", "داعش", "إيران", "الرياض", "النفط", "الإرهاب", "سوريا",
    "العراق", "مكة", "جدة", "الدمام", "الكويت", "مصر", "قطر", "البحرين", "تركيا", "روسيا",
    "لبنان", "غزة", "الشرطة", "المرور", "التعليم", "البطالة", "أرامكو", "الأسهم", "رمضان",
    "عيد الفطر", "الهلال", "النصر", "الأمطار", "انفجار مسجد", "وزارة الصحة", "كورونا",
    "الملك سلمان", "مجلس التعاون", "الأسد", "صنعاء", "عدن", "حزب الله", "أوباما",
    '"وزير الخارجية"', '"الاتفاق النووي"', '"الأمم المتحدة"', '"عاصفة الحزم"',
    '"خادم الحرمين الشريفين"', '"هيئة كبار العلماء"', "تفجير القديح", "السوق المالية",
]
ROWID_SQL = (
    "select f.rowid, a.title, a.published, "
    "snippet(articles_fts, 2, '<mark>', '</mark>', '…', 30) as snippet "
    "from articles_fts f join articles a on a.search_key = f.rowid "
    "where articles_fts match ? order by f.rowid desc limit 50"
)
JOIN_SORT_SQL = (
    "select a.id, a.title, a.published from articles a where a.search_key in "
    "(select rowid from articles_fts where articles_fts match ?) "
    "order by a.published desc limit 51"
)
# What Datasette's table search runs since the table's default sort is search_key.
JOIN_KEY_SQL = JOIN_SORT_SQL.replace("order by a.published desc", "order by a.search_key desc")
COUNT_SQL = ("select count(*) from articles where search_key in "
             "(select rowid from articles_fts where articles_fts match ?)")
BM25_SQL = (
    "select f.rowid, a.title, snippet(articles_fts, 2, '<mark>', '</mark>', '…', 30) "
    "from articles_fts f join articles a on a.search_key = f.rowid where articles_fts match ? "
    "order by bm25(articles_fts, 5.0, 2.0, 1.0) limit 50"
)


def _stats(times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {"median_ms": statistics.median(ms), "p95_ms": ms[int(0.95 * (len(ms) - 1))],
            "max_ms": ms[-1]}


def _timed(fn: Callable[[str], Any]) -> dict[str, Any]:
    for q in QUERIES[:5]:
        fn(q)  # warm the page cache and Datasette's own caches
    times = []
    for q in QUERIES:
        t0 = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - t0)
    return _stats(times)


def datasette_timings(db_path: Path) -> dict[str, Any]:
    """Latency of the JSON API, in-process, for the table search and the canned query."""
    ds = build_datasette(db_path)
    name = database_name(db_path)
    queries = (load_metadata(db_path)["databases"][name].get("queries") or {})
    loop = asyncio.new_event_loop()
    loop.run_until_complete(ds.invoke_startup())
    seen: dict[str, Any] = {"errors": 0}

    def get(path: str) -> dict[str, Any]:
        resp = loop.run_until_complete(ds.client.get(path))
        if resp.status_code != 200:
            seen["errors"] += 1
            seen["last_error"] = f"{resp.status_code} {path}: {resp.text[:200]}"
            return {}
        return resp.json()

    def table(q: str) -> None:
        data = get(f"/{name}/articles.json?" + urlencode({"_search": q, "_size": 50}))
        seen.setdefault("table_sql", (data.get("query") or {}).get("sql"))

    def table_html(q: str) -> None:
        resp = loop.run_until_complete(ds.client.get(
            f"/{name}/articles?" + urlencode({"_search": q})))
        if resp.status_code != 200:
            seen["errors"] += 1
            seen["last_error"] = f"{resp.status_code} table page: {resp.text[:200]}"

    # A searched table skips the count and facets over every match unless asked
    # (archive/datasette/plugins/arshif_search.py::light_search); the rows below add them back.
    out: dict[str, Any] = {"table ?_search= (no count, no facets: default)": _timed(table),
                           "table ?_search= HTML page": _timed(table_html)}
    for label, extra in (("  … with _count=1", {"_count": 1}),
                         ("  … with _count=1&_withfacets=1 (the old page)",
                          {"_count": 1, "_withfacets": 1}),
                         ("  … default and _col=title only", {"_col": "title"})):
        out[label] = _timed(lambda q, e=extra: get(
            f"/{name}/articles.json?" + urlencode({"_search": q, "_size": 50} | e)))
    if "search" in queries:
        out["canned search (newest first)"] = _timed(
            lambda q: get(f"/{name}/search.json?" + urlencode({"q": q, "sort": ""})))
        out["canned search sort=relevance"] = _timed(
            lambda q: get(f"/{name}/search.json?" + urlencode({"q": q, "sort": "relevance"})))
        out["canned search sort=relevance&scope=all"] = _timed(
            lambda q: get(f"/{name}/search.json?" + urlencode(
                {"q": q, "sort": "relevance", "scope": "all"})))
    else:
        out["canned search"] = "absent from metadata.yml"
    loop.close()
    return out | {"datasette_table_sql": seen.get("table_sql"), "errors": seen["errors"],
                  "last_error": seen.get("last_error")}


def sql_timings(db_path: Path) -> dict[str, Any]:
    """Latency of each candidate plan on a plain read-only connection."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    register_functions(conn)
    out: dict[str, Any] = {}
    canned = (load_metadata(db_path)["databases"][database_name(db_path)].get("queries") or {})
    canned_sql = (canned.get("search") or {}).get("sql")
    if canned_sql:
        bare = canned_sql.replace("arabic_snippet(a.text, :q)", "''")
        for label, sql, sort, scope in (
                ("canned search SQL, newest", canned_sql, "", ""),
                ("canned search SQL, relevance", canned_sql, "relevance", ""),
                ("canned search SQL, relevance, scope=all", canned_sql, "relevance", "all"),
                ("canned search SQL, newest, no snippet", bare, "", ""),
                ("canned search SQL, relevance, no snippet", bare, "relevance", "")):
            out[label] = _timed(lambda q, s=sql, o=sort, a=scope: conn.execute(
                s, {"q": q, "sort": o, "scope": a}).fetchall())
    for label, sql in (("join + sort by published (Datasette's old plan)", JOIN_SORT_SQL),
                       ("join + sort by search_key (Datasette's plan)", JOIN_KEY_SQL),
                       ("FTS rowid desc + snippet (rowid plan)", ROWID_SQL),
                       ("count(*) of matches (Datasette adds it)", COUNT_SQL),
                       ("bm25 rank + snippet", BM25_SQL)):
        out[label] = _timed(lambda q, s=sql: conn.execute(s, [fts_query(q)]).fetchall())
        plan = conn.execute("explain query plan " + sql, ['"x"']).fetchall()
        out[label]["plan"] = " | ".join(r[-1] for r in plan)
    hits = [conn.execute(COUNT_SQL, [fts_query(q)]).fetchone()[0] for q in QUERIES]
    out["matches_per_query"] = {"median": statistics.median(hits), "max": max(hits),
                                "min": min(hits)}
    conn.close()
    return out


def snippet_cpu(db_path: Path, rounds: int = 5) -> dict[str, Any]:
    """CPU time of snippet_html alone over the texts the canned search shows, per snippet.

    The 50 queries' newest 50 matches are read first, so no I/O is timed, and the time is
    process CPU: the figure holds when other work shares the machine, unlike wall clock.
    The first round starts with snippet_html's caches as the earlier rows left them.
    """
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = [(q, text) for q in QUERIES for (text,) in conn.execute(
        "select a.text from (select rowid as key from articles_fts where articles_fts match ? "
        "order by rowid desc limit 50) as top join articles a on a.search_key = top.key",
        [fts_query(q)])]
    conn.close()
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        for q, text in rows:
            snippet_html(text, q)
        times.append((time.process_time() - t0) / len(rows) * 1e6)
    return {"snippets": len(rows), "first_round_us": times[0], "best_round_us": min(times),
            "median_round_us": statistics.median(times)}


def search_bench(articles: int, corpus: Path) -> dict[str, Any]:
    """Build (or reuse) the archive, time every way of searching it and print the results."""
    db_path = archive_path(articles)
    build = ensure(db_path, articles, corpus.resolve())
    print(f"\narchive {db_path}: {articles:,} articles, {build['bytes'] / 2**30:.2f} GiB; "
          f"build {build['build_s']:.0f} s ({build['rate']:.0f} articles/s, "
          f"{build['workers']} workers; FTS optimize {build['optimize_s']:.0f} s)"
          + (" [reused]" if build.get("reused") else ""))
    results = {"build": build, "datasette": datasette_timings(db_path),
               "sql": sql_timings(db_path), "snippet_cpu": snippet_cpu(db_path)}
    print(f"\n{len(QUERIES)} queries, warm cache; times in ms\n")
    print(f"{'how':<52} {'median':>8} {'p95':>8} {'max':>8}")
    for group in ("datasette", "sql"):
        for name, t in results[group].items():
            if isinstance(t, dict) and "median_ms" in t:
                print(f"{name:<52} {t['median_ms']:>8.1f} {t['p95_ms']:>8.1f} {t['max_ms']:>8.1f}")
    ds = results["datasette"]
    cpu = results["snippet_cpu"]
    print(f"\nsnippet_html CPU per snippet ({cpu['snippets']} shown by the canned search): "
          f"{cpu['best_round_us']:.0f} µs best of rounds, {cpu['median_round_us']:.0f} µs median, "
          f"{cpu['first_round_us']:.0f} µs first round")
    print(f"matches per query: {results['sql']['matches_per_query']}")
    print(f"Datasette's table search runs: {ds['datasette_table_sql']}")
    for name, t in results["sql"].items():
        if isinstance(t, dict) and "plan" in t:
            print(f"  plan of {name}: {t['plan']}")
    if ds["errors"]:
        print(f"Datasette errors: {ds['errors']} (last: {ds['last_error']})")
    return results
