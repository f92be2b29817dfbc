"""Build a large search archive from real Arabic text (SaudiNewsNet, 2015-07-23).

Every article is new prose made from the day's sentences: a record gives the length and the
source, its sentences are mixed with sentences of other records, and every number and year is
redrawn, so no two documents are the same; most end with a sentence naming an Iraqi place,
tagged as the crawl tags it (bench/places.py). Rows go into Arshif's real schema (archive.schema)
and articles_fts gets `index_text` of title/description/text with rowid = articles.search_key
(publication seconds × KEY_SCALE + n), as archive.search.index_article does. Two worker
processes normalise; the parent inserts in batches.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import re
import resource
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.arabic import index_text
from archive.schema import connect
from archive.search import KEY_SCALE, epoch_seconds
from archive.store import save_sources
from bench import DATA
from bench.places import VERSION as PLACES_VERSION
from bench.places import content_sha, tag_row, with_place

CORPUS_FILE = Path("saudinewsnet") / "dataset" / "2015-07-23.zip"
BATCH = 2000
START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=3650)  # ten years of news
_SENTENCE_RE = re.compile(r"(?<=[.!؟?])\s+|\n+")
_NUMBER_RE = re.compile(r"\d+")
_pool: dict[str, Any] = {}


def load_records(corpus: Path) -> list[dict[str, str]]:
    """The day's JSON records, read from the zip where it lies (nothing is copied)."""
    with zipfile.ZipFile(corpus / CORPUS_FILE) as z:
        return [r for name in z.namelist() for r in json.loads(z.read(name))
                if len(r.get("content", "")) > 200]


def _init(corpus: Path) -> None:
    records = load_records(corpus)
    sentences = [s.strip() for r in records for s in _SENTENCE_RE.split(r["content"])]
    _pool["records"] = records
    _pool["sentences"] = [s for s in sentences if len(s.split()) >= 4]


def _vary(rnd: random.Random, text: str) -> str:
    def number(m: re.Match[str]) -> str:
        value = m.group()
        if len(value) == 4 and value[:2] in ("19", "20", "14"):
            return str(rnd.randint(2005, 2025))  # years (and hijri 14xx) stay year-like
        return str(rnd.randint(1, 10 ** min(len(value), 6)))

    return _NUMBER_RE.sub(number, text)


