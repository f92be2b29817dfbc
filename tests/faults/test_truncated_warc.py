"""A damaged WARC (cut short, or a payload that is not what its digest says) is reported and
skipped by `reextract` and `show-capture`: no article gets part of its text, nothing else stops.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FAST, REPO, run_arshif, tuples

FIELDS = "url, title, text, topics, warc_offset"


def articles(db: Path) -> list[tuple]:
    return tuples(db, f"select {FIELDS} from articles order by warc_offset")


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    """One outlet crawled once: (sources file, archive, its one WARC file)."""
    tmp = tmp_path_factory.mktemp("warc-cut")
    sources = sites.write_sources(tmp / "sources.yaml")
    db = tmp / "arshif.db"
    run = run_arshif("crawl", "--sources", sources, "--source", sites.outlets[0].name,
                     "--db", db, *FAST)
    assert run.returncode == 0, run.stderr[-3000:]
    (warc,) = (tmp / "warc").iterdir()
    assert len(articles(db)) >= 3
    return sources, db, warc


def damaged_copy(crawled, tmp_path: Path, cut: int | None = None,
                 flip: int | None = None) -> tuple[Path, str]:
    """The archive and its WARC copied to tmp_path, the WARC cut at `cut` or a byte flipped."""
    _, db, warc = crawled
    (tmp_path / "warc").mkdir()
    shutil.copy(db, tmp_path / "arshif.db")
    data = bytearray(warc.read_bytes())
    if flip is not None:
        data[flip] ^= 0xFF
    (tmp_path / "warc" / warc.name).write_bytes(bytes(data[:cut]))
    return tmp_path / "arshif.db", warc.name


def reextract(crawled, db: Path):
    return run_arshif("reextract", "--db", db, "--sources", crawled[0])


def last_article(db: Path) -> tuple[str, int, int]:
    return tuples(db, "select url, warc_offset, warc_length from articles "
                      "order by warc_offset desc limit 1")[0]


@pytest.mark.parametrize("where", ["mid-record", "mid-payload", "mid-header"])
def test_a_cut_record_is_reported_and_its_article_kept(crawled, tmp_path, where):
    url, offset, length = last_article(crawled[1])
    cut = {"mid-record": offset + length // 2, "mid-payload": offset + length - 40,
           "mid-header": offset + 20}[where]
    db, name = damaged_copy(crawled, tmp_path, cut=cut)
    before = articles(db)
    result = reextract(crawled, db)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert f"{name}:{offset}: damaged WARC record" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "arshif: 1 damaged WARC record(s) skipped (listed above); "
        "their articles were left as they were.")
    assert "damaged 1" in result.stdout
    # The other articles were still re-extracted (unchanged), and none lost a character.
    assert f"unchanged {len(before) - 1}" in result.stdout
    assert articles(db) == before
    shown = run_arshif("show-capture", url, "--db", db)
    assert shown.returncode == 1 and "Traceback" not in shown.stderr
    assert f"{name}:{offset}: damaged WARC record" in shown.stderr


def test_a_cut_between_records_is_a_shorter_file_not_damage(crawled, tmp_path):
    url, offset, length = last_article(crawled[1])
    db, _ = damaged_copy(crawled, tmp_path, cut=offset + length)  # response whole, rest gone
    before = articles(db)
    result = reextract(crawled, db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "damaged 0" in result.stdout and f"unchanged {len(before)}" in result.stdout
    assert articles(db) == before
    shown = subprocess.run([sys.executable, "-m", "crawler.cli", "show-capture", url, "--db",
                            str(db), "--body-only"], capture_output=True, cwd=REPO, timeout=120)
    assert shown.returncode == 0 and b"<html" in shown.stdout.lower()  # windows-1256 bytes


def test_a_flipped_byte_is_damage_not_text(crawled, tmp_path):
    url, offset, length = last_article(crawled[1])
    db, name = damaged_copy(crawled, tmp_path, flip=offset + length // 2)
    before = articles(db)
    result = reextract(crawled, db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{name}:{offset}: damaged WARC record" in result.stderr
    assert articles(db) == before
    shown = run_arshif("show-capture", url, "--db", db)
    assert shown.returncode == 1 and "damaged WARC record" in shown.stderr
