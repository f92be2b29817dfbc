"""Datasette's own pages under the Content-Security-Policy, in headless Chromium, served by a
real `arshif serve --workers 2 --allow-sql`: no CSP violation, no page error, menus and the SQL
editor still work."""

from pathlib import Path

import pytest

from tests.archive.test_browser import make_archive, page  # noqa: F401  (page: a fixture)
from tests.conftest import serving

PAGES = [
    "/-/index", "/arshif", "/arshif/articles?_facet=source", "/arshif/articles/1",
    "/arshif/search?q=الدولة", "/arshif/articles.json", "/arshif/articles.csv",
    "/arshif/articles?_search_title=الدولة", "/-/databases",
]


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def workers_server(tmp_path):
    """`arshif serve --workers 2 --allow-sql` on a free port, stopped after the test."""
    with serving(make_archive(tmp_path / "arshif.db"), "--workers", "2", "--allow-sql") as served:
        yield served


def test_datasette_pages_work_under_the_csp(workers_server, page, tmp_path):  # noqa: F811
    base, proc = workers_server
    assert len(children(proc.pid)) >= 2  # the worker processes (and the spawn tracker)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))

    for path in PAGES:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    # `/` opens the desk, which has no inline script at all and sends its own stricter policy.
    response = page.goto(base + "/")
    assert response.status == 200 and "/-/desk" in page.url
    policy = response.headers["content-security-policy"]
    script_src = policy.split("script-src")[1].split(";")[0]
    assert script_src.strip() == "'self'", policy
    page.goto(base + "/arshif/articles?_facet=source")
    # The table: facets shown, the column menu (cog) opens, its sort link works.
    assert page.locator(".facet-info").count() >= 1
    page.locator("th.col-title svg.dropdown-menu-icon").click()
    menu = page.locator(".dropdown-menu")
    menu.wait_for(state="visible")
    assert menu.locator(".dropdown-sort-asc").is_visible()
    menu.locator(".dropdown-sort-asc").click()
    page.wait_for_url("**_sort=title**")
    page.screenshot(path=str(tmp_path / "table-csp.png"))

    # The SQL editor (--allow-sql): CodeMirror set up by the inline script the policy allows.
    page.goto(base + "/arshif?sql=select+count(*)+from+articles")
    page.wait_for_selector(".CodeMirror")
    assert page.locator("table.rows-and-columns td").first.inner_text() == "2"

    assert problems == []

    # An injected inline script would be refused: the policy is enforced, not just sent.
    page.goto(base + "/arshif/articles")
    blocked = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
        const s = document.createElement('script'); s.textContent = 'window.injected = 1';
        document.body.appendChild(s);
        setTimeout(() => resolve(window.injected ? 'ran' : 'none'), 2000);
    })""")
    assert blocked.startswith("script-src")
