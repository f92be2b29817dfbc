"""`python -m bench [--pages N] [--quick]`, `python -m bench scaling`, `python -m bench profile`,
`python -m bench search --articles N`, `python -m bench desk --articles N`,
`python -m bench places --articles N`, `python -m bench load` (see bench/README.md)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import DATA, rows
from bench.measure import Row, Server, fmt_table
from bench.newsplease_row import newsplease_row
from bench.rows import bare_row, crawl_row, extract_row, reextract_row, store_row
from bench.server import capacity
from bench.site import generate, load_manifest


def save(kind: str, payload: dict[str, Any]) -> Path:
    """Write results to data/bench/results-<timestamp>.json and return the path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"results-{stamp}-{kind}.json"
    meta = {"kind": kind, "when": stamp, "python": platform.python_version(),
            "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg()}
    path.write_text(json.dumps(meta | payload, ensure_ascii=False, indent=1, default=str), "utf-8")
    return path


def probe_server(srv: Server, site: Path, seconds: float) -> str:
    """One line saying what the server can do: client-side rate and its own CPU per page."""
    paths = [a["path"] for a in load_manifest(site)["articles"]]
    before = srv.stats()
    cap = capacity(srv.base, paths, seconds)
    after = srv.stats()
    per_req = (after["cpu"] - before["cpu"]) / max(1, after["requests"] - before["requests"])
    return (f"site server: {cap['pages_s']:.0f} pages/s ({cap['mb_s']:.0f} MB/s gzip) to one "
            f"Python client with {cap['connections']} keep-alive connections; its own CPU "
            f"{per_req * 1000:.3f} ms/page, i.e. ≈{1 / per_req:.0f} pages/s per core")


def limits(rows: dict[str, Row]) -> str:
    """CPU-bound limit = min(bare rate, cores ÷ CPU s per page of (b)), and (b)'s share."""
    a, b = rows.get("a"), rows.get("b")
    if not (a and b and a.rate and b.cpu_per_page):
        return "CPU-bound limit: n/a"
    cores = os.cpu_count() or 1
    limit = min(a.rate, cores / b.cpu_per_page)
    return (f"CPU-bound limit = min(bare {a.rate:.1f}, {cores} cores ÷ {b.cpu_per_page:.4f} "
            f"CPU s/page = {cores / b.cpu_per_page:.1f}) = {limit:.1f} pages/s; (b) runs at "
            f"{b.rate:.1f} = {b.rate / limit:.0%} of it.")


def main_table(pages: int, quick: bool, newsplease: bool, only: str = "") -> dict[str, Any]:
    """Run every row (or only the listed ones: "a,f") on the same generated site; print."""
    DATA.mkdir(parents=True, exist_ok=True)
    wanted = set(only.split(",")) if only else set("abcdef")
    print(f"generating {pages} pages …", flush=True)
    site = generate(pages)
    rows: list[Row] = []

    def add(*new: Row) -> None:
        rows.extend(new)
        for r in new:
            print(f"  {r.label}: {r.rate:.1f} pages/s", flush=True)

    with Server(site) as srv:
        server_line = probe_server(srv, site, 1.5 if quick else 4.0)
        print(server_line, flush=True)
        crawl = None
        if "a" in wanted:
            add(bare_row(srv))
        if "b" in wanted or "e" in wanted:
            crawl = crawl_row(srv, pages)
            add(crawl)
        if "c" in wanted:
            add(extract_row(site, srv.base))
        if "d" in wanted:
            add(store_row(min(pages, 300) if quick else pages))
        if "e" in wanted:
            add(reextract_row(crawl.extra.get("db") if crawl else None))
        if "f" in wanted and newsplease and not quick:
            add(newsplease_row(site, srv.base))
        elif "f" in wanted:
            rows.append(Row("f", "(f) news-please from_html", note="skipped (--quick)"))
    by_key = {r.key: r for r in rows}
    bare = by_key["a"].rate if "a" in by_key else 0.0
    print(f"\nArshif benchmark: {pages} generated pages "
          f"({sum(1 for _ in (site / 'articles').iterdir())} article files), "
          f"{os.cpu_count()} cores\n")
    print(fmt_table(rows, bare))
    print("\n" + server_line)
    print(limits(by_key))
    return {"pages": pages, "server": server_line, "rows": [r.as_dict() for r in rows],
            "limits": limits(by_key)}


def scaling(sizes: list[int]) -> dict[str, Any]:
    """Rows (a) and (b) at several site sizes."""
    out = []
    for n in sizes:
        print(f"generating {n} pages …", flush=True)
        site = generate(n)
        with Server(site) as srv:
            a, b = bare_row(srv), crawl_row(srv, n)
        out.append({"pages": n, "a": a.as_dict(), "b": b.as_dict()})
        print(f"  N={n}: bare {a.rate:.1f} pages/s, crawl {b.rate:.1f} pages/s", flush=True)
    print(f"\n{'N':>6} {'(a) pages/s':>12} {'(a) RSS MB':>11} {'(b) pages/s':>12} "
          f"{'(b) RSS MB':>11} {'(b) CPU ms/page':>16} {'(b)/(a)':>8}")
    for r in out:
        a, b = r["a"], r["b"]
        print(f"{r['pages']:>6} {a['pages_s']:>12.1f} {a['rss_mb']:>11.0f} {b['pages_s']:>12.1f} "
              f"{b['rss_mb']:>11.0f} {b['cpu_s_per_page'] * 1000:>16.1f} "
              f"{b['pages_s'] / a['pages_s']:>8.2f}")
    return {"scaling": out}


GROUPS = ("trafilatura", "htmldate", "justext", "langdetect", "lxml", "charset_normalizer",
          "datasketch", "numpy", "scrapy", "twisted", "asyncio", "concurrent", "multiprocessing",
          "sqlite_utils", "logging", "archive/", "pipelines/", "crawler/", "bench/")


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own CPU time (tottime) summed per package, largest first."""
    totals: dict[str, float] = {}
    for (file, _, func), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        group = next((g for g in GROUPS if g in file), None)
        if group is None:
            group = "builtins/C: " + func if file == "~" else "other python"
            if file == "~" and tottime < 0.5:
                group = "builtins/C (other)"
        totals[group] = totals.get(group, 0.0) + tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def profile(pages: int, top: int) -> dict[str, Any]:
    """cProfile of `arshif crawl` (b) and of the extraction stages (c): where CPU goes."""
    site = generate(pages)
    out: dict[str, Any] = {}
    with Server(site) as srv:
        for key, run in (("crawl", lambda p: crawl_row(srv, pages, profile=p)),
                         ("extract", lambda p: extract_row(site, srv.base, profile=p))):
            prof = DATA / f"{key}-{pages}.prof"
            row = run(prof)
            stats = pstats.Stats(str(prof))
            total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
            print(f"\n== {row.label}: {row.pages} pages, {row.cpu_per_page * 1000:.1f} ms CPU/page "
                  f"(under cProfile); own time by package:")
            groups = by_package(stats)
            for name, t in groups[:14]:
                print(f"  {name:<40} {t / max(row.pages, 1) * 1000:7.2f} ms/page {t / total:6.1%}")
            stats.sort_stats("cumulative").print_stats(top)
            out[key] = {"prof": str(prof), "row": row.as_dict(), "by_package": groups}
    return out


def main() -> None:
    """Parse arguments and run the chosen benchmark."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("command", nargs="?", default="table",
                        choices=["table", "scaling", "search", "desk", "places", "profile", "load"])
    parser.add_argument("--pages", type=int, default=2000, help="generated article pages")
    parser.add_argument("--quick", action="store_true", help="smoke run: skip news-please")
    parser.add_argument("--no-newsplease", action="store_true", help="skip row (f)")
    parser.add_argument("--rows", default="", help="table: only these rows, e.g. a,f")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="extra Scrapy/Arshif setting for row (b), repeatable")
    parser.add_argument("--sizes", default="500,2000,10000", help="scaling: site sizes")
    parser.add_argument("--articles", type=int, default=1_000_000, help="search: archive size")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"),
                        help="search: folder holding saudinewsnet/dataset/2015-07-23.zip")
    parser.add_argument("--top", type=int, default=30, help="profile: functions shown")
    parser.add_argument("--db", type=Path, default=Path("tmp/demo.db"),
                        help="load: the archive served (arshif demo --db tmp/demo.db --all-topics)")
    parser.add_argument("--requests", type=int, default=200, help="load: concurrent requests")
    parser.add_argument("--workers", default="1,2", help="load: worker counts to compare")
    parser.add_argument("--timeout", type=float, default=30.0, help="load: per request, seconds")
    parser.add_argument("--no-cache", action="store_true",
                        help="load: serve without the response cache (ARSHIF_CACHE_MB=0)")
    args = parser.parse_args()
    rows.CRAWL_SETTINGS[:] = args.set
    if args.command == "table":
        payload = main_table(args.pages, args.quick, not args.no_newsplease, args.rows)
    elif args.command == "scaling":
        payload = scaling([int(s) for s in args.sizes.split(",")])
    elif args.command == "profile":
        payload = profile(args.pages, args.top)
    elif args.command == "load":
        from bench.load import load_bench

        payload = load_bench(args.db, args.requests,
                             [int(n) for n in args.workers.split(",")], args.timeout,
                             cache=not args.no_cache)
    elif args.command == "desk":
        from bench.desk import desk_bench

        payload = desk_bench(args.articles, args.corpus)
    elif args.command == "places":
        from bench.places_add import add_places
        from bench.search_build import archive_path

        payload = add_places(archive_path(args.articles))
    else:
        from bench.search import search_bench

        payload = search_bench(args.articles, args.corpus)
    print(f"\nresults: {save(args.command, payload)}")


if __name__ == "__main__":
    sys.exit(main())
