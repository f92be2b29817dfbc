"""The bench archive's place tags: a build has them, and an older build gets the same ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import bench.places
from archive.places import tag_places
from bench.places_add import add_places
from bench.search_build import build
from tests.conftest import REPO

CORPUS = REPO.parent / "shared" / "corpus"
ARTICLES = 600
pytestmark = pytest.mark.skipif(
    not (CORPUS / "saudinewsnet" / "dataset" / "2015-07-23.zip").is_file(),
    reason="the SaudiNewsNet corpus is not on this machine")


def dump(path: Path) -> dict[str, list]:
    """Everything place tagging touches: article rows, the search index's text, the tags."""
    conn = sqlite3.connect(path)
    try:
        return {
            "articles": conn.execute(
                "select id, title, description, text, word_count, content_sha256, places, "
                "places_governorates from articles order by id").fetchall(),
            "fts": conn.execute("select rowid, title, description, text from articles_fts "
                                "order by rowid").fetchall(),
            "places": conn.execute("select * from article_places order by article_id, place"
                                   ).fetchall(),
            "match": conn.execute("select rowid from articles_fts where articles_fts match "
                                  "'محافظه' order by rowid").fetchall(),
        }
    finally:
        conn.close()


def test_build_tags_places_and_an_older_build_gets_the_same(tmp_path, monkeypatch):
    fresh = tmp_path / "fresh.db"
    build(fresh, ARTICLES, CORPUS)
    want = dump(fresh)
    tagged = {r[0] for r in want["places"]}
    assert 0.5 < len(tagged) / ARTICLES < 0.8  # most articles name a place, as in Iraqi news
    for article_id, title, description, text, *_ in want["articles"][:50]:
        counts = tag_places(title, description, text)  # the real tagger agrees with the rows
        assert {r[1] for r in want["places"] if r[0] == article_id} == set(counts)
    # An archive built before the place sentences: no sentence, no tags.
    old = tmp_path / "old.db"
    monkeypatch.setattr(bench.places, "SHARE", 0.0)
    build(old, ARTICLES, CORPUS)
    monkeypatch.undo()
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("update articles set places = null, places_governorates = null")
        conn.execute("delete from article_places")
        conn.execute("delete from arshif_meta where key = 'bench_places'")
    conn.close()
    assert dump(old) != want
    info = add_places(old)
    assert info["tagged"] == len(tagged)
    assert dump(old) == want
    assert add_places(old) == {"reused": True}
