"""Rows (c) and (d): the processing stages alone, single process, from saved bytes.

`python -m bench.stages extract SITE BASE [--profile FILE]` runs extract_article +
detect_language + match_topics + index_text on every article page; `python -m bench.stages
store N DB` saves N generated articles with save_article. Each prints one JSON line: pages,
loop wall and CPU seconds, peak RSS, and the CPU seconds of each sub-stage.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.arabic import index_text
from archive.schema import connect
from archive.store import save_article, save_sources
from bench.arabic_text import headline, paragraphs
from bench.site import SITE_TITLE, load_manifest
from crawler import settings as arshif_settings
from pipelines.extract import extract_article
from pipelines.language import detect_language
from pipelines.sources import Source
from pipelines.topics import match_topics


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def run_extract(site: Path, base: str, profile: str | None) -> dict[str, Any]:
    """Extract every article page of the site; return counts and per-stage CPU."""
    manifest = load_manifest(site)
    pages = []
    for a in manifest["articles"]:
        body = (site / a["file"]).read_bytes().replace(b"{base}", base.encode())
        pages.append((base + a["path"], body, a))
    source = Source(name="bench", title=SITE_TITLE, homepage=base + "/",
                    sitemaps=(base + "/sitemap_index.xml",), allow_private_network=True)
    sample = arshif_settings.ARSHIF_LANGUAGE_SAMPLE  # as the crawl does
    stage_cpu = {"extract_article": 0.0, "detect_language": 0.0, "topics": 0.0, "index_text": 0.0}
    kept = dropped = 0
    prof = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), _cpu()
    if prof:
        prof.enable()
    for url, body, a in pages:
        item = {"source": "bench", "url": url, "requested_url": url, "final_url": url,
                "status": 200, "content_type": "text/html; charset=UTF-8", "body": body,
                "hints": {"via": "news_sitemap", "sitemap_title": a["title"],
                          "sitemap_date": a["iso"]}}
        c = _cpu()
        try:
            extract_article(item, source, 40)
        except Exception:  # noqa: BLE001 - a DropItem is a result here, counted
            dropped += 1
            continue
        c1 = _cpu()
        item["language"] = detect_language(item["text"], sample).lang
        c2 = _cpu()
        item["topics"] = match_topics(item.get("title"), item.get("description"), item["text"])
        c3 = _cpu()
        for key in ("title", "description", "text"):
            index_text(item.get(key) or "")
        c4 = _cpu()
        for name, dt in zip(stage_cpu, (c1 - c, c2 - c1, c3 - c2, c4 - c3), strict=True):
            stage_cpu[name] += dt
        kept += 1
    if prof:
        prof.disable()
        prof.dump_stats(profile)
    return {"pages": len(pages), "kept": kept, "dropped": dropped,
            "wall": time.perf_counter() - t0, "cpu": _cpu() - c0, "stage_cpu": stage_cpu}


def fake_articles(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """n distinct article rows as the pipelines would hand them to save_article."""
    rnd = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        topic = "security" if i % 2 else rnd.choice(("politics", "economy"))
        text = "\n".join(paragraphs(rnd, topic, rnd.randint(300, 900)))
        when = (start + timedelta(minutes=17 * i)).isoformat(timespec="seconds")
        out.append({"url": f"http://bench.invalid/{i}/", "source": "bench",
                    "title": headline(rnd, topic), "description": text[:180], "text": text,
                    "word_count": len(text.split()), "published": when, "date_source": "jsonld",
                    "language": "ar", "language_score": 0.99, "fetched_at": when,
                    "encoding": "utf-8", "encoding_source": "http_header"})
    return out


def run_store(n: int, db_path: Path) -> dict[str, Any]:
    """save_article n articles into a fresh archive, one transaction each."""
    articles = fake_articles(n)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db = connect(db_path)
    save_sources(db, [{"name": "bench", "title": SITE_TITLE, "homepage": "http://bench.invalid/"}])
    t0, c0 = time.perf_counter(), _cpu()
    for a in articles:
        save_article(db, a)
    result: dict[str, Any] = {"pages": n, "wall": time.perf_counter() - t0, "cpu": _cpu() - c0}
    db.close()
    c = _cpu()
    for a in articles:
        for key in ("title", "description", "text"):
            index_text(a[key])
    result["index_text_cpu"] = _cpu() - c
    return result


def main() -> None:
    """Dispatch to the extract or store benchmark and print its JSON line."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("extract")
    ex.add_argument("site", type=Path)
    ex.add_argument("base")
    ex.add_argument("--profile")
    st = sub.add_parser("store")
    st.add_argument("n", type=int)
    st.add_argument("db", type=Path)
    args = parser.parse_args()
    if args.cmd == "extract":
        out = run_extract(args.site, args.base, args.profile)
    else:
        out = run_store(args.n, args.db)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


if __name__ == "__main__":
    main()
