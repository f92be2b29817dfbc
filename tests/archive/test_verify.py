"""`arshif verify` on a real crawl: intact → 0; truncated, altered, missing WARCs named."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FAST, run_arshif, tuples

LINE = re.compile(r"^article (\d+)  (\S+)  (\S+)  (.+)$")


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory) -> Path:
    """A crawl of every fixture outlet, its WARCs rotated small so there are several files."""
    tmp = tmp_path_factory.mktemp("verify")
    sources = sites.write_sources(tmp / "sources.yaml")
    done = run_arshif("crawl", "--sources", sources, "--db", tmp / "arshif.db", *FAST,
                      "-s", "ARSHIF_WARC_MAX_BYTES=40000")
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp


def copy(archive: Path, to: Path) -> Path:
    """A copy of the archive (database and WARC directory) to damage."""
    shutil.copytree(archive / "warc", to / "warc")
    shutil.copy(archive / "arshif.db", to / "arshif.db")
    return to / "arshif.db"


def articles(db: Path) -> list[tuple]:
    return tuples(db, "select id, url, warc_file, warc_offset, warc_length from articles "
                      "order by id")


def verify(db: Path, *extra) -> tuple[int, dict[int, str], str]:
    """Exit code, {article id: what is wrong}, and the summary line."""
    done = run_arshif("verify", "--db", db, *extra)
    found = {}
    for line in done.stdout.splitlines():
        if m := LINE.match(line):
            found[int(m[1])] = m[4]
    return done.returncode, found, done.stdout + done.stderr


def test_intact_archive_and_its_snapshot_pass(archive, tmp_path):
    code, found, out = verify(archive / "arshif.db")
    rows = articles(archive / "arshif.db")
    assert len({r[2] for r in rows}) > 1, "the crawl should span several WARC files"
    assert code == 0 and not found, out
    assert f"articles {len(rows)} " in out and "missing or damaged 0" in out
    snap = run_arshif("snapshot", "--db", archive / "arshif.db", "--out", tmp_path)
    assert snap.returncode == 0, snap.stderr
    (db,) = tmp_path.glob("arshif-*.db")
    code, found, out = verify(db, "--warc-dir", archive / "warc")
    assert code == 0 and not found and f"articles {len(rows)} " in out, out


def test_truncated_warc_names_the_articles_cut_off(archive, tmp_path):
    db = copy(archive, tmp_path)
    rows = articles(db)
    last_file = max(r[2] for r in rows)
    in_file = sorted((r for r in rows if r[2] == last_file), key=lambda r: r[3])
    victim = in_file[-1]
    cut = victim[3] + victim[4] // 2  # inside the last article's record
    path = tmp_path / "warc" / last_file
    with open(path, "r+b") as fh:
        fh.truncate(cut)
    code, found, out = verify(db)
    assert code == 1, out
    assert set(found) == {r[0] for r in rows if r[2] == last_file and r[3] + r[4] > cut}, out
    assert victim[0] in found and victim[1] in out


def test_record_altered_in_place_is_named(archive, tmp_path):
    db = copy(archive, tmp_path)
    rows = articles(db)
    victim = rows[len(rows) // 2]
    path = tmp_path / "warc" / victim[2]
    with open(path, "r+b") as fh:  # flip bytes in the middle of its gzip member (the payload)
        fh.seek(victim[3] + victim[4] * 2 // 3)
        chunk = fh.read(8)
        fh.seek(-len(chunk), 1)
        fh.write(bytes(b ^ 0x5A for b in chunk))
    code, found, out = verify(db)
    assert code == 1 and set(found) == {victim[0]}, out
    assert re.search(r"damaged record|payload altered|digest", found[victim[0]]), out


def test_missing_warc_file_names_its_articles(archive, tmp_path):
    db = copy(archive, tmp_path)
    rows = articles(db)
    gone = rows[0][2]
    (tmp_path / "warc" / gone).unlink()
    code, found, out = verify(db)
    assert code == 1, out
    assert set(found) == {r[0] for r in rows if r[2] == gone}
    assert all("missing WARC file" in what for what in found.values())


def test_wrong_url_and_wrong_digest_in_the_database_are_named(archive, tmp_path):
    db = copy(archive, tmp_path)
    rows = articles(db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update articles set url = 'http://127.0.0.1:9/else', final_url = null "
                     "where id = ?", [rows[0][0]])
        conn.execute("delete from aliases where article_id = ?", [rows[0][0]])
        conn.execute("update articles set warc_digest = 'sha1:AAAA' where id = ?", [rows[1][0]])
    conn.close()
    code, found, out = verify(db)
    assert code == 1 and set(found) == {rows[0][0], rows[1][0]}, out
    assert "another URL" in found[rows[0][0]] and "sha1:AAAA" in found[rows[1][0]]


def test_bad_usage_exits_2(tmp_path):
    assert verify(tmp_path / "none.db")[0] == 2
    db = tmp_path / "arshif.db"
    sqlite3.connect(db).close()
    code, _, out = verify(db, "--warc-dir", tmp_path / "nowhere")
    assert code == 2 and "no WARC directory" in out