def make_batch(start: int, count: int, total: int, seed: int = 11) -> list[tuple]:
    """Article rows and their FTS rows for ids start..start+count-1."""
    rnd = random.Random(seed * 1_000_003 + start)
    records, sentences = _pool["records"], _pool["sentences"]
    rows = []
    for i in range(start, start + count):
        rec = rnd.choice(records)
        own = [s for s in _SENTENCE_RE.split(rec["content"]) if s.strip()]
        n = max(3, min(len(own), 40))
        picked = [own[k] if rnd.random() < 0.5 and k < len(own) else rnd.choice(sentences)
                  for k in range(n)]
        paras = [" ".join(picked[k:k + 3]) for k in range(0, n, 3)]
        body = _vary(rnd, "\n".join(paras))
        title = _vary(rnd, rec.get("title") or picked[0][:80])
        desc, text = body[:160], with_place(i, body)
        when = START + SPAN * (i / total) + timedelta(minutes=rnd.randint(0, 59))
        published = (when + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S+03:00")
        fetched = (when + timedelta(minutes=30)).isoformat(timespec="seconds")
        # Unique while articles <= KEY_SCALE (checked in build): i differs within a second.
        key = epoch_seconds(published) * KEY_SCALE + i % KEY_SCALE
        places, governorates, place_rows = tag_row(i, published, title, desc, text)
        rows.append((
            (i, key, f"https://{rec['source']}.example/{i}", rec["source"], title, published,
             published[:10], "jsonld", desc, text, len(text.split()), "ar", 0.99, fetched,
             fetched, content_sha(text), "utf-8", "http_header", places, governorates),
            (key, index_text(title), index_text(desc), index_text(text)),
            place_rows,
        ))
    return rows


def _job(args: tuple[int, int, int]) -> list[tuple]:
    return make_batch(*args)


ARTICLE_COLS = ("id", "search_key", "url", "source", "title", "published", "day", "date_source",
                "description", "text", "word_count", "language", "language_score",
                "fetched_at", "first_seen_at", "content_sha256", "encoding", "encoding_source",
                "places", "places_governorates")
INSERT_PLACES = ("insert into article_places (article_id, place, governorate, kind, mentions, "
                 "published) values (?, ?, ?, ?, ?, ?)")


def _cpu_all() -> float:
    """CPU seconds of this process and of its reaped children (the pool's workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def build(db_path: Path, articles: int, corpus: Path, workers: int = 2) -> dict[str, Any]:
    """Create db_path with `articles` articles; returns build figures."""
    if articles > KEY_SCALE:
        raise ValueError(f"at most {KEY_SCALE:,} articles (search keys would collide)")
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    tmp = db_path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    cpu0 = _cpu_all()
    ctx = multiprocessing.get_context("fork")
    # The pool forks before the archive is opened: no SQLite handle is shared with workers.
    with ctx.Pool(workers, initializer=_init, initargs=(corpus,)) as pool:
        db = connect(tmp)
        db.execute("pragma synchronous=off")
        db.execute("pragma cache_size=-262144")  # 256 MiB
        sources = sorted({r["source"] for r in load_records(corpus)})
        save_sources(db, [{"name": s, "title": s, "homepage": f"https://{s}.example/"}
                          for s in sources])
        cols = ", ".join(ARTICLE_COLS)
        insert_a = f"insert into articles ({cols}) values ({', '.join('?' * len(ARTICLE_COLS))})"
        insert_f = "insert into articles_fts(rowid, title, description, text) values (?, ?, ?, ?)"
        jobs = [(s, min(BATCH, articles - s), articles) for s in range(0, articles, BATCH)]
        t0 = time.perf_counter()
        done = 0
        for batch in pool.imap(_job, jobs):
            # One explicit transaction per batch: the connection is in autocommit mode, and
            # FTS5 writes a new index segment at every commit.
            with db.conn:
                db.conn.execute("begin")
                db.conn.executemany(insert_a, [a for a, _, _ in batch])
                db.conn.executemany(insert_f, [f for _, f, _ in batch])
                db.conn.executemany(INSERT_PLACES, [p for _, _, rows in batch for p in rows])
            done += len(batch)
            if done % 50_000 < BATCH:
                rate = done / (time.perf_counter() - t0)
                print(f"  {done:,} articles, {rate:,.0f}/s", flush=True)
        db.execute("insert or replace into arshif_meta (key, value) values ('bench_places', ?)",
                   [PLACES_VERSION])
    insert_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    db.execute("insert into articles_fts(articles_fts) values ('optimize')")
    db.execute("pragma wal_checkpoint(truncate)")
    optimize_s = time.perf_counter() - t1
    db.execute("pragma journal_mode=delete")
    db.close()
    cpu = _cpu_all() - cpu0
    tmp.rename(db_path)
    info = {"articles": articles, "insert_s": insert_s, "optimize_s": optimize_s,
            "build_s": insert_s + optimize_s, "rate": articles / (insert_s + optimize_s),
            "bytes": db_path.stat().st_size, "workers": workers, "cpu_s": cpu, "keys": "search_key",
            "cpu_ms_per_article": cpu / articles * 1000, "places": PLACES_VERSION,
            "cpu_bound_rate_2_cores": articles / (cpu / 2)}
    db_path.with_suffix(".json").write_text(json.dumps(info, indent=1), "utf-8")
    return info


def archive_path(articles: int) -> Path:
    """data/bench/search-1m.db, search-20k.db, …: the bench archive of that size."""
    DATA.mkdir(parents=True, exist_ok=True)
    label = f"{articles // 1_000_000}m" if articles % 1_000_000 == 0 else f"{articles // 1000}k"
    return DATA / f"search-{label}.db"


def ensure(db_path: Path, articles: int, corpus: Path) -> dict[str, Any]:
    """Reuse a complete build (its .json sidecar exists) or build it now."""
    side = db_path.with_suffix(".json")
    if db_path.is_file() and side.is_file():
        info = json.loads(side.read_text("utf-8"))
        if info.get("articles") == articles and info.get("keys") == "search_key":
            return info | {"reused": True}
    print(f"building {db_path} with {articles:,} articles …", flush=True)
    return build(db_path, articles, corpus)
