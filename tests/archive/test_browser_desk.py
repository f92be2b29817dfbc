"""The desk in headless Chromium on a real `arshif serve` of a crawled archive: search with a
spelling variant, a date range and an outlet; the charts draw under the page's CSP; the CSV
link holds every match; and the page reads at a phone's 390 px."""

import csv
import io
import os
from pathlib import Path

import pytest

from tests.archive.desk_archive import crawled_archive, matching_ids
from tests.conftest import chromium_page, serving

VARIANT = "تنظيم الدوله"  # the texts spell it تنظيم الدولة
RANGE = ("2020-04-01", "2020-05-31")
OUTLET = "rafidain"
SHOTS = Path(os.environ.get("ARSHIF_SCREENSHOTS", "/tmp/arshif-desk-shots"))


@pytest.fixture(scope="module")
def archive(sites, tmp_path_factory):
    return crawled_archive(sites, tmp_path_factory.mktemp("desk-browser"))


@pytest.fixture(scope="module")
def server(archive):
    """`arshif serve` on a free port, stopped after the module."""
    with serving(archive) as (base, _):
        yield base


def watch(page) -> tuple[list[str], list[str]]:
    """The page's console errors and uncaught exceptions, and every URL it requests."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    return errors, requests


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


def test_desk_search_chart_and_csv(server, archive, tmp_path):
    expected = matching_ids(archive, VARIANT, "a.day between ? and ? and a.source = ?",
                            (*RANGE, OUTLET))
    assert expected and len(expected) < len(matching_ids(archive, VARIANT))
    with chromium_page(tmp_path / "profile", 1280, 900) as page:
        errors, requests = watch(page)
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
        assert page.locator("#chart-places-time svg").count() == 1  # governorates over time
        # The panels came from their own request; the count they carry moved to the summary.
        assert page.locator("#panels[data-loaded='1']").count() == 1
        assert page.locator("#total-slot strong").inner_text() == str(len(expected))
        # The CSV link: every match, the same ids.
        href = page.get_attribute("#export-csv", "href")
        text = page.request.get(server + href).text()
        assert [int(r["id"]) for r in csv.DictReader(io.StringIO(text))] == expected
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "desk-desktop.png"), full_page=True)
        assert errors == []
        assert all(u.startswith(server) for u in requests), requests  # no other host


def test_desk_on_a_phone(server, archive, tmp_path):
    with chromium_page(tmp_path / "profile", 390, 844) as page:
        errors, _ = watch(page)
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
        # Every panel, the widest data table included (five governorates over time), still fits.
        page.goto(server + "/arshif/-/desk?q=داعش&from=2020-01-01&to=2020-12-31")
        page.wait_for_selector("#chart-places-time[data-drawn='1'] svg")
        assert page.locator("#places-time-table thead th[data-place]").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
