"""The desk in headless Chromium on a real `arshif serve` of a crawled archive: search with a
spelling variant, a date range and an outlet; the charts draw under the page's CSP; the CSV
link holds every match; and the page reads at a phone's 390 px."""

import csv
import io
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright import sync_api as playwright_api

from tests.archive.desk_archive import crawled_archive, matching_ids
from tests.archive.test_browser import chromium  # noqa: F401  (the fixture)
from tests.conftest import REPO, free_port

VARIANT = "تنظيم الدوله"  # the texts spell it تنظيم الدولة
RANGE = ("2020-04-01", "2020-05-31")
OUTLET = "rafidain"
SHOTS = REPO / "data" / "screenshots"


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory):
    return crawled_archive(sites, tmp_path_factory.mktemp("desk-browser"))


@pytest.fixture(scope="module")
def server(archive):
    """`arshif serve` on a free port, stopped after the module."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(archive), "--port",
         str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/robots.txt", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(proc.stdout.read().decode()) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def open_page(p, chromium, tmp_path, width, height):  # noqa: F811
    context = p.chromium.launch_persistent_context(
        str(tmp_path / f"profile-{width}"), executable_path=chromium, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--no-first-run", "--disable-sync"],
        viewport={"width": width, "height": height}, locale="ar")
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return context, page, errors, requests


def search(page, base):
    page.goto(base + "/")
    assert page.url.startswith(base + "/arshif/-/desk")
    page.fill("#q", VARIANT)
    page.click("details.filters summary")
    page.fill("#from", RANGE[0])
    page.fill("#to", RANGE[1])
    page.check(f"input[name=source][value={OUTLET}]")
    page.click("details.filters button[type=submit]")
    page.wait_for_selector("#chart-attention-n[data-drawn='1'] svg")


def test_desk_search_chart_and_csv(server, archive, chromium, tmp_path):  # noqa: F811
    expected = matching_ids(archive, VARIANT, "a.day between ? and ? and a.source = ?",
                            (*RANGE, OUTLET))
    assert expected and len(expected) < len(matching_ids(archive, VARIANT))
    with playwright_api.sync_playwright() as p:
        context, page, errors, requests = open_page(p, chromium, tmp_path, 1280, 900)
        try:
            search(page, server)
            ids = [int(i) for i in page.locator("li.result").evaluate_all(
                "els => els.map(e => e.dataset.id)")]
            assert ids == expected
            assert "الدولة" in page.locator("li.result mark").all_inner_texts()
            # The chart's data table: matches per day = the archive's, zeros included.
            cells = page.locator("#attention-table tbody tr").evaluate_all(
                "rows => rows.map(r => [r.dataset.bucket, +r.querySelector('td.n').textContent])")
            days = {d: n for d, n in cells if n}
            want: dict[str, int] = {}
            for (day,) in __import__("sqlite3").connect(archive).execute(
                    f"select day from articles where id in ({','.join(map(str, expected))})"):
                want[day] = want.get(day, 0) + 1
            assert days == want and len(cells) == 61
            assert page.locator("#chart-attention-share svg").count() == 1
            assert page.locator("#chart-outlets svg").count() == 1
            # The CSV link: every match, the same ids.
            href = page.get_attribute("#export-csv", "href")
            text = page.request.get(server + href).text()
            assert [int(r["id"]) for r in csv.DictReader(io.StringIO(text))] == expected
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "desk-desktop.png"), full_page=True)
            assert errors == []
            assert all(u.startswith(server) for u in requests), requests  # no other host
        finally:
            context.close()


def test_desk_on_a_phone(server, archive, chromium, tmp_path):  # noqa: F811
    with playwright_api.sync_playwright() as p:
        context, page, errors, _ = open_page(p, chromium, tmp_path, 390, 844)
        try:
            search(page, server)
            assert page.evaluate("document.documentElement.dir") == "rtl"
            # Nothing wider than the screen: no sideways scrolling on a phone.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            box = page.locator("#chart-attention-n svg").bounding_box()
            assert box and box["width"] <= 390
            results = page.locator("li.result").first.bounding_box()
            panels = page.locator("#attention").bounding_box()
            assert results["y"] < panels["y"]  # one column: results, then the charts
            page.screenshot(path=str(SHOTS / "desk-mobile.png"), full_page=True)
            assert errors == []
        finally:
            context.close()
