"""A real `arshif serve` answers search attacks at once; a cheap request alongside stays fast.

Issue 15: a 10,000-letter `?_search=` took 1.0–1.25 s of the event loop, and a cheap
`/demo/articles/9.json` sent alongside five of them went from 24 ms to 4,778 ms.
"""

from __future__ import annotations

import statistics
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from archive.query import MAX_WORD_LETTERS, QUERY_LIMITS_MESSAGE
from archive.schema import connect
from archive.store import save_article
from tests.archive.test_datasette_ui import FILLER, make_archive
from tests.conftest import serving

LONG_WORD = "ي" * 5000 + "ب" + "ي" * 4999
RUN_WORD = "1" * (MAX_WORD_LETTERS - 1) + "2"  # the longest word allowed, stored in a long run
CHEAP_LIMIT = 0.3  # seconds; ≈ 10–30 ms unloaded


def demo_like_archive(path: Path) -> Path:
    """Ten articles like the demo's, one of them an outlet's 100,000-character run of digits."""
    make_archive(path)
    db = connect(path)
    for i in range(5):
        save_article(db, {"url": f"https://x.example/{i}", "source": "x",
                          "title": f"خبر رقم {i} عن كركوك", "text": "كركوك. " + FILLER * 20,
                          "published": f"2024-05-1{i}T09:00:00+03:00",
                          "fetched_at": "2024-06-03T10:00:00+00:00"})
    save_article(db, {"url": "https://x.example/run", "source": "x", "title": "أرقام",
                      "text": ("1" * 20_000 + " ") * 5 + RUN_WORD,
                      "published": "2024-05-30T09:00:00+03:00",
                      "fetched_at": "2024-06-03T10:00:00+00:00"})
    db.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`arshif serve` (public mode) on a free port, stopped after the tests."""
    with serving(demo_like_archive(tmp_path_factory.mktemp("serve") / "demo.db")) as (base, _):
        yield base


def fetch(url: str) -> tuple[float, int, str]:
    """Seconds, status and body of one GET."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    return time.perf_counter() - start, status, body.decode("utf-8", "replace")


def test_attacks_answer_quickly_and_a_cheap_request_alongside_stays_fast(server):
    cheap = server + "/demo/articles/1.json"
    fetch(cheap)  # warm up
    idle = statistics.median(fetch(cheap)[0] for _ in range(5))
    attacks = [server + "/demo/articles?" + urlencode({"_search": LONG_WORD}),
               server + "/demo/articles/9?" + urlencode({"_search": LONG_WORD}),
               server + "/demo/search?" + urlencode({"q": LONG_WORD}),
               server + "/demo/articles?" + urlencode({"_search": LONG_WORD,
                                                       "_searchmode": "raw"})] * 3
    # Within the limits but costly: a table search whose matching row is a 100,000-character
    # run of the searched digit (its snippet is built off the event loop).
    heavy = [server + "/demo/articles?" + urlencode({"_search": RUN_WORD})] * 4
    with ThreadPoolExecutor(max_workers=len(attacks) + len(heavy)) as pool:
        attack_results = pool.map(fetch, attacks)
        heavy_results = pool.map(fetch, heavy)
        alongside = [fetch(cheap) for _ in range(10)]
        attack_results, heavy_results = list(attack_results), list(heavy_results)
    cheap_times = [t for t, status, _ in alongside if status == 200]
    assert len(cheap_times) == 10
    print(f"cheap idle {idle * 1000:.0f} ms, alongside max {max(cheap_times) * 1000:.0f} ms, "
          f"attacks max {max(t for t, _, _ in attack_results) * 1000:.0f} ms, "
          f"heavy max {max(t for t, _, _ in heavy_results) * 1000:.0f} ms")
    assert max(cheap_times) < CHEAP_LIMIT, cheap_times
    for seconds, status, body in attack_results:
        assert status == 400 and QUERY_LIMITS_MESSAGE in body and len(body) < 30_000
        assert seconds < 1.0, seconds
    for seconds, status, body in heavy_results:
        assert status == 200 and "أرقام" in body and seconds < 3.0, seconds
