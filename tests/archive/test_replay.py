"""The archived copy of an article and its citation, through Datasette's own client."""

from __future__ import annotations

import asyncio
import html
import json
import re
import shutil

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.citation import bib_escape
from archive.publish import build_datasette
from archive.replay import codec_for, neutralise
from tests.archive.replay_fixture import HOSTILE_TEXT, HOSTILE_TITLE, crawl_archive
from tests.conftest import expected


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory):
    """The fixture outlets crawled for real, plus the hostile capture."""
    arc = crawl_archive(sites, tmp_path_factory.mktemp("replay"))
    yield arc
    arc.live.close()


@pytest.fixture(scope="module")
def get(archive):
    """GET a path from `arshif serve`'s Datasette (public), returning the httpx response."""
    ds = build_datasette(archive.db)
    asyncio.run(ds.invoke_startup())

    def fetch(path: str):
        return asyncio.run(ds.client.get(path))

    return fetch


def record_at(path, offset) -> dict:
    """What warcio itself reads at a WARC offset (independent of archive/replay.py)."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        rec = next(iter(ArchiveIterator(fh)))
        return {"uri": rec.rec_headers.get_header("WARC-Target-URI"),
                "digest": rec.rec_headers.get_header("WARC-Payload-Digest"),
                "id": rec.rec_headers.get_header("WARC-Record-ID"),
                "status": f"{rec.http_headers.protocol} {rec.http_headers.statusline}",
                "body": rec.content_stream().read()}


def banner(page: str, cls: str) -> str:
    """The text of the banner's <dd class=cls>."""
    found = re.search(rf'<dd class="{cls}"[^>]*>(.*?)</dd>', page, re.S)
    assert found, cls
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_every_capture_banner_matches_its_warc_record(archive, get):
    crawled = [r for r in archive.rows if r["id"] != archive.hostile_id]
    assert {r["source"] for r in crawled} >= {"dijla", "rafidain"}
    for row in crawled:
        rec = record_at(archive.warc / row["warc_file"], row["warc_offset"])
        page = get(f"/arshif/articles/{row['id']}/capture")
        assert page.status_code == 200, row["url"]
        text = page.text
        assert banner(text, "capture-url") == rec["uri"]
        assert banner(text, "capture-status") == rec["status"]
        assert banner(text, "capture-file") == row["warc_file"]
        assert banner(text, "capture-offset").startswith(str(row["warc_offset"]))
        assert banner(text, "capture-digest") == rec["digest"] == row["warc_digest"]
        assert banner(text, "capture-record-id") == rec["id"]
        assert banner(text, "capture-time").startswith(row["fetched_at"])
        assert 'sandbox referrerpolicy="no-referrer"' in text
        assert f'src="/arshif/articles/{row["id"]}/capture/page"' in text
        assert "لا تُجلب من الويب الحي" in text  # the note on uncaptured resources


def test_captured_document_headers_and_text(archive, get, sites):
    by_url = {r["url"]: r for r in archive.rows}
    for outlet in sites.outlets:
        for art in expected(outlet)["articles"]:
            row = by_url.get(art["url"])
            if row is None:  # off-topic: not stored
                continue
            doc = get(f"/arshif/articles/{row['id']}/capture/page")
            assert doc.status_code == 200
            csp = doc.headers["content-security-policy"]
            assert csp.startswith("sandbox;") and "default-src 'none'" in csp
            assert "allow-scripts" not in csp and "allow-same-origin" not in csp
            assert "connect-src" not in csp and "script-src" not in csp  # both 'none'
            assert doc.headers["x-content-type-options"] == "nosniff"
            assert doc.headers["content-type"] == "text/html; charset=utf-8"
            body = doc.content.decode("utf-8")  # strict: the frame gets valid UTF-8
            assert row["title"] in html.unescape(body), row["url"]
            for phrase in art.get("must_contain", [])[:2]:
                assert phrase in html.unescape(body), (row["url"], phrase)


def test_windows_1256_and_undeclared_charset(archive, get):
    dijla = [r for r in archive.rows if r["source"] == "dijla"]
    assert dijla and all(r["encoding"] == "cp1256" for r in dijla)
    undeclared = [r for r in dijla if r["url"].endswith("iraqi-league-season-cancelled")]
    assert undeclared and undeclared[0]["encoding_source"] == "detected"
    for row in dijla:
        raw = record_at(archive.warc / row["warc_file"], row["warc_offset"])["body"]
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # the capture really is cp1256 bytes
        doc = get(f"/arshif/articles/{row['id']}/capture/page").content.decode("utf-8")
        assert doc == neutralise(raw.decode("cp1256"))  # as received, decoded as chosen
        assert row["title"] in html.unescape(doc)
        page = get(f"/arshif/articles/{row['id']}/capture").text
        assert banner(page, "capture-encoding") == "cp1256"


def test_hostile_capture_loses_base_and_refresh_only(archive, get):
    doc = get(f"/arshif/articles/{archive.hostile_id}/capture/page").text
    assert "<base" not in doc.lower() and "refresh" not in doc.lower()
    # The rest is as captured: CSP and the sandbox stop it, not rewriting.
    assert doc.count("<script") == 3 and "onerror=" in doc and "<form" in doc
    assert "<iframe" in doc and HOSTILE_TEXT in doc


