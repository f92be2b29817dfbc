"""A crawled archive of the fixture outlets plus one hostile capture, for the replay tests."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from archive.schema import connect
from archive.store import save_article
from archive.warc import WarcFiles, iso_seconds, warc_date
from tests.conftest import FAST, run_arshif

HOSTILE_URL = "https://hostile.example/news/trap"
HOSTILE_TEXT = "هذا نص الصفحة العدائية كما التقطه الأرشيف"
HOSTILE_TITLE = "فخ {خاص} 50% & _# عنوان"


class LiveWeb:
    """A stand-in for the live web on 127.0.0.1: records every request made to it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = _any  # noqa: N815 - http.server API

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def hostile_page(live: str) -> bytes:
    """A captured page that tries everything: scripts, refresh, base, form, iframe, onerror."""
    return f"""<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>صفحة عدائية</title>
<base href="{live}/base/">
<meta http-equiv="refresh" content="0; url={live}/refreshed">
<META HTTP-EQUIV=Refresh CONTENT="1;URL={live}/refreshed2">
<meta content="2;url={live}/refreshed3?a>b" http-equiv = "refresh">
<link rel="stylesheet" href="{live}/style.css">
<script>document.title = "PWNED"; document.documentElement.dataset.ran = "1";</script>
<script>fetch("{live}/fetched"); try {{ parent.document.title = "PWNED"; }} catch (e) {{}}</script>
<script src="{live}/external.js"></script>
<style>body {{ background: url({live}/bg.png); }}</style>
</head><body>
<h1>{HOSTILE_TITLE}</h1>
<p id="text">{HOSTILE_TEXT}</p>
<form action="{live}/form" method="post"><input name="q" value="x" autofocus>
<button type="submit">إرسال</button></form>
<iframe src="{live}/frame"></iframe>
<img src="{live}/image.png" onerror="document.title='PWNED-IMG'; fetch('{live}/onerror')">
<img src="relative.png"><object data="{live}/object"></object>
<a href="relative-link">رابط</a>
</body></html>""".encode()


def add_hostile(db_path: Path, warc: Path, live: str) -> dict:
    """Write the hostile page into a WARC of its own and store it as an article."""
    files = WarcFiles(warc, "20240501T000000Z-hostile", 10**9, {"software": "test"})
    date = warc_date()
    body = hostile_page(live)
    cap = files.exchange(
        HOSTILE_URL, "GET /news/trap HTTP/1.1", [("Host", "hostile.example")], b"",
        "HTTP/1.1 200 OK", [("Content-Type", "text/html; charset=utf-8")], body, date)
    files.close()
    db = connect(db_path)
    try:
        save_article(db, {
            "url": HOSTILE_URL, "source": "rafidain", "title": HOSTILE_TITLE,
            "published": "2024-05-01T09:00:00+03:00", "text": HOSTILE_TEXT,
            "fetched_at": iso_seconds(date), "encoding": "utf-8", "encoding_source": "meta",
            "warc_file": cap.file, "warc_offset": cap.offset, "warc_length": cap.length,
            "warc_digest": cap.digest,
        })
        row = db.execute("select id from articles where url = ?", [HOSTILE_URL]).fetchone()
    finally:
        db.close()
    return {"id": row[0], "capture": cap}


@dataclass
class Archive:
    """The crawled archive: its database, WARC directory and the hostile article."""

    db: Path
    warc: Path
    live: LiveWeb
    hostile_id: int
    rows: list[dict] = field(default_factory=list)


def crawl_archive(sites, tmp: Path) -> Archive:
    """Crawl every fixture outlet into tmp/arshif.db (WARCs in tmp/warc), add the hostile page."""
    sources = sites.write_sources(tmp / "sources.yaml")
    db = tmp / "arshif.db"
    # --all-topics: the off-topic pages include dijla's undeclared-charset one.
    result = run_arshif("crawl", "--sources", sources, "--db", db, "--all-topics", *FAST)
    assert result.returncode == 0, result.stderr[-4000:]
    live = LiveWeb()
    hostile = add_hostile(db, tmp / "warc", live.base)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("select * from articles order by id")]
    conn.close()
    return Archive(db, tmp / "warc", live, hostile["id"], rows)
