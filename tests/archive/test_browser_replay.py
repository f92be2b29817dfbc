"""The archived copy in headless Chromium, from a real `arshif serve`: shown, inert, offline."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.archive.replay_fixture import HOSTILE_TEXT, crawl_archive
from tests.conftest import chromium_page, serving

SHOTS = Path(os.environ.get("ARSHIF_SCREENSHOTS", "/tmp/arshif-replay-shots"))


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory):
    """The fixture outlets crawled for real, plus the hostile capture."""
    arc = crawl_archive(sites, tmp_path_factory.mktemp("browser-replay"))
    yield arc
    arc.live.close()


@pytest.fixture(scope="module")
def server(archive):
    """`arshif serve --warc-dir` on a free port, stopped after the module."""
    with serving(archive.db, "--warc-dir", archive.warc) as (base, _):
        yield base


@pytest.fixture
def page(tmp_path):
    """A page in a fresh headless Chromium profile that never talks to the network on its own."""
    with chromium_page(tmp_path / "profile", height=900) as page:
        yield page


def allowed(base: str, url: str, article_id: int) -> bool:
    """A request the archived-copy pages may make: Datasette's own pages and stylesheets."""
    if not url.startswith(base + "/"):
        return False
    path = urlsplit(url).path
    return path in (f"/arshif/articles/{article_id}", f"/arshif/articles/{article_id}/capture",
                    f"/arshif/articles/{article_id}/capture/page") or path.startswith(
        ("/-/static/", "/arshif-static/"))


class Network:
    """Every request a page makes: sent, answered, or stopped in the browser (and why)."""

    def __init__(self, page) -> None:
        self.requests: list[str] = []
        self.responses: list[str] = []
        self.failed: dict[str, str | None] = {}
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.responses.append(r.url))
        page.on("requestfailed", lambda r: self.failed.__setitem__(r.url, r.failure))

    def check(self, base: str, article_id: int) -> None:
        """Only Datasette's own pages were answered; anything else never left the browser."""
        assert [u for u in self.responses if not allowed(base, u, article_id)] == []
        for url in self.requests:
            if not allowed(base, url, article_id):
                assert self.failed.get(url) == "csp", (url, self.failed.get(url))


def open_capture(page, base: str, article_id: int):
    """From the article page, follow «النسخة المؤرشفة»; the frame of the captured page."""
    page.goto(f"{base}/arshif/articles/{article_id}")
    page.get_by_role("link", name="النسخة المؤرشفة").click()
    page.wait_for_url(f"**/arshif/articles/{article_id}/capture")
    page.wait_for_selector("iframe.arshif-capture-frame")
    page.wait_for_load_state("load")
    frame = page.frame_locator("iframe.arshif-capture-frame")
    return frame, next(f for f in page.frames if f.url.endswith("/capture/page"))


def test_hostile_capture_is_shown_and_inert(server, archive, page):
    net, dialogs = Network(page), []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame, frame_obj = open_capture(page, server, archive.hostile_id)
    assert frame.locator("#text").inner_text() == HOSTILE_TEXT
    page.wait_for_timeout(3000)  # refreshes after 0, 1 and 2 s; onerror and fetch had time
    assert page.title().startswith("النسخة المؤرشفة · ")
    assert frame_obj.url == f"{server}/arshif/articles/{archive.hostile_id}/capture/page"
    # The scripts would have rewritten <title> and marked <html>: the DOM is as captured.
    assert frame.locator("title").text_content() == "صفحة عدائية"
    assert frame.locator("html").get_attribute("data-ran") is None
    assert dialogs == []
    assert archive.live.hits == [], archive.live.hits  # nothing reached the "live web"
    net.check(server, archive.hostile_id)
    # The page did try (stylesheet, images, CSS background): each one stopped by the CSP.
    assert {urlsplit(u).path for u in net.failed} >= {"/style.css", "/image.png", "/bg.png"}
    assert f"{server}/arshif/articles/{archive.hostile_id}/capture/page" in net.responses
    banner = page.locator(".arshif-capture-banner")
    assert "hostile.example/news/trap" in banner.locator(".capture-url").inner_text()
    assert banner.locator(".capture-status").inner_text() == "HTTP/1.1 200 OK"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "hostile.png"), full_page=True)


def test_capture_document_opened_directly_is_sandboxed_too(server, archive, page):
    net = Network(page)
    url = f"{server}/arshif/articles/{archive.hostile_id}/capture/page"
    page.goto(url)
    assert page.locator("#text").inner_text() == HOSTILE_TEXT
    page.wait_for_timeout(3000)
    assert page.url == url and page.title() == "صفحة عدائية"
    assert page.locator("html").get_attribute("data-ran") is None
    # The form cannot be sent anywhere (no allow-forms, form-action 'none').
    page.locator("button[type=submit]").click()
    page.wait_for_timeout(500)
    assert page.url == url
    assert archive.live.hits == [] and net.responses == [url], net.responses
    net.check(server, archive.hostile_id)


def test_windows_1256_capture_in_chromium(server, archive, page):
    row = next(r for r in archive.rows if r["source"] == "dijla"
               and r["url"].endswith("hawija-power-towers-attack-foiled"))
    net = Network(page)
    frame, _ = open_capture(page, server, row["id"])
    shown = frame.locator("body").inner_text()
    assert row["title"] in shown
    assert "Ø" not in shown and "\ufffd" not in shown  # no mojibake, no replacement characters
    net.check(server, row["id"])
    assert archive.live.hits == []
    assert page.locator(".capture-encoding").inner_text().startswith("cp1256")
    page.screenshot(path=str(SHOTS / "dijla.png"), full_page=True)
