"""The rows of the main table: (a) bare Scrapy, (b) arshif crawl, (c) extraction, (d) storage,
(e) re-extraction. Row (f), news-please, lives in bench/newsplease_row.py."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import yaml

from bench import DATA
from bench.measure import Row, Server, run_measured
from bench.site import SITE_TITLE

# The real console script when installed (pip install -e .), else the same entry point.
ARSHIF = [shutil.which("arshif") or sys.executable, *([] if shutil.which("arshif")
                                                       else ["-m", "crawler.cli"])]


# Row (b) keeps off-topic articles too: every generated page is stored, so pages = articles.
FLAGS = ["--all-topics"]

# Extra `-s KEY=VALUE` settings for row (b), from `python -m bench --set KEY=VALUE` (ablations:
# e.g. --set ARSHIF_CLUSTERS=False shows what clustering costs).
CRAWL_SETTINGS: list[str] = []


def _server_delta(server: Server, before: dict[str, float], pages: int) -> str:
    after = server.stats()
    cpu = after["cpu"] - before["cpu"]
    reqs = after["requests"] - before["requests"] - 1
    return f"server: {reqs} requests, {cpu / max(pages, 1) * 1000:.2f} ms CPU/page"


def bare_row(server: Server, per_domain: int | None = None) -> Row:
    """(a) a bare Scrapy spider downloading every page with Arshif's concurrency."""
    label = "(a) bare Scrapy download (ceiling)"
    cmd = [sys.executable, "-m", "bench.bare_spider", server.base]
    if per_domain:
        label = f"(a') bare Scrapy, {per_domain} per domain"
        cmd += ["--per-domain", str(per_domain)]
    before = server.stats()
    m = run_measured(cmd, log=DATA / "bare.log")
    res = m.last_json()
    row = Row("a" if not per_domain else "a16", label, res["pages"], m.wall, m.cpu, m.rss_mb,
              m.others)
    row.note = (f"{res['per_domain']} concurrent per domain; "
                + _server_delta(server, before, res["pages"]))
    row.extra = res
    return row


def write_sources(base: str, path: Path) -> Path:
    """A sources.yaml with one outlet: the bench server."""
    source = {"name": "bench", "title": SITE_TITLE, "homepage": base + "/",
              "feeds": [base + "/feed/"], "sitemaps": [base + "/sitemap_index.xml"],
              "allow_private_network": True, "notes": "benchmark site on 127.0.0.1"}
    path.write_text(yaml.safe_dump({"sources": [source]}, allow_unicode=True), "utf-8")
    return path


PROFILED = ("import cProfile, sys; from crawler.cli.app import main; sys.argv[0] = 'arshif'; "
            "cProfile.run('main()', {out!r})")


def crawl_row(server: Server, pages: int, profile: Path | None = None) -> Row:
    """(b) `arshif crawl` end to end into a fresh archive, as a subprocess (under cProfile)."""
    # Its own folder: the WARC files go to warc/ beside the archive, and (e) re-reads them.
    folder = DATA / f"crawl-{pages}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "arshif.db"
    sources = write_sources(server.base, DATA / "sources.yaml")
    flags = FLAGS
    cmd = [*ARSHIF, "crawl", "--sources", str(sources),
           "--db", str(db), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
           "-s", "ROBOTSTXT_OBEY=True", *flags,
           *(arg for kv in CRAWL_SETTINGS for arg in ("-s", kv))]
    if profile:
        cmd = [sys.executable, "-c", PROFILED.format(out=str(profile)), *cmd[len(ARSHIF):]]
    before = server.stats()
    m = run_measured(cmd, log=DATA / "crawl.log")
    conn = sqlite3.connect(db)
    stored = conn.execute("select count(*) from articles").fetchone()[0]
    run = conn.execute("select pages, dropped from crawl_runs order by id desc limit 1").fetchone()
    conn.close()
    row = Row("b", "(b) arshif crawl, end to end", stored, m.wall, m.cpu, m.rss_mb, m.others)
    row.note = (f"exit {m.code}; {stored} stored of {pages}; crawl_runs pages {run[0]}, "
                f"dropped {run[1]}; flags {' '.join(flags)}; "
                + _server_delta(server, before, stored))
    if CRAWL_SETTINGS:
        row.note += f"; settings {' '.join(CRAWL_SETTINGS)}"
    row.extra = {"db": str(db), "exit": m.code, "dropped": run[1], "flags": flags,
                 "settings": list(CRAWL_SETTINGS)}
    return row


def extract_row(site: Path, base: str, profile: Path | None = None) -> Row:
    """(c) extraction stages alone, single process, from the saved page bytes."""
    cmd = [sys.executable, "-m", "bench.stages", "extract", str(site), base]
    if profile:
        cmd += ["--profile", str(profile)]
    m = run_measured(cmd, log=DATA / "extract.log")
    res = m.last_json()
    row = Row("c", "(c) extract+language+topics+index_text", res["kept"], res["wall"],
              res["cpu"], m.rss_mb, m.others)
    stages = ", ".join(f"{k} {v / max(res['kept'], 1) * 1000:.1f}"
                       for k, v in res["stage_cpu"].items())
    row.note = f"ms CPU/page: {stages}; {res['dropped']} dropped"
    row.extra = res
    return row


def store_row(pages: int) -> Row:
    """(d) save_article per second into a fresh archive."""
    m = run_measured([sys.executable, "-m", "bench.stages", "store", str(pages),
                      str(DATA / "store.db")], log=DATA / "store.log")
    res = m.last_json()
    row = Row("d", "(d) save_article, one transaction each", pages, res["wall"], res["cpu"],
              m.rss_mb, m.others)
    row.note = (f"of which index_text {res['index_text_cpu'] / pages * 1000:.2f} ms "
                "CPU/page (FTS normalisation + stemming)")
    row.extra = res
    return row


def reextract_row(crawl_db: str | None) -> Row:
    """(e) `arshif reextract` from the WARC of the crawl."""
    row = Row("e", "(e) arshif reextract from WARC")
    if not crawl_db:
        row.note = "skipped: no crawl archive to re-extract"
        return row
    m = run_measured([*ARSHIF, "reextract", "--db", crawl_db, "--sources",
                      str(DATA / "sources.yaml"), "-s", "ARSHIF_ALL_TOPICS=True"],
                     log=DATA / "reextract.log")
    conn = sqlite3.connect(crawl_db)
    n = conn.execute("select count(*) from articles").fetchone()[0]
    conn.close()
    row.pages, row.wall, row.cpu, row.rss_mb, row.others = n, m.wall, m.cpu, m.rss_mb, m.others
    said = m.stdout.strip().splitlines()[-1:] or ["(no output)"]
    row.note = f"exit {m.code}; whole process incl. start-up; it said: {said[0][:120]}"
    return row
