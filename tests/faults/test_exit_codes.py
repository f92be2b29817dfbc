"""A damaged archive, a bad sources file, a crawl that saved nothing: one line, the right code.

Each command meets the fault through the real `arshif` process, so what is checked is what an
operator sees: the exit code, the last line of stderr, and no traceback.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from archive.lock import RunLock
from tests.conftest import FAST, query, run_arshif


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory) -> tuple[Path, Path]:
    """(sources file, a real archive of one outlet, checkpointed into one file)."""
    tmp = tmp_path_factory.mktemp("exit-codes")
    sources = sites.write_sources(tmp / "sources.yaml")
    db = tmp / "arshif.db"
    run = run_arshif("crawl", "--sources", sources, "--source", sites.outlets[0].name,
                     "--db", db, *FAST)
    assert run.returncode == 0, run.stderr[-3000:]
    conn = sqlite3.connect(db)
    conn.execute("pragma journal_mode=delete")  # no -wal beside the copies made below
    conn.close()
    return sources, db


def damaged(archive, tmp_path: Path, how: str) -> Path:
    """A copy of the archive: truncated to half, or not SQLite at all."""
    data = archive[1].read_bytes()
    db = tmp_path / f"{how}.db"
    db.write_bytes(data[: len(data) // 2] if how == "truncated" else b"not sqlite " * 1000)
    return db


def one_line(result, start: str) -> str:
    """The one line the command printed on stderr (no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(start), result.stderr[-3000:]
    return last


@pytest.mark.parametrize("how", ["truncated", "garbage"])
@pytest.mark.parametrize("command", ["reindex", "snapshot", "show-capture", "crawl", "serve"])
def test_a_damaged_archive_is_one_line_and_exit_1(archive, tmp_path, how, command):
    db = damaged(archive, tmp_path, how)
    args = {"reindex": [], "snapshot": ["--out", tmp_path / "snaps"],
            "show-capture": ["http://example.org/a"], "serve": ["--port", "1"],
            "crawl": ["--sources", archive[0], *FAST]}[command]
    result = run_arshif(command, *args, "--db", db, timeout=60)
    assert result.returncode == 1
    one_line(result, f"arshif: {db} is not a usable SQLite archive: ")
    if command == "snapshot":  # no half-written copy left behind
        assert list((tmp_path / "snaps").iterdir()) == []
    assert not Path(f"{db}.lock").exists()


def test_a_crawl_that_could_save_nothing_exits_1(archive, sites, tmp_path):
    """A damaged search index: every save fails. Once said, the crawl stops, exit 1."""
    db = tmp_path / "fts.db"
    shutil.copy(archive[1], db)
    conn = sqlite3.connect(db)
    pages = [r[0] for r in conn.execute("select rootpage from sqlite_master where name in "
                                        "('articles_fts_data', 'articles_fts_idx')")]
    size = conn.execute("pragma page_size").fetchone()[0]
    before = conn.execute("select url, text from articles order by url").fetchall()
    conn.close()
    data = bytearray(db.read_bytes())
    for page in pages:
        data[(page - 1) * size + 8: page * size] = b"\xa5" * (size - 8)
    db.write_bytes(bytes(data))
    other = sites.outlets[1].name  # new articles to save
    result = run_arshif("crawl", "--sources", archive[0], "--source", other, "--db", db, *FAST)
    assert result.returncode == 1
    one_line(result, f"arshif: {db} is not a usable SQLite archive: vtable constructor failed")
    assert "finished" not in result.stdout
    assert len([ln for ln in result.stderr.splitlines() if "Cannot save to" in ln]) == 1
    assert [(r["url"], r["text"]) for r in query(db, "select url, text from articles "
                                                     "order by url")] == before


@pytest.mark.parametrize("command", [["crawl"], ["sources", "list"], ["sources", "check"]])
def test_a_sources_file_not_in_utf8_is_exit_2(tmp_path, command):
    path = tmp_path / "sources.yaml"
    path.write_bytes("sources:\n  - name: شفق\n".encode("cp1256"))
    result = run_arshif(*command, "--sources", path, "--db", tmp_path / "a.db", timeout=60) \
        if command == ["crawl"] else run_arshif(*command, "--sources", path, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "UnicodeDecodeError" not in result.stderr
    assert f"{path}: not UTF-8 text" in result.stderr


def test_the_lock_holds_through_a_symlink(archive, tmp_path):
    link = tmp_path / "link.db"
    link.symlink_to(archive[1])
    with RunLock(archive[1]):
        result = run_arshif("crawl", "--sources", archive[0], "--db", link, *FAST, timeout=60)
    assert result.returncode == 3
    one_line(result, "arshif: another crawl is running on this archive")
