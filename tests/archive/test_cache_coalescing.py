"""Identical requests arriving together are answered once (plugins/arshif_cache.py)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest

from archive.datasette.plugins.arshif_cache import asgi_wrapper
from archive.publish import build_datasette
from archive.schema import connect
from archive.store import save_article, save_sources


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    path = tmp_path_factory.mktemp("coalescing") / "arshif.db"
    db = connect(path)
    save_sources(db, [{"name": "x", "title": "إكس", "homepage": "https://x.example/"}])
    for n in range(3):
        save_article(db, {"url": f"https://x.example/{n}", "source": "x",
                          "title": f"هجوم لداعش قرب كركوك {n}",
                          "published": f"2024-05-0{n + 1}T09:00:00+03:00",
                          "text": "أعلنت السلطات عن هجوم لداعش على قرية قرب كركوك. " * 20})
    db.close()
    ds = build_datasette(path)
    asyncio.run(ds.invoke_startup())
    return ds


async def burst(ds, query: bytes, n: int) -> tuple[int, list[tuple[int, bytes]]]:
    """n identical GETs at once through a fresh cache around Datasette: (app runs, answers)."""
    inner, runs = ds.app(), [0]

    async def counted(scope, receive, send):
        runs[0] += 1
        await inner(scope, receive, send)

    app = asgi_wrapper(ds)(counted)

    async def one() -> tuple[int, bytes]:
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "scheme": "http", "path": "/arshif/articles",
                 "raw_path": b"/arshif/articles", "query_string": query, "root_path": "",
                 "headers": [(b"host", b"localhost")], "http_version": "1.1",
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
        await app(scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    answers = await asyncio.gather(*(one() for _ in range(n)))
    return runs[0], answers


def test_identical_requests_in_flight_are_answered_once(ds):
    runs, answers = asyncio.run(burst(ds, f"_search={quote('داعش')}&_burst=1".encode(), 8))
    assert runs == 1
    assert {status for status, _ in answers} == {200}
    assert len({body for _, body in answers}) == 1 and "كركوك" in answers[0][1].decode()


def test_an_uncacheable_answer_is_not_shared(ds):
    runs, answers = asyncio.run(burst(ds, b"_sort=nope&_burst=2", 4))
    assert runs == 4  # a 400 is not replayed: each request is answered by itself
    assert {status for status, _ in answers} == {400}
