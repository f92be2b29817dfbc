"""The `arshif` command: help, validation errors, sources check, the demo and `scrapy crawl`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import yaml
from click.testing import CliRunner

from crawler.cli.app import cli
from tests.conftest import FAST, REPO, expected, run_arshif


def test_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("crawl", "serve", "demo", "sources", "reindex"):
        assert command in result.output
    crawl_help = CliRunner().invoke(cli, ["crawl", "--help"]).output
    for option in ("--sources", "--source", "--db", "-s, --set"):
        assert option in crawl_help
    serve_help = CliRunner().invoke(cli, ["serve", "--help"]).output
    for option in ("--db", "--port", "--host"):
        assert option in serve_help


def test_bad_sources_file_names_entry_and_key_and_crawls_nothing(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text(yaml.safe_dump({"sources": [
        {"name": "ok", "title": "t", "homepage": "https://a.example/", "feeds": []},
        {"name": "broken", "title": "t", "homepage": "https://b.example/",
         "feeds": ["nota url"]},
    ]}), "utf-8")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(bad), "--db", str(db)])
    assert result.exit_code == 2
    assert "sources[1] (broken): key 'feeds[0]'" in result.output
    assert not db.exists()


def test_bad_setting_override_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "x.db"), "-s", "NOPE"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_sources_check_against_fixture_outlets(sites, tmp_path):
    path = sites.write_sources(tmp_path / "sources.yaml")
    result = CliRunner().invoke(cli, ["sources", "check", "--sources", str(path)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0] + " " + line.split()[1]: line for line in result.output.splitlines()}
    feed = lines["rafidain feed"]
    assert "items     5" in feed and "2020-05-19T00:30:00+03:00" in feed
    # dijla lists a sitemap index: one child sitemap.
    assert "items     1" in lines["dijla sitemap"]


def test_sources_check_reports_a_broken_feed(sites, tmp_path):
    source = sites.sources()[0] | {"feeds": [sites.outlets[0].base + "/no-such-feed.xml"]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"sources": [source]}, allow_unicode=True), "utf-8")
    result = CliRunner().invoke(cli, ["sources", "check", "--sources", str(path)])
    assert result.exit_code == 1 and "HTTP 404" in result.output


def test_private_network_refused_unless_allowed(sites, tmp_path):
    source = sites.sources()[0] | {"allow_private_network": False}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({"sources": [source]}, allow_unicode=True), "utf-8")
    db = tmp_path / "guard.db"
    hits_before = len(sites.outlets[0].hits)
    result = run_arshif("crawl", "--sources", path, "--db", db, *FAST)
    assert result.returncode == 1  # the source could not be crawled at all
    assert "Refused" in result.stderr and "loopback" in result.stderr
    conn = sqlite3.connect(db)
    (dropped, status, pages), = conn.execute("select dropped, status, pages from crawl_runs")
    assert json.loads(dropped)["forbidden_address"] >= 2 and status == "failed" and pages == 0
    assert conn.execute("select count(*) from articles").fetchone()[0] == 0
    assert sites.outlets[0].hits[hits_before:] == []  # not a single request reached the server


def test_scrapy_crawl_from_repo_root(sites, tmp_path):
    path = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "scrapy.db"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=zagros",
           "-a", f"sources={path}", "-s", f"ARSHIF_DB={db}", *FAST]
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    zagros = next(o for o in sites.outlets if o.name == "zagros")
    want = {a["url"] for a in expected(zagros)["articles"]}
    conn = sqlite3.connect(db)
    assert {r[0] for r in conn.execute("select url from articles")} == want
    assert [r[0] for r in conn.execute("select source from crawl_runs")] == ["zagros"]


def test_demo_crawls_the_bundled_outlets(tmp_path):
    db = tmp_path / "demo.db"
    result = run_arshif("demo", "--db", db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"arshif serve --db {db}" in result.stdout
    conn = sqlite3.connect(db)
    sources = {r[0] for r in conn.execute("select distinct source from articles")}
    assert sources == {"rafidain", "dijla", "hamrin", "zagros"}