def test_no_capture_is_a_clear_404(archive, get, tmp_path):
    page = get("/arshif/articles/999999/capture")
    assert page.status_code == 404
    # A snapshot is served without WARC files: both pages say so.
    snap = tmp_path / "snapshots" / "arshif-2024-05-01.db"
    snap.parent.mkdir()
    shutil.copy(archive.db, snap)
    shutil.copytree(archive.warc, snap.parent / "warc")  # even with WARCs beside, none is served
    ds = build_datasette(archive.db, extra_immutables=[snap])
    asyncio.run(ds.invoke_startup())
    row = archive.rows[0]
    for path in ("capture", "capture/page"):
        resp = asyncio.run(ds.client.get(f"/arshif-2024-05-01/articles/{row['id']}/{path}"))
        assert resp.status_code == 404
        assert "the WARC files are not served with this database" in resp.text
        assert "ملفات WARC غير منشورة" in resp.text
    main = asyncio.run(ds.client.get(f"/arshif/articles/{row['id']}/capture"))
    assert main.status_code == 200


def test_missing_or_damaged_warc_and_bad_names(archive, tmp_path):
    warc = tmp_path / "warc"
    warc.mkdir()
    row = archive.rows[0]
    ds = build_datasette(archive.db, warc_dir=warc)  # an empty WARC directory
    asyncio.run(ds.invoke_startup())
    resp = asyncio.run(ds.client.get(f"/arshif/articles/{row['id']}/capture"))
    assert resp.status_code == 404 and f"WARC file missing: {row['warc_file']}" in resp.text
    (warc / row["warc_file"]).write_bytes(
        (archive.warc / row["warc_file"]).read_bytes()[: row["warc_offset"] + 40])
    resp = asyncio.run(ds.client.get(f"/arshif/articles/{row['id']}/capture/page"))
    assert resp.status_code == 404 and "damaged WARC record" in resp.text
    assert "sandbox" in resp.headers["content-security-policy"]


def test_article_page_links_the_capture_and_cites(archive, get):
    row = next(r for r in archive.rows if r["source"] == "dijla")
    page = get(f"/arshif/articles/{row['id']}").text
    assert f'href="/arshif/articles/{row["id"]}/capture">النسخة المؤرشفة</a>' in page
    box = re.search(r'<p class="cite-text"[^>]*>(.*?)</p>', page, re.S)
    assert box, "citation box"
    text = html.unescape(re.sub(r"</?bdi[^>]*>", "", box.group(1)))
    assert f'<bdi dir="ltr">{row["published"][:10]}</bdi>' in box.group(1)
    assert f"http://localhost/arshif/articles/{row['id']}" in text
    assert row["warc_digest"] in text and row["url"] in text and row["fetched_at"] in text
    assert f'href="/arshif/articles/{row["id"]}/cite.bib"' in page
    plain = get(f"/arshif/articles/{row['id']}/cite.txt").text
    assert plain.strip() == text.strip()


def test_csl_json(archive, get):
    row = next(r for r in archive.rows if r["source"] == "dijla")
    resp = get(f"/arshif/articles/{row['id']}/cite.json")
    assert resp.status_code == 200 and "csl+json" in resp.headers["content-type"]
    [item] = json.loads(resp.text)
    assert item["type"] == "article-newspaper"
    assert item["title"] == row["title"] and item["container-title"] == "دجلة"
    assert item["URL"] == row["url"]
    assert item["archive_location"] == f"http://localhost/arshif/articles/{row['id']}"
    y, m, d = (int(p) for p in row["fetched_at"][:10].split("-"))
    assert item["accessed"]["date-parts"] == [[y, m, d]]
    assert item["accessed"]["raw"] == row["fetched_at"]
    y, m, d = (int(p) for p in row["published"][:10].split("-"))
    assert item["issued"]["date-parts"] == [[y, m, d]]
    assert row["warc_digest"] in item["note"]


def test_bibtex_escapes_specials(archive, get):
    bib = get(f"/arshif/articles/{archive.hostile_id}/cite.bib").text
    assert bib.startswith(f"@article{{arshif-arshif-{archive.hostile_id},")
    assert r"title = {فخ \{خاص\} 50\% \& \_\# عنوان}," in bib
    assert "journal = {الرافدين نيوز}," in bib
    assert "url = {https://hostile.example/news/trap}" in bib
    # Every brace of the entry is balanced: no field can end early.
    depth = 0
    for i, ch in enumerate(bib):
        if ch in "{}" and bib[i - 1] != "\\":
            depth += 1 if ch == "{" else -1
            assert depth >= 0
    assert depth == 0
    assert HOSTILE_TITLE not in bib


def test_bib_escape_units():
    assert bib_escape("a{b}c%d&e_f#g$h") == r"a\{b\}c\%d\&e\_f\#g\$h"
    assert bib_escape("x\\y ~ ^") == r"x\textbackslash{}y \textasciitilde{} \textasciicircum{}"
    assert bib_escape("سطر\nآخر") == "سطر آخر"


@pytest.mark.parametrize("tag", [
    '<base href="http://live.example/">', "<BASE HREF=http://live.example/>",
    '<base target="_top" href="http://live.example/" />',
    '<meta http-equiv="refresh" content="0; url=http://live.example/">',
    "<META HTTP-EQUIV=Refresh CONTENT='1;URL=http://live.example/'>",
    '<meta content="0;url=http://live.example/?a>b" http-equiv = "refresh">',
    "<meta/http-equiv='refresh' content='0;url=http://live.example/'>",
])
def test_neutralise_removes_base_and_refresh(tag):
    page = f"<html><head>{tag}<meta charset=utf-8><meta name=basement></head><body>نص</body>"
    assert neutralise(page) == "<html><head><meta charset=utf-8><meta name=basement></head>" \
        "<body>نص</body>"


def test_unknown_or_missing_encoding_falls_back_to_utf8():
    assert codec_for("windows-1256") == codec_for("cp1256") == "cp1256"
    assert codec_for("x-no-such") is None and codec_for(None) is None and codec_for("") is None
