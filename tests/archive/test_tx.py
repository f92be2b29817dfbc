"""archive.tx.transaction: several writes, one commit, all or nothing."""

from __future__ import annotations

import sqlite3

import pytest

from archive.clusters import assign
from archive.store import save_article
from archive.tx import transaction

TEXT = "شنّ مسلحو تنظيم داعش هجوماً على قرية في أطراف كركوك وأصابوا ثلاثة من الحراس. " * 12



def test_rolls_back_everything_on_error(db):
    with pytest.raises(RuntimeError), transaction(db):
        db.execute("insert into arshif_meta(key, value) values ('a', '1')")
        db.execute("insert into arshif_meta(key, value) values ('b', '2')")
        raise RuntimeError("boom")
    assert db.execute("select count(*) from arshif_meta where key in ('a', 'b')").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_joins_an_open_transaction(db):
    db.execute("begin immediate")
    with transaction(db):
        db.execute("insert into arshif_meta(key, value) values ('a', '1')")
    assert db.conn.in_transaction  # the outer transaction decides
    db.conn.rollback()
    assert db.execute("select count(*) from arshif_meta where key = 'a'").fetchone()[0] == 0


def test_cluster_assignment_is_one_commit(db, tmp_path):
    """The signature, 28 band rows and the cluster row land in one transaction, not 31."""
    save_article(db, {"url": "https://x.example/1", "source": "x", "title": "هجوم",
                      "text": TEXT, "fetched_at": "2024-05-12T10:00:00+00:00"})
    row = db.execute("select id, text, content_sha256, source, published, first_seen_at "
                     "from articles").fetchone()
    names = ("id", "text", "content_sha256", "source", "published", "first_seen_at")
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    assert assign(db, dict(zip(names, row, strict=True))) == row[0]
    db.conn.set_trace_callback(None)
    control = [s.split()[0].upper() for s in statements
               if s.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK")]
    assert control == ["BEGIN", "COMMIT"]
    other = sqlite3.connect(tmp_path / "arshif.db")
    assert other.execute("select count(*) from minhash_bands").fetchone()[0] == 28
    assert other.execute("select count(*) from story_clusters").fetchone()[0] == 1
    other.close()
