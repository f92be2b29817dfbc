"""Re-extraction applies the topic policy each capture's crawl ran under (crawl_runs.all_topics)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from tests.conftest import FAST, expected, run_arshif, tuples

FIELDS = "url, title, published, text, topics"


def wipe_articles(db: Path) -> None:
    """Lose the articles table (and its search index), as a broken or careless rebuild would."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("delete from articles_fts")
        conn.execute("delete from articles")
    conn.close()


def outlet_urls(sites, on_topic: bool | None = None, name: str | None = None) -> set[str]:
    """URLs of the fixture outlets' Arabic articles (on- or off-topic, or all of them)."""
    return {a["url"] for o in sites.outlets if name in (None, o.name)
            for a in expected(o)["articles"]
            if on_topic is None or a.get("on_topic", True) == on_topic}


def reextract(db: Path, sources: Path, *extra: str) -> str:
    result = run_arshif("reextract", "--db", db, "--sources", sources, *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_all_topics_archive_is_rebuilt_with_every_article(sites, tmp_path):
    sources = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "arshif.db"
    first = run_arshif("crawl", "--sources", sources, "--db", db, "--all-topics", *FAST)
    assert first.returncode == 0, first.stderr[-3000:]
    # A later default-policy run captures the same pages again; it drops the off-topic ones
    # as off_topic, but the archive still holds what the --all-topics run stored.
    second = run_arshif("crawl", "--sources", sources, "--db", db, "--revisit", *FAST)
    assert second.returncode == 0, second.stderr[-3000:]
    runs = dict(tuples(db, "select run, max(all_topics) from crawl_runs group by run "
                          "order by min(started)"))
    assert list(runs.values()) == [1, 0], runs
    before = tuples(db, f"select {FIELDS} from articles order by url")
    held = {r[0] for r in before}
    off_topic = outlet_urls(sites, on_topic=False)
    assert off_topic and off_topic <= held  # the crawl kept the off-topic articles
    wipe_articles(db)
    out = reextract(db, sources)
    assert {r[0] for r in tuples(db, "select url from articles")} == held, out
    assert tuples(db, f"select {FIELDS} from articles order by url") == before
    assert "off_topic" not in out and f"new {len(held)}" in out, out


def test_default_archive_still_drops_off_topic_unless_told(sites, tmp_path):
    sources = sites.write_sources(tmp_path / "sources.yaml")
    db = tmp_path / "arshif.db"
    crawl = run_arshif("crawl", "--sources", sources, "--db", db, *FAST)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    assert {r[0] for r in tuples(db, "select all_topics from crawl_runs")} == {0}
    on_topic, off_topic = outlet_urls(sites, True), outlet_urls(sites, False)
    held = {r[0] for r in tuples(db, "select url from articles")}
    assert held == on_topic and off_topic

    def rebuilt(*extra: str, file: Path = sources) -> tuple[set[str], str]:
        wipe_articles(db)
        out = reextract(db, file, *extra)
        return {r[0] for r in tuples(db, "select url from articles")}, out

    urls, out = rebuilt()  # the recorded policy: drop
    assert urls == on_topic and f"off_topic {len(off_topic)}" in out, out
    conn = sqlite3.connect(db)
    with conn:  # an archive from before the policy was recorded: the default applies
        conn.execute("update crawl_runs set all_topics = null")
    conn.close()
    urls, out = rebuilt()
    assert urls == on_topic and f"off_topic {len(off_topic)}" in out, out
    urls, out = rebuilt("--all-topics")  # forced, like crawl --all-topics
    assert urls == on_topic | off_topic and "off_topic" not in out, out
    # all_topics: true on one source in sources.yaml still keeps that outlet's articles.
    entries = [s | {"all_topics": True} if s["name"] == "dijla" else s for s in sites.sources()]
    one = tmp_path / "dijla-all.yaml"
    one.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), "utf-8")
    urls, out = rebuilt(file=one)
    assert urls == on_topic | outlet_urls(sites, False, "dijla"), out
