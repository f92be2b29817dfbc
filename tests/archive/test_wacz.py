"""`arshif export-wacz` and `snapshot --wacz`: WACZ 1.1.1 that py-wacz's validator accepts."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import FAST, run_arshif


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory) -> Path:
    """A crawl of every fixture outlet."""
    tmp = tmp_path_factory.mktemp("wacz")
    sources = sites.write_sources(tmp / "sources.yaml")
    done = run_arshif("crawl", "--sources", sources, "--db", tmp / "arshif.db", *FAST)
    assert done.returncode == 0, done.stderr[-3000:]
    return tmp


def rows(db: Path, where: str = "1", params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"select id, url, title, warc_digest, source from articles where "
                            f"{where} order by id", params).fetchall()
    finally:
        conn.close()


def validate(path: Path) -> None:
    """py-wacz's own validator, as a subprocess."""
    wacz = Path(sys.executable).parent / "wacz"
    assert wacz.exists(), "the wacz command is missing: pip install -e . (py-wacz, a dependency)"
    done = subprocess.run([wacz, "validate", "-f", path], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "is valid" in done.stdout, done.stdout + done.stderr


def check_wacz(path: Path, expected: list[tuple]) -> None:
    """Pages one per article (title, url, ts), the WARC holds their payloads, hashes match."""
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"datapackage.json", "datapackage-digest.json", "pages/pages.jsonl",
                "indexes/index.cdx.gz", "indexes/index.idx"} <= names
        package = json.loads(zf.read("datapackage.json"))
        assert package["wacz_version"] == "1.1.1"
        for res in package["resources"]:  # every file's hash is the file's
            data = zf.read(res["path"])
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert res["bytes"] == len(data)
        assert {r["path"] for r in package["resources"]} == names - {"datapackage.json",
                                                                     "datapackage-digest.json"}
        header, *pages = [json.loads(x) for x in zf.read("pages/pages.jsonl").splitlines()]
        assert header["format"] == "json-pages-1.0"
        by_id = {p["arshif_id"]: p for p in pages}
        assert sorted(by_id) == [r[0] for r in expected] and len(pages) == len(expected)
        (warc,) = [n for n in names if n.startswith("archive/") and n.endswith(".warc.gz")]
        digests = {}
        with zf.open(warc) as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response":
                    key = (rec.rec_headers.get_header("WARC-Target-URI"),
                           rec.rec_headers.get_header("WARC-Date")[:19])
                    digests[key] = rec.rec_headers.get_header("WARC-Payload-Digest")
        index = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    for article_id, _url, title, digest, _source in expected:
        page = by_id[article_id]
        assert page["title"] == title and page["ts"].endswith("Z")
        assert digests[(page["url"], page["ts"][:19])] == digest
        assert any(json.loads(line.split(" ", 2)[2])["url"] == page["url"] for line in index)


def test_export_wacz_of_all_and_of_one_source(archive, tmp_path):
    db = archive / "arshif.db"
    out = tmp_path / "all.wacz"
    done = run_arshif("export-wacz", "--db", db, "--out", out)
    assert done.returncode == 0, done.stderr
    everything = rows(db)
    assert json.loads(done.stdout)["pages"] == len(everything)
    validate(out)
    check_wacz(out, everything)
    source = everything[-1][4]
    one = tmp_path / "one.wacz"
    done = run_arshif("export-wacz", "--db", db, "--source", source, "--since", "2000-01-01",
                      "--out", one)
    assert done.returncode == 0, done.stderr
    validate(one)
    check_wacz(one, rows(db, "source = ?", (source,)))


def test_export_wacz_bad_input(archive, tmp_path):
    db = archive / "arshif.db"
    future = run_arshif("export-wacz", "--db", db, "--since", "2999-01-01", "--out",
                        tmp_path / "x.wacz")
    assert future.returncode == 1 and "no archived captures" in future.stderr
    assert not (tmp_path / "x.wacz").exists()
    bad = run_arshif("export-wacz", "--db", db, "--since", "yesterday", "--out",
                     tmp_path / "x.wacz")
    assert bad.returncode == 2 and "not a date" in bad.stderr
    assert run_arshif("export-wacz", "--db", db, "--out", tmp_path / "x.zip").returncode == 2


def test_snapshot_wacz_beside_the_snapshot(archive, tmp_path):
    db = archive / "arshif.db"
    done = run_arshif("snapshot", "--db", db, "--out", tmp_path, "--wacz")
    assert done.returncode == 0, done.stderr
    (snap,) = tmp_path.glob("arshif-*.db")
    wacz = snap.with_suffix(".wacz")
    manifest = json.loads(snap.with_suffix(".manifest.json").read_text())
    assert manifest["wacz"]["file"] == wacz.name
    assert manifest["wacz"]["sha256"] == hashlib.sha256(wacz.read_bytes()).hexdigest()
    assert manifest["wacz"]["pages"] == manifest["articles"] == len(rows(snap))
    validate(wacz)
    check_wacz(wacz, rows(snap))
